package dev.orch.prbot;

import static dev.orch.prbot.PipelineFixture.BRANCH;
import static dev.orch.prbot.PipelineFixture.TASK;
import static dev.orch.prbot.PipelineFixture.result;
import static dev.orch.prbot.PipelineFixture.transientFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.ChecksState;
import dev.orch.contract.FollowUpKind;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.PrStage;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull request's way from a finished run to the main branch, with in-memory neighbours and a test clock. */
class PullRequestPipelineTest {
  @TempDir
  Path tmp;
  PipelineFixture f;
  PullRequestPipeline pipeline;

  @BeforeEach
  void setUp() {
    f = new PipelineFixture(tmp);
    pipeline = f.pipeline();
  }

  @Test
  void aSuccessfulRunBecomesAPullRequestThatIsCheckedAndMergedAskingNobodyForItsTask() {
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    PullRequestView pr = f.store.only();
    assertThat(pr.state()).isEqualTo(PrState.MERGED);
    assertThat(pr.stage()).isEqualTo(PrStage.DONE);
    assertThat(pr.checksState()).isEqualTo(ChecksState.PASSED);
    assertThat(pr.checks()).isEqualTo("passed");
    assertThat(pr.mergeCommit()).isEqualTo("merge-1");
    assertThat(pr.changedPaths()).as("read from the repository for the merged event").containsExactly("a.txt");
    assertThat(pr.reason()).isNull();
    assertThat(pr.title()).isEqualTo("Do the thing (app/E01)");
    assertThat(pr.taskFile()).isEqualTo("docs/plans/app/epic-01-x.md");
    assertThat(f.status.written).singleElement().satisfies(w -> {
      assertThat(w.status()).isEqualTo(PlanStatus.COMPLETE);
      assertThat(w.file()).isEqualTo("docs/plans/app/epic-01-x.md");
    });
    assertThat(f.forge.merged).singleElement().asString().contains("Orch-Pull-Request: 1");
    assertThat(f.repo.markedMerged).containsExactly(TASK + "@head-1");
    assertThat(f.events.seen).containsExactly("opened #1", "merged #1");
    assertThat(f.tasks.asked).as("the event carried the run, and the run the task as it was launched").isZero();

    f.timers.fireAll(f.clock);
    assertThat(f.agent.removed).containsExactly(TASK);
  }

  @Test
  void redChecksGoBackToTheAgentAndTheGreenRoundIsMerged() {
    f.checks.results.add(PipelineFixture.FakeChecks.red());

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    PullRequestView fixing = f.store.only();
    assertThat(fixing.stage()).isEqualTo(PrStage.FIXING);
    assertThat(fixing.followUp()).isEqualTo(FollowUpKind.CHECKS_FAILED);
    assertThat(fixing.checksState()).isEqualTo(ChecksState.FAILED);
    assertThat(fixing.fixRounds()).isEqualTo(1);
    assertThat(fixing.reason()).isEqualTo("fixing red checks: 'make test' failed (exit 2)");
    assertThat(f.agent.resumed).singleElement().satisfies(request -> {
      assertThat(request.template()).isEqualTo(FollowUp.CHECKS_FAILED_TEMPLATE);
      assertThat(request.values()).containsEntry("Title", "Do the thing").containsEntry("Round", "1")
          .containsEntry("MaxRounds", "2").containsEntry("Output", "FAIL: works").containsEntry("TaskID", TASK.toString());
    });
    assertThat(f.events.seen).containsExactly("opened #1", "fixing #1");

    result(pipeline.onRunFinished(f.run(100, RunStatus.SUCCEEDED)));

    PullRequestView merged = f.store.only();
    assertThat(merged.state()).isEqualTo(PrState.MERGED);
    assertThat(merged.runId()).isEqualTo(100);
    assertThat(merged.headCommit()).isEqualTo("head-2");
    assertThat(merged.costUsd()).isEqualTo(0.5);
    assertThat(f.checks.runs).isEqualTo(2);
    assertThat(f.tasks.asked).isZero();
  }

