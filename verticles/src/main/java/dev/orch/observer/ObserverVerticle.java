package dev.orch.observer;

import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses.Observer.Action;
import dev.orch.contract.Addresses;
import dev.orch.contract.AgentEvent;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.RunAlert;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.logging.TaskLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows running agents from the executor's events: stops a run that prints nothing for {@code idle_timeout} or runs
 * longer than {@code run_timeout} (recorded as stuck, so the retry policy applies), and keeps the spend per task and per
 * day against the optional limits.
 */
public final class ObserverVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ObserverVerticle.class);

  private final Clock clock;
  /** This verticle's slice of the config, the [observer] section; cost limits of 0 mean none. */
  private final OrchConfig.Observer settings;
  private ExecutorClient executor;
  private Liveness liveness;
  private Spend spend;
  private final SpendRate rate = new SpendRate();
  /** Until when the hourly limit was last said to hold, so a run of results past it is told once. */
  private long hourlyHeldUntil;
  private long timer = -1;

  public ObserverVerticle(OrchConfig.Observer settings) {
    this(settings, Clock.systemDefaultZone());
  }

  /** With a clock of the test's choosing. */
  public ObserverVerticle(OrchConfig.Observer settings, Clock clock) {
    this.settings = OrchConfig.required("observer", settings);
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    executor = new ExecutorClient(vertx);
    liveness = new Liveness(settings.idleTimeout(), settings.runTimeout());
    var bus = vertx.eventBus();
    var started = bus.<JsonObject>consumer(Addresses.Executor.EVT_STARTED, m -> onStarted(RunView.fromJson(m.body())));
    var output = bus.<JsonObject>consumer(Addresses.Executor.EVT_OUTPUT, m -> onOutput(AgentOutput.fromJson(m.body())));
    var finished = bus.<JsonObject>consumer(Addresses.Executor.EVT_FINISHED, m -> liveness.forget(RunView.fromJson(m.body()).runId()));
    long checkEvery = Math.max(200, Math.min(5_000, Math.min(settings.idleTimeout().toMillis(),
        settings.runTimeout().toMillis()) / 4));
    return Future.all(started.completion(), output.completion(), finished.completion())
        .compose(v -> executor.spend().recover(e -> Future.succeededFuture(null)))
        .compose(summary -> {
          spend = new Spend(summary, LocalDate.now(clock.withZone(ZoneId.systemDefault())));
          return CommandEndpoint.on(Addresses.Observer.CMD, Action.class)
              .handle(Action.SPEND, body -> Future.succeededFuture(spend.summary()))
              .handle(Action.BUDGETS, body -> Future.succeededFuture(budgets()))
              .registerLocal(vertx);
        })
        .onSuccess(v -> timer = vertx.setPeriodic(checkEvery, id -> check()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void onStarted(RunView run) {
    long now = clock.millis();
    liveness.track(run.runId(), run.taskId(), run.startedAt() > 0 ? Math.min(run.startedAt(), now) : now, now);
  }

  private void onOutput(AgentOutput output) {
    liveness.heard(output.runId(), clock.millis());
    for (AgentEvent event : output.events()) {
      if (event.kind() == AgentEvent.Kind.RESULT && event.costUsd() > 0) {
        spend.add(output.taskId().toString(), event.costUsd(), LocalDate.now(clock.withZone(ZoneId.systemDefault())));
        rate.add(clock.millis(), event.costUsd());
        checkBudgets(output.runId(), output.taskId());
        checkHourlyRate();
      }
    }
  }

  private void check() {
    for (Liveness.Verdict verdict : liveness.overdue(clock.millis())) {
      TaskLog.warn(LOG, verdict.taskId(), verdict.runId())
          .log("{} run {}: {}", verdict.taskId(), verdict.runId(), verdict.reason());
      executor.stop(new StopRequest(verdict.taskId(), RunStatus.STUCK, StopCause.STUCK, verdict.reason()))
          .onFailure(e -> TaskLog.warn(LOG, verdict.taskId(), verdict.runId())
              .log("could not stop stuck run {}: {}", verdict.runId(), e.getMessage()));
      vertx.eventBus().publish(Addresses.Observer.EVT_STUCK,
          new RunAlert(verdict.runId(), verdict.taskId(), verdict.reason(), 0, 0).toJson());
    }
  }

  private void checkBudgets(long runId, TaskId taskId) {
    checkTaskBudget(runId, taskId);
    checkDayBudget();
  }

  private void checkTaskBudget(long runId, TaskId taskId) {
    String reason = taskOverBudget(taskId.toString());
    if (reason != null) {
      double taskSpent = spend.ofTask(taskId.toString());
      double perTask = settings.maxCostUsdPerTask();
      alert(new RunAlert(runId, taskId, reason, taskSpent, perTask));
      liveness.all().stream().filter(run -> run.taskId().equals(taskId))
          .forEach(run -> executor.stop(new StopRequest(run.taskId(), RunStatus.FAILED, StopCause.TASK_BUDGET, reason)));
    }
  }

  private void checkDayBudget() {
    String reason = dayOverBudget();
    if (reason != null) {
      double today = spend.today(LocalDate.now(clock.withZone(ZoneId.systemDefault())));
      double perDay = settings.maxCostUsdPerDay();
      alert(new RunAlert(0, null, reason, today, perDay));
      for (Liveness.Tracked run : liveness.all()) {
        executor.stop(new StopRequest(run.taskId(), RunStatus.STOPPED, StopCause.DAY_BUDGET, reason));
      }
    }
  }

  /** Over the hourly limit no new agent starts (the scheduler's governor parks); those running go on. */
  private void checkHourlyRate() {
    double cap = settings.maxSpendPerHour();
    long now = clock.millis();
    if (cap <= 0 || rate.lastHour(now) < cap || now < hourlyHeldUntil) {
      return;
    }
    hourlyHeldUntil = rate.underCapAt(now, cap);
    LOG.warn("budget: the last hour's agents cost ${}, the hourly limit is ${} (observer.max_spend_per_hour)",
        String.format("%.2f", rate.lastHour(now)), String.format("%.2f", cap));
    vertx.eventBus().publish(Addresses.Observer.EVT_SPEND_RATE,
        new ApiLimit(ApiLimit.Kind.SPEND_RATE, hourlyHeldUntil).toJson());
  }

  private String taskOverBudget(String taskId) {
    double perTask = settings.maxCostUsdPerTask();
    double taskSpent = spend.ofTask(taskId);
    return perTask > 0 && taskSpent >= perTask ? String.format("cost limit reached: %s has cost $%.2f, its limit is"
        + " $%.2f (observer.max_cost_usd_per_task)", taskId, taskSpent, perTask) : null;
  }

  private String dayOverBudget() {
    double perDay = settings.maxCostUsdPerDay();
    double today = spend.today(LocalDate.now(clock.withZone(ZoneId.systemDefault())));
    return perDay > 0 && today >= perDay ? String.format("daily cost limit reached: today's agents have cost $%.2f, the"
        + " daily limit is $%.2f (observer.max_cost_usd_per_day)", today, perDay) : null;
  }

  /** For a scheduler starting up: what it must not start. */
  private JsonObject budgets() {
    JsonObject tasks = new JsonObject();
    spend.summary().byTaskUsd().keySet().forEach(id -> {
      String reason = taskOverBudget(id);
      if (reason != null) {
        tasks.put(id, reason);
      }
    });
    return new JsonObject().put("tasks", tasks).put("day", dayOverBudget());
  }

  private void alert(RunAlert alert) {
    LOG.warn("budget: {}", alert.reason());
    vertx.eventBus().publish(Addresses.Observer.EVT_BUDGET, alert.toJson());
  }
}
