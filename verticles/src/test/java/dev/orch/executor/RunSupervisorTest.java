package dev.orch.executor;

import dev.orch.contract.LaunchRequest;
import dev.orch.contract.OrchException;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.executor.Fakes.FakeProcess;
import dev.orch.testkit.MovableClock;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** A run's life without Vert.x: fake agent processes, an in-memory store, a clock moved by hand. */
class RunSupervisorTest {
  private static final String RESULT = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":3,"
      + "\"result\":\"Done.\",\"session_id\":\"s\",\"total_cost_usd\":0.5,\"usage\":{\"input_tokens\":100,"
      + "\"output_tokens\":20}}";

  @TempDir
  Path tmp;
  final MovableClock clock = MovableClock.at("2026-11-28T10:00:00Z");
  final Fakes.InlineHost host = new Fakes.InlineHost(clock);
  final Fakes.Events events = new Fakes.Events();
  final Fakes.Records store = new Fakes.Records();
  final Fakes.Processes processes = new Fakes.Processes(clock);
  Fakes.Workspace workspace;
  RunSupervisor supervisor;

  @BeforeEach
  void supervisor() {
    workspace = new Fakes.Workspace(tmp.resolve("worktrees"));
    supervisor = supervisor(true);
  }

  private RunSupervisor supervisor(boolean orchestrating) {
    return new RunSupervisor(store, processes, workspace, events, host, clock, tmp.resolve("logs"), orchestrating);
  }

  private static <T> T done(Future<T> future) {
    assertThat(future.isComplete()).as("completed").isTrue();
    if (future.failed()) {
      throw new AssertionError(future.cause());
    }
    return future.result();
  }

  private RunView launch(String taskId) {
    return done(supervisor.launch(new LaunchRequest(TaskId.parseFull(taskId), 1, "Title of " + taskId, "plans/" + taskId + ".md",
        List.of(), true)));
  }

