package dev.orch.executor;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.OrchException;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.executor.AgentProcesses.AgentProcess;
import dev.orch.executor.RunRecords.StoredRun;
import dev.orch.logging.TaskLog;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of every agent run: launch or resume, spawn, record, follow its output, stop, settle its end (written
 * before it is announced), and after a restart or in the periodic sweep, re-attach to an agent still alive or settle one
 * that died unfollowed. Rules it keeps: a run is settled as failed only once its process is known dead; a worktree is
 * replaced only once nothing works in it any more; a pid is recognised only together with its start time. Confined to one
 * thread (the verticle's event loop, or a test's); blocking work goes through the {@link Host}.
 */
final class RunSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(RunSupervisor.class);
  static final Duration KILL_GRACE = Duration.ofSeconds(5);
  /** How long a spawned agent's pid may fail to be recorded before the agent is ended: a store down this long is down. */
  static final Duration RECORD_PATIENCE = Duration.ofMinutes(2);
  private static final int STDERR_TAIL_CHARS = 2_000;
  /** Paths told per run at most: enough to keep other tasks out, not a copy of a generated tree. */
  static final int MAX_TOUCHED = 500;

  private final RunRecords store;
  private final AgentProcesses processes;
  private final RunWorkspace workspace;
  private final RunEvents events;
  private final Host host;
  private final Clock clock;
  private final Path logDir;
  private final boolean orchestrating;

  private final Map<Long, LiveRun> live = new HashMap<>();
  /** Runs that are over but whose end is not written yet (a full disk): announced once it is. */
  private final Map<Long, RunView> recording = new HashMap<>();
  /** Tasks whose launch is between its row's insert and its agent's spawn. */
  private final Set<TaskId> launching = new HashSet<>();
  /** Unfollowed runs being stopped or settled right now. */
  private final Set<Long> settling = new HashSet<>();
  private boolean polling;
  /** The files each running agent had changed at the last look, as told. */
  private final Map<Long, List<String>> touched = new HashMap<>();
  private boolean looking;
  private boolean reconciling;
  private boolean shuttingDown;

  /** Without {@code orchestrating} it only answers and stops (a CLI process while no orch runs): it follows nothing. */
  RunSupervisor(RunRecords store, AgentProcesses processes, RunWorkspace workspace, RunEvents events, Host host,
      Clock clock, Path logDir, boolean orchestrating) {
    this.store = store;
    this.processes = processes;
    this.workspace = workspace;
    this.events = events;
    this.host = host;
    this.clock = clock;
    this.logDir = logDir;
    this.orchestrating = orchestrating;
  }

  // ---- launching

  Future<RunView> launch(LaunchRequest request) {
    TaskId task = request.taskId();
    RunView draft = RunView.starting(0, request.taskId(), request.attempt(), UUID.randomUUID().toString(), 0,
        workspace.branchOf(task), workspace.pathOf(task).toString(), "", clock.millis(), request.title(), request.file(),
        request.needsReview());
    return start(task, draft, true, (starting, files) -> workspace.fresh(task, request, starting, files));
  }

  Future<RunView> resume(ResumeRequest request) {
    TaskId task = request.taskId();
    Optional<Future<RunView>> refused = refusal(request.taskId());
    if (refused.isPresent()) {
      return refused.get();
    }
    return store.latestForTask(request.taskId()).compose(latest -> {
      if (latest.isEmpty()) {
        return Future.failedFuture(OrchException.notFound(request.taskId() + " has no run to resume"));
      }
      RunView previous = latest.get().view();
      return host.blocking(() -> Files.isDirectory(Path.of(previous.worktree()))).compose(exists -> {
        if (!exists) {
          return Future.failedFuture(OrchException.conflict(request.taskId() + ": the worktree of run "
              + previous.runId() + " is gone, so its session cannot be resumed"));
        }
        RunView draft = RunView.starting(0, request.taskId(), previous.attempt(), previous.sessionId(), previous.runId(),
            previous.branch(), previous.worktree(), "", clock.millis(), previous.title(), previous.file(),
            previous.needsReview());
        return start(task, draft, false, (starting, files) -> workspace.resumed(request, starting, files));
      });
    });
  }

  private interface Preparation {
    AgentLauncher.Launch prepare(RunView starting, RunFiles files) throws IOException;
  }

  private Optional<Future<RunView>> refusal(TaskId taskId) {
    if (!orchestrating) {
      return Optional.of(Future.failedFuture(OrchException.conflict("this orch process does not run agents")));
    }
    if (liveRunOf(taskId).isPresent() || launching.contains(taskId)) {
      return Optional.of(Future.failedFuture(OrchException.conflict(taskId + " already has a live run")));
    }
    return Optional.empty();
  }

  /**
   * Answers once the agent's start is recorded and announced, or once the run failed to start. A fresh worktree
   * replaces the task's old one: whatever still works in that (a server an earlier agent left running, an agent orch
   * lost track of) is ended first, so nothing is deleted under a live process; its work is archived with the folder.
   */
  private Future<RunView> start(TaskId task, RunView draft, boolean replacesWorktree, Preparation preparation) {
    Optional<Future<RunView>> refused = refusal(draft.taskId());
    if (refused.isPresent()) {
      return refused.get();
    }
    launching.add(draft.taskId());
    return store.insert(draft).compose(runId -> {
      RunFiles files = RunFiles.of(logDir, task, runId);
      RunView starting = draft.recordedAs(runId, files.log().toString());
      Path folder = Path.of(starting.worktree());
      // One trip to a worker when nothing works in the folder (always so on a first launch): a launch waits on it.
      return host.blocking(() -> {
            List<AgentProcess> inTheWay = replacesWorktree ? processes.workingIn(folder) : List.of();
            return inTheWay.isEmpty() ? new Spawn(List.of(), spawn(starting, files, preparation)) : new Spawn(inTheWay, null);
          })
          .compose(spawn -> {
            if (spawn.agent() != null) {
              return Future.succeededFuture(spawn.agent());
            }
            TaskLog.warn(LOG, starting.taskId(), starting.runId())
                .log("{} run {}: ending process {} still working in {} before it is replaced", starting.taskId(),
                    starting.runId(), pids(spawn.inTheWay()), folder);
            return ended(spawn.inTheWay()).compose(v -> host.blocking(() -> spawn(starting, files, preparation)));
          })
          .transform(spawned -> spawned.succeeded() ? running(starting, task, spawned.result())
              : failedToStart(starting, spawned.cause()));
    }).onComplete(done -> launching.remove(draft.taskId()));
  }

  /** The agent, or what still works in the folder it is to replace (then nothing was spawned). */
  private record Spawn(List<AgentProcess> inTheWay, AgentProcess agent) {
  }

  /** Blocking: the workspace made ready and the agent started in it. */
  private AgentProcess spawn(RunView starting, RunFiles files, Preparation preparation) throws IOException {
    files.createDirectories();
    return processes.spawn(preparation.prepare(starting, files));
  }

  /**
   * Follows the spawned agent at once and records its pid and start time, again until it lands. If the store will not
   * take it within {@link #RECORD_PATIENCE}, the agent is ended first and the run fails once it is dead, so no retry
   * ever starts beside an agent nobody recorded (its end is announced once it is dead).
   */
  private Future<RunView> running(RunView starting, TaskId task, AgentProcess agent) {
    RunView running = starting.withStatus(RunStatus.RUNNING).withPid(agent.pid());
    LiveRun run = follow(running, task, agent, RunTotals.empty());
    long spawnedAt = clock.millis();
    return host.untilWritten(what(running, "start"),
            () -> store.markRunning(running.runId(), running.logFile(), agent.pid(), agent.startedAt()),
            () -> clock.millis() - spawnedAt >= RECORD_PATIENCE.toMillis())
        .onSuccess(v -> {
          TaskLog.info(LOG, running.taskId(), running.runId())
              .log("{} run {}: agent started (pid {}) in {}", running.taskId(), running.runId(), agent.pid(),
                  running.worktree());
          if (live.containsKey(running.runId())) {
            events.started(running);
          }
        })
        .onFailure(failure -> {
          String reason = "could not record the agent's start (" + message(failure) + "), so it was stopped";
          TaskLog.warn(LOG, running.taskId(), running.runId())
              .log("{} run {}: {}", running.taskId(), running.runId(), reason);
          run.endAs(new RunOutcome(RunStatus.FAILED, reason));
          agent.kill(true);
        })
        .transform(recorded -> Future.succeededFuture(running));
  }

  private LiveRun follow(RunView running, TaskId task, AgentProcess agent, RunTotals totals) {
    LiveRun run = new LiveRun(running, task, agent, new LogTail(Path.of(running.logFile())));
    run.totals(totals);
    live.put(run.runId(), run);
    agent.exit().onComplete(exit -> run.exited(exit.succeeded() ? exit.result() : null));
    return run;
  }

  /** Nothing was spawned: the run fails at once. */
  private Future<RunView> failedToStart(RunView starting, Throwable failure) {
    String reason = "could not start the agent: " + message(failure);
    TaskLog.warn(LOG, starting.taskId(), starting.runId())
        .log("{} run {}: {}", starting.taskId(), starting.runId(), reason);
    RunView failed = starting.settled(RunStatus.FAILED, null, reason, null, clock.millis());
    return record(failed).map(failed);
  }

  // ---- following output

  private record Read(List<AgentEvent> events, String stderrTail) {
  }

  /** Reads what each live run wrote, announces it, and settles the runs whose process has ended. */
  /** Tells which files each running agent has changed so far, for each run where that changed since the last look. */
  Future<Void> lookAtWorktrees() {
    if (looking || live.isEmpty()) {
      return Future.succeededFuture();
    }
    looking = true;
    List<LiveRun> runs = List.copyOf(live.values());
    return host.blocking(() -> {
      Map<Long, List<String>> seen = new HashMap<>();
      for (LiveRun run : runs) {
        seen.put(run.runId(), workspace.touched(Path.of(run.started.worktree()), MAX_TOUCHED));
      }
      return seen;
    }).<Void>map(seen -> {
      touched.keySet().retainAll(live.keySet());
      for (LiveRun run : runs) {
        List<String> paths = seen.get(run.runId());
        if (live.containsKey(run.runId()) && !paths.equals(touched.getOrDefault(run.runId(), List.of()))) {
          touched.put(run.runId(), paths);
          events.touched(new RunTouched(run.runId(), run.task, paths));
        }
      }
      return null;
    }).onComplete(done -> looking = false);
  }

  Future<Void> poll() {
    if (polling || live.isEmpty()) {
      return Future.succeededFuture();
    }
    polling = true;
    List<LiveRun> runs = List.copyOf(live.values());
    Map<Long, Boolean> exitedBefore = new HashMap<>();
    runs.forEach(r -> exitedBefore.put(r.runId(), r.hasExited()));
    return host.blocking(() -> {
      Map<Long, Read> read = new HashMap<>();
      for (LiveRun run : runs) {
        boolean exited = exitedBefore.get(run.runId());
        List<String> lines = new ArrayList<>(run.tail.readNewLines());
        if (exited) {
          lines.addAll(run.tail.drainPartial());
        }
        List<AgentEvent> said = new ArrayList<>();
        lines.forEach(line -> said.addAll(StreamJsonReader.read(line)));
        read.put(run.runId(), new Read(said, exited ? stderrTail(run) : ""));
      }
      return read;
    }).<Void>map(read -> {
      long now = clock.millis();
      for (LiveRun run : runs) {
        Read got = read.get(run.runId());
        if (!got.events().isEmpty()) {
          absorb(run, got.events(), now);
        }
        if (exitedBefore.get(run.runId()) && live.containsKey(run.runId())) {
          // Not awaited: an end written again and again on a full disk must not stop the other runs' output.
          finish(run, got.stderrTail());
        }
      }
      return null;
    }).onComplete(done -> {
      polling = false;
      if (done.failed()) {
        LOG.warn("reading agent output failed", done.cause());
      }
    });
  }

  private void absorb(LiveRun run, List<AgentEvent> said, long now) {
    boolean sawResult = run.absorb(said, now);
    events.output(new AgentOutput(run.runId(), run.started.taskId(), said, now));
    if (sawResult) {
      // The end writes them again; this only keeps a crash from losing them.
      store.saveUsage(run.runId(), run.totals().usage())
          .onFailure(e -> TaskLog.warn(LOG, run.started.taskId(), run.runId())
              .log("{} run {}: saving its usage failed: {}", run.started.taskId(), run.runId(), e.getMessage()));
    }
  }

  private String stderrTail(LiveRun run) {
    Path stderr = RunFiles.of(logDir, run.task, run.runId()).stderr();
    try {
      if (!Files.isRegularFile(stderr)) {
        return "";
      }
      String text = Files.readString(stderr, StandardCharsets.UTF_8);
      return text.length() > STDERR_TAIL_CHARS ? text.substring(text.length() - STDERR_TAIL_CHARS) : text;
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private Future<Void> finish(LiveRun run, String stderrTail) {
    live.remove(run.runId());
    RunOutcome outcome = run.outcome(stderrTail);
    RunView view = settle(run.started, outcome, run.exitCode(), run.totals());
    TaskLog.info(LOG, view.taskId(), view.runId())
        .log("{} run {}: {}{}", view.taskId(), view.runId(), outcome.status().wire(),
            outcome.reason() == null ? "" : " (" + outcome.reason() + ")");
    return record(view);
  }

  private RunView settle(RunView run, RunOutcome outcome, Integer exitCode, RunTotals totals) {
    String session = totals.sessionId() != null ? totals.sessionId() : run.sessionId();
    return run.withSessionId(session).withUsage(totals.usage())
        .settled(outcome.status(), outcome.cause(), outcome.reason(), exitCode, clock.millis())
        .withApiLimit(outcome.limit());
  }

  /** Writes a run's end until it lands, then announces it (unless another writer settled the row first). */
  private Future<Void> record(RunView settled) {
    recording.put(settled.runId(), settled);
    return host.untilWritten(what(settled, "end"), () -> store.finish(settled), () -> false)
        .onSuccess(changed -> {
          if (changed) {
            events.finished(settled);
          }
        })
        .onComplete(done -> recording.remove(settled.runId()))
        .mapEmpty();
  }

  // ---- stopping

  Future<RunView> stop(StopRequest request) {
    Optional<LiveRun> found = liveRunOf(request.taskId());
    if (found.isPresent()) {
      LiveRun run = found.get();
      if (run.endAs(RunOutcome.stopped(request))) {
        TaskLog.info(LOG, request.taskId(), run.runId())
            .log("{} run {}: stopping ({})", request.taskId(), run.runId(), request.reason());
        run.process.kill(false);
        host.later(KILL_GRACE, () -> {
          if (run.process.alive()) {
            run.process.kill(true);
          }
        });
      }
      return Future.succeededFuture(run.started);
    }
    return store.latestForTask(request.taskId()).compose(latest -> {
      if (latest.isEmpty()) {
        return Future.failedFuture(OrchException.notFound(request.taskId() + " has no run"));
      }
      RunView row = latest.get().view();
      RunView ending = recording.get(row.runId());
      if (ending != null) {
        return Future.succeededFuture(ending);
      }
      // A live row nobody here follows: orch is not running, its end could not be recorded, or orch restarted.
      return row.status().live() && !owned(row) ? stopUnfollowed(latest.get(), request) : Future.succeededFuture(row);
    });
  }

  /** Ends its agent if it is still the recorded process, and records the run as stopped once the agent is dead. */
  private Future<RunView> stopUnfollowed(StoredRun stored, StopRequest request) {
    RunView row = stored.view();
    settling.add(row.runId());
    return host.blocking(() -> new Found(agentsOf(stored), totalsFromLog(row)))
        .compose(found -> ended(found.agents()).map(found))
        .compose(found -> {
          RunView stopped = settle(row, RunOutcome.stopped(request), null, found.totals());
          return record(stopped).map(stopped);
        })
        .onComplete(done -> settling.remove(row.runId()));
  }

  // ---- restart and sweep

  private record Found(List<AgentProcess> agents, RunTotals totals) {
  }

  /**
   * Every live row nobody here follows: re-attached when its recorded agent still runs; otherwise settled from its
   * log once no agent of it is left. A row whose pid was never recorded is {@link StopCause#LOST}, once whatever was
   * spawned for it is ended. Runs at start and periodically.
   */
  Future<Void> reconcile(boolean afterRestart) {
    if (!orchestrating || reconciling || shuttingDown) {
      return Future.succeededFuture();
    }
    reconciling = true;
    return store.live()
        .compose(rows -> Future.join(rows.stream().filter(r -> !owned(r.view()))
            .map(r -> reconcile(r, afterRestart)).toList()).<Void>mapEmpty())
        .onComplete(done -> reconciling = false);
  }

  private Future<Void> reconcile(StoredRun stored, boolean afterRestart) {
    RunView row = withLog(stored.view());
    settling.add(row.runId());
    return host.blocking(() -> new Found(agentsOf(stored), totalsFromLog(row))).compose(found -> {
      if (shuttingDown) {
        return Future.<Void>succeededFuture();
      }
      if (row.pid() > 0 && !found.agents().isEmpty() && row.status() == RunStatus.RUNNING) {
        settling.remove(row.runId());
        follow(row, row.taskId(), found.agents().get(0), found.totals());
        TaskLog.info(LOG, row.taskId(), row.runId())
            .log("{} run {}: re-attached to agent pid {}", row.taskId(), row.runId(), row.pid());
        events.started(row);
        return Future.<Void>succeededFuture();
      }
      // No pid recorded: orch stopped between the row and the spawn's record, so the run is lost, not failed, unless
      // its agent ran to its end meanwhile and said how it went.
      boolean saidHowItEnded = found.agents().isEmpty() && found.totals().result() != null;
      return ended(found.agents()).compose(v -> {
        RunOutcome outcome = row.pid() == 0 && !saidHowItEnded ? RunOutcome.lost(!found.agents().isEmpty())
            : found.totals().resultSucceeded() ? new RunOutcome(RunStatus.SUCCEEDED, null)
            : found.totals().result() != null && found.totals().limit() != null
                ? RunOutcome.decide(null, null, found.totals(), "")
            : new RunOutcome(RunStatus.FAILED, (afterRestart ? "the agent process was gone when orch restarted"
                : "the agent process ended while orch was not following it")
                + (found.totals().result() == null ? ", without a result" : ""));
        RunView settled = settle(row, outcome, null, found.totals());
        TaskLog.info(LOG, row.taskId(), row.runId())
            .log("{} run {}: settled unfollowed as {}", row.taskId(), row.runId(), outcome.status().wire());
        return record(settled);
      });
    }).onComplete(done -> settling.remove(row.runId()));
  }

  /**
   * Blocking. The run's agent: its recorded process if that still runs; for a row whose pid was never recorded, the
   * processes in its worktree that started after the run did (an agent and its commands, not a person's shell).
   */
  private List<AgentProcess> agentsOf(StoredRun stored) {
    RunView row = stored.view();
    if (row.pid() > 0) {
      return processes.find(row.pid(), stored.pidStartedAt()).stream().toList();
    }
    if (row.worktree() == null || row.worktree().isEmpty()) {
      return List.of();
    }
    long since = row.startedAt() - OsProcesses.SAME_START_TOLERANCE_MILLIS;
    return processes.workingIn(Path.of(row.worktree())).stream().filter(p -> p.startedAt() >= since).toList();
  }

  /** Ends them all, and completes once each is dead. */
  private static Future<Void> ended(List<AgentProcess> agents) {
    List<Future<Integer>> exits = new ArrayList<>();
    for (AgentProcess agent : agents) {
      agent.kill(true);
      exits.add(agent.exit());
    }
    return Future.join(exits).mapEmpty();
  }

  /** A row recorded before its agent's start has no log file yet; its agent may have written one all the same. */
  private RunView withLog(RunView row) {
    return row.logFile() == null || row.logFile().isEmpty()
        ? row.recordedAs(row.runId(), RunFiles.of(logDir, row.taskId(), row.runId()).log().toString()) : row;
  }

  /** Blocking: what a run's log says, for a run orch did not follow to its end. */
  private RunTotals totalsFromLog(RunView row) {
    if (row.logFile() == null || row.logFile().isEmpty()) {
      return RunTotals.empty();
    }
    RunTotals totals = RunTotals.empty();
    long now = clock.millis();
    for (String line : new LogTail(Path.of(row.logFile())).readNewLines()) {
      for (AgentEvent event : StreamJsonReader.read(line)) {
        totals = totals.with(event, now);
      }
    }
    return totals;
  }

  /** orch stops: every live agent is ended and its run recorded as stopped by the shutdown. */
  Future<Void> shutdown() {
    shuttingDown = true;
    List<Future<Void>> finishing = new ArrayList<>();
    for (LiveRun run : List.copyOf(live.values())) {
      run.endAs(RunOutcome.stopped(new StopRequest(run.started.taskId(), RunStatus.STOPPED, StopCause.SHUTDOWN, null)));
      run.process.kill(true);
      finishing.add(finish(run, null));
    }
    return Future.join(finishing).mapEmpty();
  }

  // ---- questions

  /** A stored run, with live usage where orch is following it right now. */
  RunView current(RunView stored) {
    LiveRun run = live.get(stored.runId());
    return run == null ? stored : stored.withUsage(run.totals().usage());
  }

  /** Tasks with a run this supervisor follows or is starting. */
  Set<TaskId> liveTasks() {
    Set<TaskId> tasks = new HashSet<>(launching);
    live.values().forEach(r -> tasks.add(r.started.taskId()));
    return tasks;
  }

  private boolean owned(RunView row) {
    return live.containsKey(row.runId()) || recording.containsKey(row.runId()) || settling.contains(row.runId())
        || launching.contains(row.taskId());
  }

  private Optional<LiveRun> liveRunOf(TaskId taskId) {
    return live.values().stream().filter(r -> r.started.taskId().equals(taskId)).findFirst();
  }

  private static String what(RunView run, String part) {
    return run.taskId() + " run " + run.runId() + "'s " + part;
  }

  private static String pids(List<AgentProcess> found) {
    return String.join(", ", found.stream().map(p -> Long.toString(p.pid())).toList());
  }

  private static String message(Throwable failure) {
    return failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }
}
