package dev.orch.executor;

import dev.orch.contract.LaunchRequest;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunView;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import dev.orch.db.UntilWritten;
import dev.orch.scheduler.TaskLifecycle;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The real {@link RunSupervisor} and {@link RunStore} as the crash-and-fault simulation runs them: the store on the
 * simulation's SQLite file, agents and timers from the simulation, blocking work inline (one step at a time), and
 * worktrees as plain folders (the agents commit to the simulation's repository themselves).
 */
public final class SupervisedRuns implements TaskLifecycle.Runs {
  /** The simulation's agent processes. */
  public interface Agents {
    /**
     * Starts an agent working in {@code worktree} for the task; it writes its stream-json result to {@code log}.
     * {@code asked}: the follow-up's prompt template when it continues a session (a fix round), null for a fresh run.
     */
    Agent spawn(String taskId, String branch, Path worktree, Path log, String asked);

    /** Removes the task's worktree and branch, keeping unmerged commits under the archive refs, as the executor does. */
    List<String> removeWorktree(String taskId, String branch, Path worktree, String label) throws IOException;

    Optional<Agent> find(long pid, long startedAt);

    List<Agent> workingIn(Path dir);
  }

  /** One simulated agent process. */
  public interface Agent {
    long pid();

    long startedAt();

    boolean alive();

    Future<Integer> exit();

    void kill(boolean force);
  }

  /** The simulation's side of the executor's events and timers. */
  public interface Surroundings {
    void started(RunView run);

    void finished(RunView run);

    void later(Duration delay, Runnable action);

    UntilWritten.Delay delay();

    boolean dead();
  }

  public static final List<Database.Migration> MIGRATIONS = RunStore.MIGRATIONS;
  public static final String OWNER = RunStore.OWNER;

  private final RunStore store;
  private final RunSupervisor supervisor;
  private final Surroundings around;
  private final Agents agents;
  private final RunWorkspace workspace;
  /** The follow-up a resumed run's agent is asked, by worktree, from preparing it to spawning it. */
  private final Map<Path, String> asked = new java.util.HashMap<>();

  public SupervisedRuns(Pool pool, Clock clock, Path dir, Agents agents, Surroundings around) {
    this.store = new RunStore(pool);
    this.around = around;
    this.agents = agents;
    Path worktrees = dir.resolve("worktrees");
    this.workspace = new RunWorkspace() {
      @Override
      public String branchOf(TaskId task) {
        return "orch/" + task.module() + "-" + task.local();
      }

      @Override
      public Path pathOf(TaskId task) {
        return worktrees.resolve(task.module() + "-" + task.local());
      }

      @Override
      public AgentLauncher.Launch fresh(TaskId task, LaunchRequest request, RunView starting, RunFiles files)
          throws IOException {
        Files.createDirectories(pathOf(task));
        return launch(starting, files, false);
      }

      @Override
      public List<String> touched(Path worktree, int limit) {
        return List.of();
      }

      @Override
      public AgentLauncher.Launch resumed(ResumeRequest request, RunView starting, RunFiles files) {
        asked.put(Path.of(starting.worktree()), request.template());
        return launch(starting, files, true);
      }
    };
    AgentProcesses processes = new AgentProcesses() {
      @Override
      public AgentProcess spawn(AgentLauncher.Launch launch) {
        String taskId = taskOf(launch.worktree());
        return wrap(agents.spawn(taskId, "refs/heads/" + workspace.branchOf(TaskId.parseFull(taskId)), launch.worktree(),
            launch.logFile(), asked.remove(launch.worktree())));
      }

      @Override
      public Optional<AgentProcess> find(long pid, long startedAt) {
        return agents.find(pid, startedAt).map(SupervisedRuns::wrap);
      }

      @Override
      public List<AgentProcess> workingIn(Path folder) {
        return agents.workingIn(folder).stream().map(SupervisedRuns::wrap).toList();
      }

      private String taskOf(Path worktree) {
        String name = worktree.getFileName().toString();
        int dash = name.lastIndexOf('-');
        return name.substring(0, dash) + "/" + name.substring(dash + 1);
      }
    };
    RunEvents events = new RunEvents() {
      @Override
      public void started(RunView run) {
        around.started(run);
      }

      @Override
      public void output(dev.orch.contract.AgentOutput output) {
      }

      @Override
      public void finished(RunView run) {
        around.finished(run);
      }

      @Override
      public void touched(RunTouched touched) {
      }
    };
    Host host = new Host() {
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
        around.later(delay, action);
      }

      @Override
      public <T> Future<T> untilWritten(String what, Supplier<Future<T>> write, BooleanSupplier givingUp) {
        return UntilWritten.write(around.delay(), what, write, failure -> !around.dead() && !givingUp.getAsBoolean());
      }
    };
    this.supervisor = new RunSupervisor(store, processes, workspace, events, host, clock, dir.resolve("logs"), true);
  }

  private static AgentLauncher.Launch launch(RunView starting, RunFiles files, boolean resume) {
    return new AgentLauncher.Launch(Path.of(starting.worktree()), files.prompt(), files.log(), files.stderr(), null,
        starting.sessionId(), resume, true);
  }

  private static AgentProcesses.AgentProcess wrap(Agent agent) {
    return new AgentProcesses.AgentProcess() {
      @Override
      public long pid() {
        return agent.pid();
      }

      @Override
      public long startedAt() {
        return agent.startedAt();
      }

      @Override
      public boolean alive() {
        return agent.alive();
      }

      @Override
      public Future<Integer> exit() {
        return agent.exit();
      }

      @Override
      public void kill(boolean force) {
        agent.kill(force);
      }
    };
  }

  @Override
  public Future<RunView> launch(LaunchRequest request) {
    return supervisor.launch(request);
  }

  @Override
  public Future<RunView> stop(StopRequest request) {
    return supervisor.stop(request);
  }

  @Override
  public Future<List<RunView>> ofTask(TaskId taskId) {
    return store.list(taskId, false, 100).map(rows -> rows.stream().map(RunRecords.StoredRun::view).toList());
  }

  /** A follow-up in the task's session, as prbot asks for one. */
  public Future<RunView> resume(ResumeRequest request) {
    return supervisor.resume(request);
  }

  /**
   * The executor's remove-worktree command (prbot sends it after a merge): refused while a run of the task is live, as
   * the janitor does; otherwise the worktree and branch go, unmerged commits archived first.
   */
  public Future<List<String>> removeWorktree(TaskId task, String label) {
    return store.live().compose(live -> {
      if (live.stream().anyMatch(row -> row.view().taskId().equals(task))) {
        return Future.failedFuture(dev.orch.contract.OrchException.conflict(task + " has a live run; stop it first"));
      }
      try {
        return Future.succeededFuture(agents.removeWorktree(task.toString(), "refs/heads/" + workspace.branchOf(task),
            workspace.pathOf(task), label));
      } catch (IOException e) {
        return Future.failedFuture(e);
      }
    });
  }

  public Future<RunView> run(long runId) {
    return store.get(runId).map(found -> found.orElseThrow().view());
  }

  /** What the verticle's 200 ms poll does; the simulation runs it when an agent exits. */
  public Future<Void> poll() {
    return supervisor.poll();
  }

  /** At start ({@code afterRestart}) and as the periodic sweep. */
  public Future<Void> reconcile(boolean afterRestart) {
    return supervisor.reconcile(afterRestart);
  }
}
