package dev.orch.shell;

import dev.orch.contract.Addresses;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.PrState;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskView;
import dev.orch.text.Durations;
import dev.orch.text.Printable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.shell.command.CommandProcess;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code top}: a full-screen view of running agents (elapsed time, tokens, cost), the queue, the build pool and what
 * needs a person. It reads the state once, then again only when a bus event says something changed (at most every
 * 250 ms); between events a one-second timer only advances the elapsed times on screen. q or Ctrl-C leaves.
 */
final class TopView {
  private static final String ENTER = "\033[?1049h\033[?25l";
  private static final String LEAVE = "\033[?25h\033[?1049l";
  private static final String HOME_AND_CLEAR = "\033[H\033[2J";
  private static final long DEBOUNCE_MILLIS = 250;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Vertx vertx;
  private final SchedulerClient scheduler;
  private final ExecutorClient executor;
  private final PrbotClient prbot;
  private final BuildPoolClient pool;
  private final CommandProcess process;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private long tick = -1;
  private boolean refreshPending;
  private boolean refreshing;
  private boolean closed;
  private Snapshot snapshot;

  private record Snapshot(StatusSummary summary, List<RunView> runs, List<PullRequestView> flagged, PoolStatus pool,
      String error) {
  }

  TopView(Vertx vertx, SchedulerClient scheduler, ExecutorClient executor, PrbotClient prbot, BuildPoolClient pool,
      CommandProcess process) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.executor = executor;
    this.prbot = prbot;
    this.pool = pool;
    this.process = process;
  }

  void start() {
    process.write(ENTER);
    process.stdinHandler(keys -> {
      if (keys.indexOf('q') >= 0 || keys.indexOf('Q') >= 0) {
        close();
      }
    });
    process.interruptHandler(v -> close());
    process.resizehandler(v -> draw());
    process.endHandler(v -> release());
    for (String address : Addresses.viewerEvents()) {
      if (!address.equals(Addresses.BuildPool.EVT_OUTPUT)) {
        consumers.add(vertx.eventBus().consumer(address, message -> refreshSoon()));
      }
    }
    // The governor's own event is not a viewer event (the browser bridge does not carry it); top redraws on it here.
    consumers.add(vertx.eventBus().consumer(Addresses.Scheduler.EVT_GOVERNOR, message -> refreshSoon()));
    tick = vertx.setPeriodic(1000, id -> draw());
    refresh();
  }

  private void refreshSoon() {
    if (!refreshPending && !closed) {
      refreshPending = true;
      vertx.setTimer(DEBOUNCE_MILLIS, id -> {
        refreshPending = false;
        refresh();
      });
    }
  }

  private void refresh() {
    if (refreshing) {
      refreshSoon();
      return;
    }
    refreshing = true;
    Future<StatusSummary> summary = scheduler.status();
    Future<List<RunView>> runs = executor.runs(null, true);
    Future<List<PullRequestView>> flagged = prbot.list(PrState.FLAGGED);
    Future<PoolStatus> poolStatus = pool.status();
    Future.join(summary, runs, flagged, poolStatus).onComplete(done -> {
      refreshing = false;
      snapshot = summary.succeeded() ? new Snapshot(summary.result(), runs.result() == null ? List.of() : runs.result(),
          flagged.result() == null ? List.of() : flagged.result(), poolStatus.result(), null)
          : new Snapshot(null, List.of(), List.of(), null, String.valueOf(summary.cause().getMessage()));
      draw();
    });
  }

  private void draw() {
    if (closed || snapshot == null) {
      return;
    }
    int width = Math.max(40, process.width() > 0 ? process.width() : 100);
    StringBuilder screen = new StringBuilder(HOME_AND_CLEAR);
    line(screen, width, "orch top   " + LocalTime.now().format(CLOCK) + "   (q quits)");
    if (snapshot.error() != null) {
      line(screen, width, "orch is not answering: " + snapshot.error());
      process.write(screen.toString());
      return;
    }
    StatusSummary s = snapshot.summary();
    StringBuilder counts = new StringBuilder("Tasks " + s.total() + ":");
    s.counts().forEach((status, count) -> counts.append("  ").append(status).append(' ').append(count));
    line(screen, width, counts.toString());
    line(screen, width, "Queue: " + s.counts().getOrDefault("queued", 0) + " queued, " + s.ready() + " ready, "
        + s.blocked().size() + " blocked");
    // Why fewer agents run than could (the rate-limit governor, a spending pause) comes before the agents it holds.
    s.notices().forEach(notice -> line(screen, width, "Notice: " + notice));
    line(screen, width, "");
    line(screen, width, "RUNNING AGENTS (" + snapshot.runs().size() + ")");
    long now = System.currentTimeMillis();
    double cost = 0;
    for (RunView run : snapshot.runs()) {
      cost += run.costUsd();
      line(screen, width, String.format("  %-18s run %-4d %8s %,10d tokens  $%8.4f  %s", run.taskId(), run.runId(),
          Durations.elapsed(now - run.startedAt()), run.inputTokens() + run.outputTokens(), run.costUsd(),
          run.lastOutputAt() > 0 ? "output " + Durations.elapsed(now - run.lastOutputAt()) + " ago" : "starting"));
    }
    if (!snapshot.runs().isEmpty()) {
      line(screen, width, String.format("  %-18s %43s $%8.4f", "", "running now:", cost));
    }
    line(screen, width, "");
    PoolStatus p = snapshot.pool();
    if (p != null && p.coordinating()) {
      line(screen, width, "BUILD POOL  " + p.workers().size() + " agent(s), " + p.queuedJobs() + " queued, "
          + p.runningJobs() + " running" + (p.localFallbackActive() ? ", local fallback in use" : ""));
      line(screen, width, "");
    }
    List<String> attention = new ArrayList<>();
    snapshot.flagged().forEach(pr -> attention.add(String.format("  PR #%-4d %-18s %s", pr.number(), pr.taskId(),
        pr.reason() == null ? "needs review" : pr.reason())));
    for (TaskView task : s.failedOrStuck()) {
      attention.add(String.format("  %-8s %-18s %s", task.status().wire(), task.id(),
          task.lastError() == null ? task.title() : task.lastError()));
    }
    line(screen, width, "NEEDS A PERSON (" + attention.size() + ")");
    attention.forEach(text -> line(screen, width, text));
    process.write(screen.toString());
  }

  /** Every drawn line goes through here, so titles and reasons can never move the cursor or retitle the window. */
  private static void line(StringBuilder screen, int width, String raw) {
    String text = Printable.line(raw);
    screen.append(text.length() > width ? text.substring(0, width - 1) + "…" : text).append("\r\n");
  }

  private void close() {
    if (!closed) {
      release();
      process.write(LEAVE);
      process.end();
    }
  }

  private void release() {
    closed = true;
    vertx.cancelTimer(tick);
    consumers.forEach(MessageConsumer::unregister);
    consumers.clear();
  }
}
