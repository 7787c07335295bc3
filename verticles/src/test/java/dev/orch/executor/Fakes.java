package dev.orch.executor;

import dev.orch.contract.AgentOutput;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.OrchException;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunUsage;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.testkit.MovableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** In-memory neighbours of the {@link RunSupervisor}: no Vert.x instance, no threads, a clock moved by hand. */
final class Fakes {
  private Fakes() {
  }

  /** Blocking work runs inline; timers wait for {@link #fireTimers}; a failed write is tried again a second later. */
  static final class InlineHost implements Host {
    final MovableClock clock;
    final List<Runnable> timers = new ArrayList<>();
    int writeAttempts;

    InlineHost(MovableClock clock) {
      this.clock = clock;
    }

    @Override
    public <T> Future<T> blocking(Callable<T> work) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }

    @Override
    public void later(Duration delay, Runnable action) {
      timers.add(action);
    }

    void fireTimers() {
      List<Runnable> due = List.copyOf(timers);
      timers.clear();
      due.forEach(Runnable::run);
    }

    @Override
    public <T> Future<T> untilWritten(String what, Supplier<Future<T>> write, BooleanSupplier givingUp) {
      for (int tries = 0; tries < 10_000; tries++) {
        writeAttempts++;
        Future<T> attempt = write.get();
        if (attempt.succeeded() || givingUp.getAsBoolean()) {
          return attempt;
        }
        clock.advance(Duration.ofSeconds(1));
      }
      throw new AssertionError(what + " was never written");
    }
  }

  static final class Events implements RunEvents {
    final List<RunView> started = new ArrayList<>();
    final List<AgentOutput> output = new ArrayList<>();
    final List<RunView> finished = new ArrayList<>();
    final List<RunTouched> touched = new ArrayList<>();

    @Override
    public void touched(RunTouched files) {
      touched.add(files);
    }

    @Override
    public void started(RunView run) {
      started.add(run);
    }

    @Override
    public void output(AgentOutput said) {
      output.add(said);
    }

    @Override
    public void finished(RunView run) {
      finished.add(run);
    }
  }

  /** The runs table in memory, with the rules the SQLite one keeps; writes can be made to fail. */
  static final class Records implements RunRecords {
    final Map<Long, StoredRun> rows = new TreeMap<>();
    long nextId = 1;
    int failMarkRunning;
    int failFinish;

    @Override
    public Future<Long> insert(RunView starting) {
      if (rows.values().stream().anyMatch(r -> r.view().taskId().equals(starting.taskId()) && r.view().status().live())) {
        return Future.failedFuture(OrchException.conflict(starting.taskId() + " already has a live run"));
      }
      long id = nextId++;
      rows.put(id, new StoredRun(starting.recordedAs(id, starting.logFile()), 0));
      return Future.succeededFuture(id);
    }

    /** A row as an earlier orch left it. */
    long put(RunView row, long pidStartedAt) {
      long id = nextId++;
      rows.put(id, new StoredRun(row.recordedAs(id, row.logFile()), pidStartedAt));
      return id;
    }

    @Override
    public Future<Void> markRunning(long runId, String logFile, long pid, long pidStartedAt) {
      if (failMarkRunning > 0) {
        failMarkRunning--;
        return Future.failedFuture(new IllegalStateException("[SQLITE_BUSY] database is locked"));
      }
      StoredRun row = rows.get(runId);
      if (row.view().status() == RunStatus.STARTING) {
        rows.put(runId, new StoredRun(row.view().recordedAs(runId, logFile).withStatus(RunStatus.RUNNING).withPid(pid),
            pidStartedAt));
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> finish(RunView settled) {
      if (failFinish > 0) {
        failFinish--;
        return Future.failedFuture(new IllegalStateException("[SQLITE_FULL] database or disk is full"));
      }
      StoredRun row = rows.get(settled.runId());
      if (!row.view().status().live()) {
        return Future.succeededFuture(false);
      }
      rows.put(settled.runId(), new StoredRun(settled.withPid(row.view().pid()), row.pidStartedAt()));
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> saveUsage(long runId, RunUsage usage) {
      StoredRun row = rows.get(runId);
      rows.put(runId, new StoredRun(row.view().withUsage(usage), row.pidStartedAt()));
      return Future.succeededFuture();
    }

    @Override
    public Future<Optional<StoredRun>> get(long runId) {
      return Future.succeededFuture(Optional.ofNullable(rows.get(runId)));
    }

    @Override
    public Future<Optional<StoredRun>> latestForTask(TaskId taskId) {
      return Future.succeededFuture(rows.values().stream().filter(r -> r.view().taskId().equals(taskId))
          .max(Comparator.comparingLong(r -> r.view().runId())));
    }

    @Override
    public Future<List<StoredRun>> live() {
      return Future.succeededFuture(rows.values().stream().filter(r -> r.view().status().live()).toList());
    }

    RunView view(long runId) {
      return rows.get(runId).view();
    }
  }

  /** A process that lives until the test ends it; a polite kill ends it unless it is stubborn. */
  static final class FakeProcess implements AgentProcesses.AgentProcess {
    final long pid;
    final long startedAt;
    final Path cwd;
    final Promise<Integer> exit = Promise.promise();
    final List<String> kills = new ArrayList<>();
    boolean stubborn;
    /** Not even a forced kill ends it at once (a process in uninterruptible sleep): only {@link #end} does. */
    boolean hangs;

    FakeProcess(long pid, long startedAt, Path cwd) {
      this.pid = pid;
      this.startedAt = startedAt;
      this.cwd = cwd;
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public long startedAt() {
      return startedAt;
    }

    @Override
    public boolean alive() {
      return !exit.future().isComplete();
    }

    @Override
    public Future<Integer> exit() {
      return exit.future();
    }

    @Override
    public void kill(boolean force) {
      kills.add(force ? "force" : "term");
      if (!hangs && (force || !stubborn)) {
        end(143);
      }
    }

    void end(Integer code) {
      exit.tryComplete(code);
    }
  }

  static final class Processes implements AgentProcesses {
    final MovableClock clock;
    final List<FakeProcess> all = new ArrayList<>();
    final List<AgentLauncher.Launch> spawned = new ArrayList<>();
    long nextPid = 1000;
    boolean stubborn;
    boolean hangs;

    Processes(MovableClock clock) {
      this.clock = clock;
    }

    FakeProcess running(Path cwd, long startedAt) {
      FakeProcess p = new FakeProcess(nextPid++, startedAt, cwd);
      p.stubborn = stubborn;
      p.hangs = hangs;
      all.add(p);
      return p;
    }

    FakeProcess last() {
      return all.get(all.size() - 1);
    }

    @Override
    public AgentProcess spawn(AgentLauncher.Launch launch) {
      spawned.add(launch);
      return running(launch.worktree(), clock.millis());
    }

    @Override
    public Optional<AgentProcess> find(long pid, long startedAt) {
      return all.stream().filter(p -> p.pid == pid && p.startedAt == startedAt && p.alive())
          .<AgentProcess>map(p -> p).findFirst();
    }

    @Override
    public List<AgentProcess> workingIn(Path dir) {
      return all.stream().filter(p -> p.alive() && p.cwd.startsWith(dir)).<AgentProcess>map(p -> p).toList();
    }
  }

  /** Worktrees as plain folders under {@code root}. */
  static final class Workspace implements RunWorkspace {
    final Path root;

    Workspace(Path root) {
      this.root = root;
    }

    @Override
    public String branchOf(TaskId task) {
      return "orch/" + task.module() + "-" + task.local();
    }

    @Override
    public Path pathOf(TaskId task) {
      return root.resolve(task.module() + "-" + task.local());
    }

    @Override
    public AgentLauncher.Launch fresh(TaskId task, LaunchRequest request, RunView starting, RunFiles files)
        throws IOException {
      Path worktree = Files.createDirectories(pathOf(task));
      Files.writeString(files.prompt(), request.title());
      return new AgentLauncher.Launch(worktree, files.prompt(), files.log(), files.stderr(), files.mcpConfig(),
          starting.sessionId(), false, true);
    }

    /** Every file in the folder: a plain folder has no history, so all of it is the run's. */
    @Override
    public List<String> touched(Path worktree, int limit) {
      try (var files = Files.walk(worktree)) {
        return files.filter(Files::isRegularFile).map(f -> worktree.relativize(f).toString().replace('\\', '/'))
            .sorted().limit(limit).toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    @Override
    public AgentLauncher.Launch resumed(ResumeRequest request, RunView starting, RunFiles files) throws IOException {
      Files.writeString(files.prompt(), String.valueOf(request.prompt()));
      return new AgentLauncher.Launch(Path.of(starting.worktree()), files.prompt(), files.log(), files.stderr(),
          files.mcpConfig(), starting.sessionId(), true, true);
    }
  }
}