  /** A fix round's run that orch stopped before its agent started (a kill -9 between its record and its spawn). */
  private RunView lost(long runId) {
    return f.run(runId, RunStatus.STARTING).settled(RunStatus.STOPPED, StopCause.LOST, StopCause.LOST.describe(), null, 0);
  }

  @Test
  void aChecksRoundLostToAKillStartsAgainUncountedAndIsNotHandedToAPerson() {
    f.checks.results.addAll(List.of(PipelineFixture.FakeChecks.red(), PipelineFixture.FakeChecks.red()));
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));
    assertThat(f.store.only().fixRounds()).isEqualTo(1);

    result(pipeline.onRunFinished(lost(100)));
    // The restart's look at the executor finds the same lost run: the round starts again once.
    f.agent.latest.put(TASK, lost(100));
    result(pipeline.resumeAll());

    PullRequestView again = f.store.only();
    assertThat(again.state()).isEqualTo(PrState.OPEN);
    assertThat(again.stage()).isEqualTo(PrStage.FIXING);
    assertThat(again.followUp()).isEqualTo(FollowUpKind.CHECKS_FAILED);
    assertThat(again.fixRounds()).as("the lost round is not a round used").isEqualTo(1);
    assertThat(f.agent.resumed).hasSize(2).allSatisfy(request ->
        assertThat(request.values()).containsEntry("Round", "1").containsEntry("MaxRounds", "2"));
    assertThat(f.events.seen).containsExactly("opened #1", "fixing #1", "fixing #1");

    result(pipeline.onRunFinished(f.run(101, RunStatus.SUCCEEDED)));
    assertThat(f.store.only().state()).isEqualTo(PrState.MERGED);
  }

  @Test
  void aConflictRoundLostToAKillStartsAgainInsteadOfCountingAsTheAgentsAttempt() {
    f.repo.updates.addAll(List.of(new BranchUpdate.Outcome(BranchUpdate.Kind.CONFLICT, "a.txt"),
        new BranchUpdate.Outcome(BranchUpdate.Kind.CONFLICT, "a.txt")));
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    result(pipeline.onRunFinished(lost(100)));

    PullRequestView again = f.store.only();
    assertThat(again.state()).as("not 'it still conflicts after the agent's attempt'").isEqualTo(PrState.OPEN);
    assertThat(again.followUp()).isEqualTo(FollowUpKind.CONFLICT);
    assertThat(f.agent.resumed).hasSize(2)
        .allSatisfy(request -> assertThat(request.template()).isEqualTo(FollowUp.CONFLICT_TEMPLATE));

    result(pipeline.onRunFinished(f.run(101, RunStatus.SUCCEEDED)));
    assertThat(f.store.only().state()).isEqualTo(PrState.MERGED);
  }

  @Test
  void aRoundTheExecutorNeverRecordedBeforeAKillStartsAgainAfterTheRestart() {
    f.checks.results.addAll(List.of(PipelineFixture.FakeChecks.red(), PipelineFixture.FakeChecks.red()));
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));
    // Killed after the pull request went to the agent, before the executor recorded a run: its latest is still run 1.
    f.agent.latest.put(TASK, f.run(1, RunStatus.SUCCEEDED));

    result(f.pipeline().resumeAll());

    assertThat(f.store.only().stage()).isEqualTo(PrStage.FIXING);
    assertThat(f.store.only().fixRounds()).isEqualTo(1);
    assertThat(f.agent.resumed).hasSize(2);
    assertThat(f.checks.runs).as("the branch is checked again, not taken as the agent's fix").isEqualTo(2);
  }

  @Test
  void changesAPersonAskedForThatALostRoundNeverStartedGoBackToThePerson() {
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED, true)));
    assertThat(f.store.only().state()).isEqualTo(PrState.FLAGGED);
    result(pipeline.reject(1, "rename the flag"));

    result(pipeline.onRunFinished(lost(100)));

    PullRequestView back = f.store.only();
    assertThat(back.state()).isEqualTo(PrState.FLAGGED);
    assertThat(back.reason()).isEqualTo("orch stopped before the agent started on it (changes requested by a person:"
        + " rename the flag); send the changes back again");
    assertThat(f.forge.merged).isEmpty();
  }

  @Test
  void checksStillRedAfterTheLastRoundGoToAPerson() {
    f.checks.results.addAll(List.of(PipelineFixture.FakeChecks.red(), PipelineFixture.FakeChecks.red(),
        PipelineFixture.FakeChecks.red()));

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));
    result(pipeline.onRunFinished(f.run(100, RunStatus.SUCCEEDED)));
    result(pipeline.onRunFinished(f.run(101, RunStatus.SUCCEEDED)));

    PullRequestView pr = f.store.only();
    assertThat(pr.state()).isEqualTo(PrState.FLAGGED);
    assertThat(pr.stage()).isEqualTo(PrStage.WAITING);
    assertThat(pr.reason()).isEqualTo("checks still fail after 2 fix rounds: 'make test' failed (exit 2)");
    assertThat(f.agent.resumed).hasSize(2);
  }

  @Test
  void aConflictGoesToTheAgentOnceAndAConflictAfterItsAttemptToAPerson() {
    f.repo.updates.add(new BranchUpdate.Outcome(BranchUpdate.Kind.CONFLICT, "a.txt\nb.txt"));

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    PullRequestView fixing = f.store.only();
    assertThat(fixing.stage()).isEqualTo(PrStage.FIXING);
    assertThat(fixing.followUp()).isEqualTo(FollowUpKind.CONFLICT);
    assertThat(fixing.fixRounds()).as("a conflict round is not a fix round").isZero();
    assertThat(fixing.reason()).isEqualTo("resolving a conflict with the main branch in a.txt b.txt");
    assertThat(f.agent.resumed).singleElement().satisfies(request -> {
      assertThat(request.template()).isEqualTo(FollowUp.CONFLICT_TEMPLATE);
      assertThat(request.values()).containsEntry("MainBranch", "main").containsEntry("Files", "    a.txt\n    b.txt");
    });

    f.repo.updates.add(new BranchUpdate.Outcome(BranchUpdate.Kind.CONFLICT, "a.txt"));
    result(pipeline.onRunFinished(f.run(100, RunStatus.SUCCEEDED)));

    PullRequestView flagged = f.store.only();
    assertThat(flagged.state()).isEqualTo(PrState.FLAGGED);
    assertThat(flagged.reason()).isEqualTo("it still conflicts with main after the agent's attempt: a.txt");
    assertThat(f.forge.merged).isEmpty();
  }

  @Test
  void aConflictAfterAChecksRoundIsAFreshConflictRound() {
    f.checks.results.add(PipelineFixture.FakeChecks.red());
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));
    f.repo.updates.add(new BranchUpdate.Outcome(BranchUpdate.Kind.CONFLICT, "a.txt"));

    result(pipeline.onRunFinished(f.run(100, RunStatus.SUCCEEDED)));

    assertThat(f.store.only().followUp()).isEqualTo(FollowUpKind.CONFLICT);
    assertThat(f.store.only().state()).isEqualTo(PrState.OPEN);
  }

  @Test
  void aChangeThatNeedsReviewIsFlaggedAndWaitsForAPersonAcrossARestart() {
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED, true)));

    PullRequestView flagged = f.store.only();
    assertThat(flagged.state()).isEqualTo(PrState.FLAGGED);
    assertThat(flagged.stage()).isEqualTo(PrStage.WAITING);
    assertThat(flagged.labels()).containsExactly(PullRequestPipeline.NEEDS_REVIEW_LABEL, "plan");
    assertThat(flagged.reason()).startsWith("review needed: plan: docs/plans/app/epic-01-x.md");
    assertThat(f.events.seen).containsExactly("opened #1", "flagged #1");

    result(f.pipeline().resumeAll());
    assertThat(f.store.only().state()).isEqualTo(PrState.FLAGGED);
    assertThat(f.forge.merged).isEmpty();

    PullRequestView merged = result(f.pipeline().mergeByPerson(1, false));
    assertThat(merged.state()).isEqualTo(PrState.MERGED);
    assertThat(merged.reason()).isEqualTo("merged by a person");
  }

  @Test
  void aNeighbourThatIsNotThereYetIsAskedAgainWithBackoffAndNeverFlagsThePullRequest() {
    f.status.failures.addAll(List.of(transientFailure("no handler for orch.parser.cmd"),
        transientFailure("timed out"), transientFailure("timed out")));

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    assertThat(f.store.only().state()).isEqualTo(PrState.OPEN);
    assertThat(f.timers.pending).hasSize(1);
    f.timers.fireAll(f.clock);

    assertThat(f.timers.delays).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(f.store.only().state()).isEqualTo(PrState.MERGED);
    assertThat(f.store.saves).noneMatch(pr -> pr.state() == PrState.FLAGGED);
    assertThat(f.events.seen).doesNotContain("flagged #1");
    assertThat(f.forge.merged).hasSize(1);
  }

  @Test
  void anExecutorThatCannotTakeTheFeedbackYetIsAskedAgainAndThePullRequestStaysWithTheAgent() {
    f.checks.results.add(PipelineFixture.FakeChecks.red());
    f.agent.failures.add(transientFailure("no handler for orch.executor.cmd"));

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    assertThat(f.store.only().stage()).isEqualTo(PrStage.FIXING);
    assertThat(f.agent.resumed).isEmpty();
    f.timers.fireAll(f.clock);
    assertThat(f.agent.resumed).hasSize(1);
    assertThat(f.store.only().state()).isEqualTo(PrState.OPEN);
    assertThat(f.events.seen).containsExactly("opened #1", "fixing #1");
  }

  @Test
  void aRestartResumesEachOpenPullRequestAtItsStage() {
    f.store.rows.put(1, open(1, TaskId.parseFull("app/E01"), PrStage.CHECKING).withChecks(ChecksState.PASSED, null));
    f.store.rows.put(2, open(2, TaskId.parseFull("app/E02"), PrStage.FIXING));
    f.agent.latest.put(TaskId.parseFull("app/E02"), f.run(200, RunStatus.SUCCEEDED));
    f.store.rows.put(3, open(3, TaskId.parseFull("app/E03"), PrStage.FIXING));
    f.agent.latest.put(TaskId.parseFull("app/E03"), f.run(300, RunStatus.RUNNING));
    f.store.rows.put(4, open(4, TaskId.parseFull("app/E04"), PrStage.WAITING).flagged("review needed: security"));

    result(f.pipeline().resumeAll());

    assertThat(f.store.rows.get(1).state()).isEqualTo(PrState.MERGED);
    assertThat(f.store.rows.get(2).state()).isEqualTo(PrState.MERGED);
    assertThat(f.store.rows.get(2).runId()).isEqualTo(200);
    assertThat(f.store.rows.get(3).stage()).as("its agent is still at work").isEqualTo(PrStage.FIXING);
    assertThat(f.store.rows.get(4).state()).isEqualTo(PrState.FLAGGED);
    assertThat(f.checks.runs).as("#1's checks had passed; #2's new head is checked").isEqualTo(1);
    assertThat(f.events.seen).containsExactly("merged #1", "merged #2");
    assertThat(f.tasks.asked).isZero();
  }

  @Test
  void aPullRequestWithTheAgentWaitsForAnExecutorNotYetDeployedAfterARestart() {
    f.store.rows.put(2, open(2, TaskId.parseFull("app/E02"), PrStage.FIXING));
    f.agent.latest.put(TaskId.parseFull("app/E02"), f.run(200, RunStatus.SUCCEEDED));
    f.agent.latestFailures.add(transientFailure("no handler for orch.executor.cmd"));

    result(f.pipeline().resumeAll());
    assertThat(f.store.rows.get(2).stage()).isEqualTo(PrStage.FIXING);
    f.timers.fireAll(f.clock);

    assertThat(f.store.rows.get(2).state()).isEqualTo(PrState.MERGED);
    assertThat(f.events.seen).containsExactly("merged #2");
  }

  @Test
  void aRunRecordedBeforeRunsCarriedTheirTaskAsksTheSchedulerOnce() {
    f.tasks.tasks.put(TASK, PipelineFixture.task(TASK, true));

    result(pipeline.onRunFinished(f.legacyRun(1, RunStatus.SUCCEEDED)));

    PullRequestView flagged = f.store.only();
    assertThat(flagged.title()).isEqualTo("Do the thing (app/E01)");
    assertThat(flagged.needsReview()).isTrue();
    assertThat(flagged.state()).as("needs_review came from the scheduler's task").isEqualTo(PrState.FLAGGED);
    assertThat(f.tasks.askedForTask).isEqualTo(1);
    assertThat(f.tasks.asked).isEqualTo(1);
  }

  @Test
  void aPersonOpeningForARunAsksTheExecutorForItButNeverTheScheduler() {
    f.checks.results.add(PipelineFixture.FakeChecks.red());
    f.tasks.runs.put(1L, f.run(1, RunStatus.SUCCEEDED, true));

    PullRequestView pr = result(pipeline.open(TASK, 1));

    assertThat(pr.needsReview()).isTrue();
    assertThat(pr.taskFile()).isEqualTo("docs/plans/app/epic-01-x.md");
    assertThat(pr.body()).contains("Implements app/E01: Do the thing").contains("Plan: `docs/plans/app/epic-01-x.md`");
    assertThat(f.tasks.askedForTask).isZero();
    assertThat(f.tasks.asked).as("the run, once").isEqualTo(1);
  }

  @Test
  void theRunsEndAndTheSchedulersOpenForTheSameRunAtOnceOpenOnePullRequest() {
    f.tasks.held = io.vertx.core.Promise.promise();
    io.vertx.core.Future<PullRequestView> byScheduler = pipeline.open(TASK, 1);
    io.vertx.core.Future<Void> byEvent = pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED, true));
    f.tasks.held.complete(f.run(1, RunStatus.SUCCEEDED, true));

    assertThat(result(byScheduler).number()).isEqualTo(1);
    result(byEvent);
    assertThat(f.store.rows).hasSize(1);
    assertThat(f.events.seen).containsExactly("opened #1", "flagged #1");
  }

  @Test
  void aRowFromBeforeTheSnapshotGetsItOnceAndCarriesOn() {
    PullRequestView legacy = open(1, TASK, PrStage.CHECKING);
    f.store.rows.put(1, new PullRequestView(1, TASK, 1, BRANCH, legacy.title(), "body", PrState.OPEN, null, "head-0",
        null, 1, 1, 0, "", 0, 0, 0, 0, PrStage.CHECKING, 0, List.of(), null, null, null, 0));
    f.tasks.runs.put(1L, f.run(1, RunStatus.SUCCEEDED));

    result(f.pipeline().resumeAll());

    PullRequestView merged = f.store.only();
    assertThat(merged.state()).isEqualTo(PrState.MERGED);
    assertThat(merged.worktree()).isEqualTo(tmp.toString());
    assertThat(merged.taskFile()).isEqualTo("docs/plans/app/epic-01-x.md");
    assertThat(f.tasks.asked).isEqualTo(2);
  }

  @Test
  void aPullRequestWhoseChangeIsAlreadyOnMainIsRecordedAsMergedNotMergedAgain() {
    f.store.rows.put(1, open(1, TASK, PrStage.CHECKING));
    f.repo.onMain.put(1, "abc123");

    result(f.pipeline().resumeAll());

    PullRequestView pr = f.store.only();
    assertThat(pr.state()).isEqualTo(PrState.MERGED);
    assertThat(pr.mergeCommit()).isEqualTo("abc123");
    assertThat(f.forge.merged).isEmpty();
    assertThat(f.status.written).isEmpty();
    assertThat(f.events.seen).containsExactly("merged #1");
  }

  @Test
  void aPullRequestTheForgeMergedBeforeACrashIsRecordedWithTheForgesCommitAndOnlyAfterARestartIsItAsked() {
    f.store.rows.put(1, open(1, TASK, PrStage.CHECKING));
    f.forge.landed.put(1, "gh-sha");

    result(f.pipeline().resumeAll());

    assertThat(f.store.only().state()).isEqualTo(PrState.MERGED);
    assertThat(f.store.only().mergeCommit()).isEqualTo("gh-sha");
    assertThat(f.forge.merged).isEmpty();

    f.store.rows.clear();
    f.forge.askedLanded = 0;
    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));
    assertThat(f.forge.askedLanded).as("a pull request opened after the start cannot have landed unseen").isZero();
  }

  @Test
  void aForgeThatRefusesToOpenThePullRequestIsAskedAgainOnItsWayAndThePullRequestIsKept() {
    f.remoteForge = true;
    f.forge.openFailures = 1;

    result(f.pipeline().onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    PullRequestView pr = f.store.only();
    assertThat(pr.state()).isEqualTo(PrState.MERGED);
    assertThat(pr.remoteNumber()).isEqualTo(41);
    assertThat(f.forge.opened).isEqualTo(1);
  }

  private PullRequestView open(int number, TaskId taskId, PrStage stage) {
    return new PullRequestView(number, taskId, number, "orch/" + taskId.slug(), "T (" + taskId + ")", "body",
        PrState.OPEN, null, "head-0", null, 1, 1, 0, "", 0.25, 15, 0, 0, stage, 0, List.of(), null, null, null, 0,
        ChecksState.NOT_RUN, null, "T", "docs/plans/app/epic-01-x.md", tmp.toString(), false, List.of());
  }

  @Test
  void aStoreOutOfDiskWhileAdvancingIsWaitedOutNotHandedToAPerson() {
    f.store.failingSave = 2;
    f.store.saveFailure = new org.sqlite.SQLiteException("[SQLITE_FULL] database or disk is full",
        org.sqlite.SQLiteErrorCode.SQLITE_FULL);

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));

    assertThat(f.store.only().state()).as("a full disk is passing, not a person's matter").isEqualTo(PrState.OPEN);
    assertThat(f.events.seen).containsExactly("opened #1");
    f.timers.fireAll(f.clock);
    assertThat(f.store.only().state()).isEqualTo(PrState.MERGED);
    assertThat(f.forge.merged).hasSize(1);
  }

  @Test
  void aMergeThatLandedBeforeRecordingItFailedIsRecognisedNotMergedAgain() {
    f.store.failingSave = 4;
    f.store.saveFailure = new org.sqlite.SQLiteException("[SQLITE_BUSY] The database file is locked",
        org.sqlite.SQLiteErrorCode.SQLITE_BUSY);
    // The squash landed with orch's trailers before the store refused to record it.
    f.repo.onMain.put(1, "merge-1");

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));
    assertThat(f.store.only().state()).isEqualTo(PrState.OPEN);
    f.timers.fireAll(f.clock);

    PullRequestView merged = f.store.only();
    assertThat(merged.state()).isEqualTo(PrState.MERGED);
    assertThat(merged.mergeCommit()).isEqualTo("merge-1");
    assertThat(f.forge.merged).as("merged once").hasSize(1);
    assertThat(f.events.seen).containsExactly("opened #1", "merged #1");
  }

  @Test
  void aRunWhosePullRequestTheStoreCouldNotRecordYetBecomesOneLater() {
    f.store.insertFailure = new org.sqlite.SQLiteException("[SQLITE_FULL] database or disk is full",
        org.sqlite.SQLiteErrorCode.SQLITE_FULL);

    result(pipeline.onRunFinished(f.run(1, RunStatus.SUCCEEDED)));
    assertThat(f.store.rows).isEmpty();
    f.timers.fireAll(f.clock);

    assertThat(f.store.only().state()).as("its task waits in running for it").isEqualTo(PrState.MERGED);
    assertThat(f.events.seen).containsExactly("opened #1", "merged #1");
  }
}