  private void writeLog(RunView run, String line) throws Exception {
    Files.createDirectories(Path.of(run.logFile()).getParent());
    Files.writeString(Path.of(run.logFile()), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void aLaunchRecordsThePidAndItsStartTimeAndAnnouncesTheRunOnlyThen() {
    RunView run = launch("app/E01");

    FakeProcess agent = processes.last();
    RunRecords.StoredRun row = store.rows.get(run.runId());
    assertThat(row.view().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(row.view().pid()).isEqualTo(agent.pid);
    assertThat(row.pidStartedAt()).isEqualTo(agent.startedAt);
    assertThat(events.started).singleElement().satisfies(started -> {
      assertThat(started.title()).isEqualTo("Title of app/E01");
      assertThat(started.file()).isEqualTo("plans/app/E01.md");
      assertThat(started.needsReview()).as("carried from the launch, for prbot").isTrue();
    });
    assertThat(processes.spawned.get(0).worktree()).isEqualTo(workspace.pathOf(TaskId.parseFull("app/E01")));
  }

  @Test
  void theFilesARunningAgentChangedAreToldOnceEachTimeTheyChange() throws Exception {
    RunView run = launch("app/E01");
    Path worktree = Path.of(run.worktree());
    Files.createDirectories(worktree.resolve("src/billing"));
    Files.writeString(worktree.resolve("src/billing/Invoice.java"), "class Invoice {}");

    done(supervisor.lookAtWorktrees());
    done(supervisor.lookAtWorktrees());
    Files.writeString(worktree.resolve("pom.xml"), "<project/>");
    done(supervisor.lookAtWorktrees());

    assertThat(events.touched).extracting(RunTouched::paths).containsExactly(
        List.of("src/billing/Invoice.java"), List.of("pom.xml", "src/billing/Invoice.java"));
    assertThat(events.touched).allSatisfy(t -> {
      assertThat(t.runId()).isEqualTo(run.runId());
      assertThat(t.taskId().toString()).isEqualTo("app/E01");
    });
  }

  @Test
  void anAgentThatEndsWithASuccessfulResultSucceedsAndItsEndIsWrittenBeforeItIsAnnounced() throws Exception {
    RunView run = launch("app/E01");
    writeLog(run, RESULT);
    done(supervisor.poll());
    assertThat(events.output).hasSize(1);
    assertThat(events.finished).isEmpty();

    store.failFinish = 3;
    processes.last().end(0);
    done(supervisor.poll());

    assertThat(store.view(run.runId()).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(events.finished).singleElement().satisfies(finished -> {
      assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(finished.costUsd()).isEqualTo(0.5);
      assertThat(finished.inputTokens()).isEqualTo(100);
      assertThat(finished.title()).isEqualTo("Title of app/E01");
    });
    assertThat(store.view(run.runId()).costUsd()).isEqualTo(0.5);
  }

  @Test
  void h5_aStoreBusyForAWhileDoesNotFailARunningAgent() {
    store.failMarkRunning = 15;

    RunView run = launch("app/E01");

    assertThat(store.view(run.runId()).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(processes.last().kills).isEmpty();
    assertThat(events.started).hasSize(1);
    assertThat(events.finished).isEmpty();
  }

  @Test
  void h5_anAgentWhoseStartTheStoreWillNotTakeIsEndedFirstAndTheRunFailsOnlyOnceItIsDead() {
    store.failMarkRunning = Integer.MAX_VALUE;
    processes.hangs = true;

    RunView run = launch("app/E01");
    FakeProcess agent = processes.last();

    assertThat(agent.kills).containsExactly("force");
    assertThat(clock.millis() - run.startedAt()).isGreaterThanOrEqualTo(RunSupervisor.RECORD_PATIENCE.toMillis());
    done(supervisor.poll());
    assertThat(store.view(run.runId()).status()).as("not failed while its agent may still run")
        .isEqualTo(RunStatus.STARTING);
    assertThat(events.started).isEmpty();
    assertThat(events.finished).isEmpty();

    agent.end(137);
    done(supervisor.poll());

    assertThat(store.view(run.runId()).status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.view(run.runId()).reason()).contains("could not record the agent's start");
    assertThat(store.view(run.runId()).stopCause()).as("a store that refuses may go on refusing: the attempt counts")
        .isNull();
    assertThat(events.finished).singleElement().extracting(RunView::status).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void h5_whileAnAgentIsBeingEndedItsTaskCannotStartAgain() {
    store.failMarkRunning = Integer.MAX_VALUE;
    RunView run = launch("app/E01");
    FakeProcess agent = processes.last();
    assertThat(agent.alive()).isFalse();

    Future<RunView> again = supervisor.launch(new LaunchRequest(TaskId.parseFull("app/E01"), 2, "t", "f.md", List.of(), false));

    assertThat(again.cause()).isInstanceOf(OrchException.class).hasMessageContaining("already has a live run");
    assertThat(store.view(run.runId()).status()).as("settled only by the poll that sees the exit")
        .isEqualTo(RunStatus.STARTING);
  }

  @Test
  void h5_whatStillWorksInAnOldWorktreeIsEndedBeforeTheWorktreeIsReplaced() throws Exception {
    Path worktree = Files.createDirectories(workspace.pathOf(TaskId.parseFull("app/E01")));
    processes.hangs = true;
    FakeProcess leftover = processes.running(worktree.resolve("src"), clock.millis() - 60_000);
    processes.hangs = false;

    Future<RunView> launched = supervisor.launch(new LaunchRequest(TaskId.parseFull("app/E01"), 2, "t", "f.md", List.of(), false));

    assertThat(leftover.kills).containsExactly("force");
    assertThat(processes.spawned).as("no new agent while the old process lives").isEmpty();
    assertThat(launched.isComplete()).isFalse();

    leftover.end(137);

    assertThat(done(launched).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(processes.spawned).hasSize(1);
  }

  @Test
  void aResumeLeavesWhatRunsInItsWorktreeAlone() throws Exception {
    RunView first = launch("app/E01");
    processes.last().end(0);
    done(supervisor.poll());
    FakeProcess server = processes.running(Path.of(first.worktree()), clock.millis());

    done(supervisor.resume(ResumeRequest.withPrompt(TaskId.parseFull("app/E01"), "fix it")));

    assertThat(server.kills).isEmpty();
    assertThat(processes.spawned).hasSize(2);
  }

  @Test
  void aPersonsStopEndsTheAgentPolitelyThenForciblyAndRecordsWhoStoppedIt() {
    processes.stubborn = true;
    RunView run = launch("app/E01");
    FakeProcess agent = processes.last();

    done(supervisor.stop(StopRequest.byPerson(TaskId.parseFull("app/E01"))));
    assertThat(agent.kills).containsExactly("term");
    assertThat(store.view(run.runId()).status()).isEqualTo(RunStatus.RUNNING);
    host.fireTimers();
    assertThat(agent.kills).containsExactly("term", "force");
    done(supervisor.poll());

    RunView stopped = store.view(run.runId());
    assertThat(stopped.status()).isEqualTo(RunStatus.STOPPED);
    assertThat(stopped.stopCause()).isEqualTo(StopCause.PERSON);
    assertThat(events.finished).singleElement().extracting(RunView::stopCause).isEqualTo(StopCause.PERSON);
  }

  /** A live row as an earlier orch left it. */
  private RunView row(String taskId, RunStatus status, long pid) {
    String name = taskId.replace('/', '-');
    return RunView.starting(0, TaskId.parseFull(taskId), 1, "s", 0, "orch/" + name, workspace.root.resolve(name).toString(),
        tmp.resolve("logs/" + name + ".jsonl").toString(), clock.millis(), "T", "f.md", false).withStatus(status).withPid(pid);
  }

  @Test
  void m2_theSweepSettlesARunningRowWhoseAgentIsGoneAndReattachesToOneStillAlive() throws Exception {
    FakeProcess alive = processes.running(tmp.resolve("worktrees/app-E02"), clock.millis());
    long gone = store.put(row("app/E01", RunStatus.RUNNING, 4242), clock.millis());
    long followed = store.put(row("app/E02", RunStatus.RUNNING, alive.pid), alive.startedAt);

    done(supervisor.reconcile(false));

    assertThat(store.view(gone).status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.view(gone).reason()).contains("ended while orch was not following it");
    assertThat(events.finished).extracting(RunView::runId).containsExactly(gone);
    assertThat(store.view(followed).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(events.started).extracting(RunView::runId).containsExactly(followed);
    assertThat(alive.kills).isEmpty();

    alive.end(null);
    done(supervisor.poll());
    assertThat(store.view(followed).status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.view(followed).reason()).contains("ended without a result");
  }

  @Test
  void theSweepRecognisesAPidOnlyWithItsStartTime() {
    FakeProcess reused = processes.running(tmp.resolve("elsewhere"), clock.millis());
    long run = store.put(row("app/E01", RunStatus.RUNNING, reused.pid), reused.startedAt - 60_000);

    done(supervisor.reconcile(true));

    assertThat(store.view(run).status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.view(run).reason()).contains("gone when orch restarted");
    assertThat(reused.kills).as("a pid reused by another process is not ours to kill").isEmpty();
  }

  @Test
  void h5_aStartingRowWithoutPidEndsTheProcessesInItsWorktreeFirstThenFails() throws Exception {
    long startedAt = clock.millis();
    long run = store.put(row("app/E01", RunStatus.STARTING, 0), 0);
    Path worktree = tmp.resolve("worktrees/app-E01");
    FakeProcess before = processes.running(worktree, startedAt - 3_600_000);
    clock.advance(Duration.ofSeconds(5));
    processes.stubborn = true;
    FakeProcess agent = processes.running(worktree, clock.millis());

    done(supervisor.reconcile(true));

    assertThat(agent.kills).containsExactly("force");
    assertThat(before.kills).as("a shell older than the run is not its agent").isEmpty();
    assertThat(store.view(run).status()).isEqualTo(RunStatus.STOPPED);
    assertThat(store.view(run).stopCause()).as("orch's end, not the agent's").isEqualTo(StopCause.LOST);
    assertThat(store.view(run).reason()).contains("the agent found in its worktree was ended");
  }

  @Test
  void aRunRecordedButNeverSpawnedBeforeAKillIsLostAtRestartAndAnnouncedWithThatCause() {
    long run = store.put(row("app/E01", RunStatus.STARTING, 0), 0);

    done(supervisor.reconcile(true));

    RunView settled = store.view(run);
    assertThat(settled.status()).isEqualTo(RunStatus.STOPPED);
    assertThat(settled.stopCause()).isEqualTo(StopCause.LOST);
    assertThat(settled.reason()).isEqualTo(StopCause.LOST.describe());
    assertThat(events.finished).singleElement().satisfies(finished -> {
      assertThat(finished.runId()).isEqualTo(run);
      assertThat(finished.stopCause()).isEqualTo(StopCause.LOST);
    });
  }

  @Test
  void anUnrecordedAgentThatRanToItsEndWhileOrchWasDownIsSettledFromItsLogNotLost() throws Exception {
    long run = store.put(row("app/E01", RunStatus.STARTING, 0).recordedAs(0, ""), 0);
    Path log = RunFiles.of(tmp.resolve("logs"), TaskId.parseFull("app/E01"), run).log();
    writeLog(store.view(run).recordedAs(run, log.toString()), RESULT);

    done(supervisor.reconcile(true));

    assertThat(store.view(run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(store.view(run).stopCause()).isNull();
    assertThat(store.view(run).logFile()).isEqualTo(log.toString());
    assertThat(store.view(run).costUsd()).isEqualTo(0.5);
  }

  @Test
  void aRecordedAgentGoneAtRestartIsItsOwnFailureNotLost() {
    long run = store.put(row("app/E01", RunStatus.RUNNING, 4242), clock.millis());

    done(supervisor.reconcile(true));

    assertThat(store.view(run).status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.view(run).stopCause()).as("orch's end does not end its agents").isNull();
  }

  @Test
  void m2_orchStopSettlesARunningRowNobodyFollowsOnceItsAgentIsDead() throws Exception {
    FakeProcess orphan = processes.running(tmp.resolve("worktrees/app-E01"), clock.millis());
    long run = store.put(row("app/E01", RunStatus.RUNNING, orphan.pid), orphan.startedAt);
    writeLog(store.view(run), RESULT);

    RunView stopped = done(supervisor.stop(StopRequest.byPerson(TaskId.parseFull("app/E01"))));

    assertThat(orphan.kills).containsExactly("force");
    assertThat(stopped.status()).isEqualTo(RunStatus.STOPPED);
    assertThat(stopped.costUsd()).as("what the log says it cost is kept").isEqualTo(0.5);
    assertThat(store.view(run).status()).isEqualTo(RunStatus.STOPPED);
    assertThat(events.finished).singleElement().extracting(RunView::stopCause).isEqualTo(StopCause.PERSON);
  }

  @Test
  void aCliProcessStopsARunItDoesNotFollowAndLaunchesNothing() {
    supervisor = supervisor(false);
    FakeProcess agent = processes.running(tmp.resolve("worktrees/app-E01"), clock.millis());
    long run = store.put(row("app/E01", RunStatus.RUNNING, agent.pid), agent.startedAt);

    done(supervisor.stop(StopRequest.byPerson(TaskId.parseFull("app/E01"))));

    assertThat(agent.alive()).isFalse();
    assertThat(store.view(run).status()).isEqualTo(RunStatus.STOPPED);
    assertThat(supervisor.launch(new LaunchRequest(TaskId.parseFull("app/E02"), 1, "t", "f.md", List.of(), false)).cause())
        .hasMessageContaining("does not run agents");
  }

  @Test
  void aResumeContinuesTheSessionInTheSameWorktreeAndKeepsTheTasksTitle() throws Exception {
    RunView first = launch("app/E01");
    writeLog(first, RESULT);
    processes.last().end(0);
    done(supervisor.poll());

    RunView second = done(supervisor.resume(ResumeRequest.withPrompt(TaskId.parseFull("app/E01"), "fix the checks")));

    assertThat(second.resumedFrom()).isEqualTo(first.runId());
    assertThat(second.worktree()).isEqualTo(first.worktree());
    assertThat(second.title()).isEqualTo("Title of app/E01");
    assertThat(second.needsReview()).isTrue();
    assertThat(processes.spawned.get(1).resume()).isTrue();
    assertThat(store.view(second.runId()).status()).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void shutdownRecordsEveryLiveRunAsStoppedByIt() {
    RunView run = launch("app/E01");

    done(supervisor.shutdown());

    assertThat(processes.last().kills).containsExactly("force");
    assertThat(store.view(run.runId()).stopCause()).isEqualTo(StopCause.SHUTDOWN);
    assertThat(events.finished).singleElement().extracting(RunView::status).isEqualTo(RunStatus.STOPPED);
  }

  @Test
  void liveUsageIsShownOnTheStoredRunWhileItIsFollowed() throws Exception {
    RunView run = launch("app/E01");
    writeLog(run, RESULT);
    done(supervisor.poll());

    assertThat(supervisor.current(store.view(run.runId())).costUsd()).isEqualTo(0.5);
    assertThat(supervisor.liveTasks()).containsExactly(TaskId.parseFull("app/E01"));
  }
}
