package dev.orch.launcher;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.RunLogPage;
import dev.orch.contract.RunView;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskView;
import dev.orch.executor.RunLogReader;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads what {@code orch tui} shows, once a second, on a thread of its own, so a slow or vanished orch never holds up
 * the keys: the tasks and live runs through the session (the running orch's API, or the store read in this process),
 * and the followed task's log from its file, page by page from where the last read ended, as {@code orch logs -f}
 * does. Results wait in a queue for the screen's thread.
 */
final class TuiFeed implements AutoCloseable {
  private static final long REFRESH_MILLIS = 1000;
  private static final long ANSWER_SECONDS = 15;
  private static final int PAGE_EVENTS = 500;

  sealed interface Update permits Tasks, Log {
  }

  record Tasks(TuiSnapshot snapshot) implements Update {
  }

  record Log(int generation, RunView run, List<AgentEvent> events, boolean reset, String note) implements Update {
  }

  private record Follow(String taskId, int generation) {
  }

  private final OrchSession orch;
  private final String source;
  private final BlockingQueue<Update> updates = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread t = new Thread(runnable, "orch-tui-feed");
    t.setDaemon(true);
    return t;
  });
  private volatile Follow follow;
  // Touched on the feed's thread only.
  private TuiSnapshot last;
  private Follow reading;
  private RunView run;
  private long offset;

  TuiFeed(OrchSession orch, String source) {
    this.orch = orch;
    this.source = source;
  }

  void start() {
    thread.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** From now on, also read this task's latest run log; {@code generation} tags what is read for it. */
  void follow(String taskId, int generation) {
    follow = new Follow(taskId, generation);
    thread.execute(this::readLog);
  }

  void unfollow() {
    follow = null;
  }

  /** Moves what has arrived into {@code into}; true when there was something. */
  boolean drainTo(Collection<Update> into) {
    return updates.drainTo(into) > 0;
  }

  private void refresh() {
    readTasks();
    readLog();
  }

  private void readTasks() {
    try {
      StatusSummary summary = await(orch.scheduler().status());
      List<TaskView> tasks = await(orch.scheduler().list(TaskQuery.ALL));
      Map<String, RunView> live = new HashMap<>();
      for (RunView r : await(orch.executor().runs(null, true))) {
        live.putIfAbsent(r.taskId().toString(), r);
      }
      last = new TuiSnapshot(source, summary, tasks, live, null);
    } catch (RuntimeException e) {
      last = (last == null ? new TuiSnapshot(source, null, List.of(), Map.of(), null) : last).failed(reason(e));
    }
    updates.add(new Tasks(last));
  }

  private void readLog() {
    Follow f = follow;
    if (f == null) {
      reading = null;
      return;
    }
    if (!f.equals(reading)) {
      reading = f;
      run = null;
      offset = 0;
    }
    try {
      List<RunView> runs = await(orch.executor().runs(TaskId.parseFull(f.taskId()), false));
      if (runs.isEmpty()) {
        updates.add(new Log(f.generation(), null, List.of(), true, f.taskId() + " has no runs yet"));
        return;
      }
      RunView latest = runs.get(0);
      boolean reset = run == null || latest.runId() != run.runId();
      if (reset) {
        offset = 0;
      }
      run = latest;
      List<AgentEvent> events = new ArrayList<>();
      while (true) {
        RunLogPage page = RunLogReader.page(latest, offset, PAGE_EVENTS);
        events.addAll(page.events());
        if (page.nextOffset() == offset) {
          break;
        }
        offset = page.nextOffset();
      }
      updates.add(new Log(f.generation(), latest, events, reset, null));
    } catch (RuntimeException e) {
      updates.add(new Log(f.generation(), run, List.of(), false, "cannot read the log: " + reason(e)));
    }
  }

  private static String reason(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** A bounded wait, unlike other commands' ten minutes: a screen that stops answering is worse than a message. */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + ANSWER_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
