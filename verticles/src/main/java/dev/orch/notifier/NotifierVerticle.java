package dev.orch.notifier;

import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.contract.BatchSummary;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.GovernorView;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.contract.TaskView;
import dev.orch.contract.WireJson;
import dev.orch.logging.TaskLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people what happened: consumes events only (a task complete, failed or stuck; a pull request flagged for
 * review; a batch finished) and sends each to the desktop and to Slack as configured. It owns nothing and commands
 * nothing; a notification that cannot be sent is logged and dropped, never retried forever.
 */
public final class NotifierVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotifierVerticle.class);

  /** This verticle's slice of the config; event names are {@link Notice.Kind} in lower case. */
  public record Settings(boolean desktop, String desktopCommand, List<String> desktopEvents, String slackWebhook,
      List<String> slackEvents, int slackAttempts, long slackBackoffMillis) {
    public Settings {
      desktopCommand = desktopCommand == null ? "" : desktopCommand;
      slackWebhook = slackWebhook == null ? "" : slackWebhook;
      desktopEvents = WireJson.listOrEmpty(desktopEvents);
      slackEvents = WireJson.listOrEmpty(slackEvents);
      if (slackAttempts <= 0 || slackBackoffMillis <= 0) {
        throw new IllegalArgumentException("slackAttempts and slackBackoffMillis must be above 0");
      }
    }

    /** The [notifications] section; a failed Slack post is tried five times, a second apart and then longer. */
    public static Settings from(OrchConfig.Notifications n) {
      return new Settings(n.desktop(), n.desktopCommand(), n.desktopEvents(), n.slackWebhook(), n.slackEvents(), 5, 1000);
    }

    @Override
    public String toString() {
      return "Settings[desktop=" + desktop + ", slack=" + (slackWebhook.isEmpty() ? "off" : "(set)") + "]";
    }
  }

  private final Settings settings;
  private Set<Notice.Kind> toDesktop;
  private Set<Notice.Kind> toSlack;
  private DesktopNotifier desktop;
  private SlackNotifier slack;
  private WebClient client;
  private SchedulerClient scheduler;
  private ExecutorClient executor;
  /** Whether people were last told the plan is parked (its probe not yet through counts as parked). */
  private boolean planParked;

  public NotifierVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    try {
      toDesktop = kinds(settings.desktopEvents(), "notifications.desktop_events");
      toSlack = kinds(settings.slackEvents(), "notifications.slack_events");
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (!settings.desktop()) {
      toDesktop.clear();
    }
    if (settings.slackWebhook().isBlank()) {
      toSlack.clear();
    }
    desktop = new DesktopNotifier(settings.desktopCommand());
    client = WebClient.create(vertx);
    slack = new SlackNotifier(vertx, client, settings.slackWebhook(), settings.slackAttempts(), settings.slackBackoffMillis());
    scheduler = new SchedulerClient(vertx);
    executor = new ExecutorClient(vertx);
    vertx.eventBus().<JsonObject>consumer(Addresses.Scheduler.EVT_TASK, message -> onTransition(message.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.Prbot.EVT_FLAGGED, message -> onFlagged(message.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.Batch.EVT_FINISHED, message -> onBatchFinished(message.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.Scheduler.EVT_GOVERNOR, message -> onGoverned(message.body()));
    LOG.info("notifications: desktop {}, Slack {}", toDesktop.isEmpty() ? "off" : toDesktop,
        toSlack.isEmpty() ? "off" : toSlack);
    return Future.succeededFuture();
  }

  private static Set<Notice.Kind> kinds(List<String> names, String key) {
    Set<Notice.Kind> kinds = EnumSet.noneOf(Notice.Kind.class);
    names.forEach(name -> kinds.add(Notice.Kind.fromWire(name.trim(), key)));
    return kinds;
  }

  private void onTransition(JsonObject body) {
    TaskTransition transition;
    try {
      transition = TaskTransition.fromJson(body);
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed task event: {}", e.getMessage());
      return;
    }
    Notice.Kind kind = transition.to() == TaskStatus.COMPLETE ? Notice.Kind.TASK_COMPLETE
        : transition.to() == TaskStatus.FAILED ? Notice.Kind.TASK_FAILED
        : transition.to() == TaskStatus.STUCK ? Notice.Kind.TASK_STUCK : null;
    if (kind == null || (!toDesktop.contains(kind) && !toSlack.contains(kind))) {
      return;
    }
    Future<TaskView> task = scheduler.get(transition.taskId());
    Future<Double> cost = executor.spend().map(spend -> spend.byTaskUsd().getOrDefault(transition.taskId(), 0.0));
    Future.join(task, cost).onComplete(done -> {
      String title = task.succeeded() ? task.result().title() : null;
      String text = kind == Notice.Kind.TASK_COMPLETE ? "merged" : transition.reason();
      notify(new Notice(kind, transition.taskId().toString(), title, text, null, cost.succeeded() ? cost.result() : 0));
    });
  }

  private void onGoverned(JsonObject body) {
    try {
      GovernorView view = GovernorView.fromJson(body);
      // The scheduler tells the governor at start and at each change (the probe, each ramp step): people hear of
      // parking, and of the probe getting through.
      if (view.holding() == planParked) {
        return;
      }
      planParked = view.holding();
      notify(new Notice(planParked ? Notice.Kind.PLAN_PARKED : Notice.Kind.PLAN_RESUMED, null, null, view.text(), null,
          0));
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed governor event: {}", e.getMessage());
    }
  }

  private void onFlagged(JsonObject body) {
    try {
      PullRequestView pr = PullRequestView.fromJson(body);
      notify(new Notice(Notice.Kind.PR_FLAGGED, pr.taskId().toString(), pr.title(), "#" + pr.number() + " " + pr.reason(), pr.url(),
          pr.costUsd()));
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed pull request event: {}", e.getMessage());
    }
  }

  private void onBatchFinished(JsonObject body) {
    try {
      BatchSummary summary = BatchSummary.fromJson(body);
      if (summary.notifyPeople()) {
        notify(new Notice(Notice.Kind.BATCH_FINISHED, null, summary.name(), String.format(
            "%d done, %d failed, %d waiting for review, of %d started (%s)%s", summary.done(), summary.failed(),
            summary.flagged(), summary.tasks().size(), summary.reason(),
            summary.parkedText().isEmpty() ? "" : "; " + summary.parkedText()), null, summary.spendUsd()));
      }
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed batch event: {}", e.getMessage());
    }
  }

  /** Sends one notice where it is configured to go. */
  void notify(Notice notice) {
    if (toDesktop.contains(notice.kind())) {
      vertx.executeBlocking(() -> {
        desktop.send(notice);
        return null;
      }, false).onFailure(e -> TaskLog.warn(LOG, notice.taskId())
          .log("desktop notification failed: {}", e.getMessage()));
    }
    if (toSlack.contains(notice.kind())) {
      slack.send(notice);
    }
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }
}
