package dev.orch.prbot;

import dev.orch.testkit.MovableClock;
import dev.orch.contract.OrchException;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.PrState;
import dev.orch.contract.Priority;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import dev.orch.contract.WriteStatusRequest;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * In-memory neighbours for {@link PullRequestPipeline}: every future they answer is already complete, so a call on the
 * pipeline has run as far as it can when it returns; timers wait in {@link ManualTimers} until a test fires them.
 */
final class PipelineFixture {
  static final TaskId TASK = TaskId.parseFull("app/E01");
  static final String BRANCH = "orch/app-E01";

  final MovableClock clock = MovableClock.at("2026-11-29T04:00:00Z");
  final InMemoryPullRequests store = new InMemoryPullRequests();
  final FakeForge forge = new FakeForge();
  final FakeRepository repo = new FakeRepository();
  final FakeAgent agent = new FakeAgent();
  final FakeTasks tasks = new FakeTasks();
  final FakeStatus status = new FakeStatus();
  final FakeChecks checks = new FakeChecks();
  final RecordingEvents events = new RecordingEvents();
  final ManualTimers timers = new ManualTimers();
  final Path worktree;
  boolean remoteForge;

  PipelineFixture(Path worktree) {
    this.worktree = worktree;
    tasks.tasks.put(TASK, task(TASK, false));
  }

  PullRequestPipeline pipeline() {
    return pipeline(forge);
  }

  /** A new pipeline on the same neighbours: what a restart builds from the database. */
  PullRequestPipeline pipeline(Forge withForge) {
    return pipeline(withForge, repo);
  }

  /** With a real forge and repository where git is the point. */
  PullRequestPipeline pipeline(Forge withForge, PipelinePorts.Repository withRepo) {
    return new PullRequestPipeline(new PullRequestPipeline.Settings("squash", "rebase", 2, worktree.resolve("logs"),
        remoteForge),
        clock, store, withForge, withRepo, agent, tasks, status, checks, events, timers);
  }

  static TaskView task(TaskId id, boolean needsReview) {
    return new TaskView(id.toString(), "app", "E", 1, "Do the thing", TaskStatus.RUNNING, Priority.MEDIUM, List.of(), true, null,
        "docs/plans/app/epic-01-x.md", needsReview, 0, 1, 0, 1, 0, null);
  }

  /** A run as the executor records it now: it carries the task as launched (the same as {@link #task}). */
  RunView run(long runId, RunStatus status) {
    return run(runId, status, false);
  }

  RunView run(long runId, RunStatus status, boolean needsReview) {
    return run(runId, status, "Do the thing", "docs/plans/app/epic-01-x.md", needsReview);
  }

  /** A run recorded before runs carried their task's snapshot. */
  RunView legacyRun(long runId, RunStatus status) {
    return run(runId, status, null, null, null);
  }

  private RunView run(long runId, RunStatus status, String title, String file, Boolean needsReview) {
    return new RunView(runId, TASK, 1, status, "s", 0, BRANCH, worktree.toString(), "log", 0, 0, 0, 0, null, 10, 5, 0, 0,
        0.25, 3, 0, null, title, file, needsReview);
  }

  static <T> T result(Future<T> future) {
    if (!future.isComplete()) {
      throw new AssertionError("the pipeline left a future pending: a fake answered asynchronously?");
    }
    if (future.failed()) {
      throw new AssertionError("failed: " + future.cause().getMessage(), future.cause());
    }
    return future.result();
  }

  static OrchException transientFailure(String what) {
    return new OrchException(ErrorCode.TRANSIENT, what);
  }

  static final class InMemoryPullRequests implements PullRequests {
    final TreeMap<Integer, PullRequestView> rows = new TreeMap<>();
    final List<PullRequestView> saves = new ArrayList<>();
    /** The save that fails (1 for the first; 0 for none), and how. */
    int failingSave;
    Throwable saveFailure;
    /** The next insert fails so, once. */
    Throwable insertFailure;
    private int saveCalls;

    @Override
    public Future<PullRequestView> insert(PullRequestView draft) {
      if (insertFailure != null) {
        Throwable failure = insertFailure;
        insertFailure = null;
        return Future.failedFuture(failure);
      }
      int number = rows.isEmpty() ? 1 : rows.lastKey() + 1;
      PullRequestView stored = new PullRequestView(number, draft.taskId(), draft.runId(), draft.branch(), draft.title(),
          draft.body(), PrState.OPEN, null, draft.headCommit(), null, draft.filesChanged(), draft.additions(),
          draft.deletions(), draft.diffStat(), draft.costUsd(), draft.tokens(), draft.createdAt(), 0, draft.stage(), 0,
          List.of(), null, null, null, 0, null, null, draft.taskTitle(), draft.taskFile(), draft.worktree(),
          draft.needsReview(), List.of());
      rows.put(number, stored);
      return Future.succeededFuture(stored);
    }

    @Override
    public Future<PullRequestView> save(PullRequestView pr) {
      if (++saveCalls == failingSave) {
        return Future.failedFuture(saveFailure);
      }
      rows.put(pr.number(), pr);
      saves.add(pr);
      return Future.succeededFuture(pr);
    }

    @Override
    public Future<Optional<PullRequestView>> get(int number) {
      return Future.succeededFuture(Optional.ofNullable(rows.get(number)));
    }

    @Override
    public Future<Optional<PullRequestView>> activeForTask(TaskId taskId) {
      return Future.succeededFuture(rows.values().stream().filter(pr -> pr.taskId().equals(taskId)
          && (pr.state() == PrState.OPEN || pr.state() == PrState.FLAGGED)).findFirst());
    }

    @Override
    public Future<Optional<PullRequestView>> forRun(long runId) {
      return Future.succeededFuture(rows.descendingMap().values().stream().filter(pr -> pr.runId() == runId).findFirst());
    }

    @Override
    public Future<List<PullRequestView>> list(PrState state) {
      return Future.succeededFuture(rows.values().stream().filter(pr -> state == null || pr.state() == state).toList());
    }

    PullRequestView only() {
      if (rows.size() != 1) {
        throw new AssertionError("expected one pull request, found " + rows.values());
      }
      return rows.firstEntry().getValue();
    }
  }

  static final class FakeForge implements Forge {
    final Deque<RemoteChecks> remote = new ArrayDeque<>();
    final List<String> merged = new ArrayList<>();
    final Map<Integer, String> landed = new HashMap<>();
    int askedLanded;
    int openFailures;
    int opened;
    String conflict;

    @Override
    public Future<PullRequestView> open(PullRequestView pr) {
      if (openFailures > 0) {
        openFailures--;
        return Future.failedFuture("GitHub refused the pull request (502): Bad Gateway");
      }
      opened++;
      return Future.succeededFuture(pr.withRemote(40 + pr.number(), "https://github.example/pull/" + (40 + pr.number())));
    }

    @Override
    public Future<Void> publish(PullRequestView pr) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> label(PullRequestView pr, List<String> labels) {
      return Future.succeededFuture();
    }

    @Override
    public Future<RemoteChecks> remoteChecks(PullRequestView pr) {
      return Future.succeededFuture(remote.isEmpty() ? RemoteChecks.none() : remote.poll());
    }

    @Override
    public Future<Prepared> prepareMerge(PullRequestView pr, Path worktree, String method) {
      return Future.succeededFuture(conflict != null ? new Prepared(null, conflict)
          : new Prepared(new MergeAttempt(worktree, "main", "main-tip", pr.branch(), pr.headCommit(), method), null));
    }

    @Override
    public Future<Completed> completeMerge(PullRequestView pr, MergeAttempt attempt, String message) {
      merged.add(message);
      return Future.succeededFuture(Completed.done("merge-" + merged.size()));
    }

    @Override
    public Future<Optional<String>> landed(PullRequestView pr) {
      askedLanded++;
      return Future.succeededFuture(Optional.ofNullable(landed.get(pr.number())));
    }

    @Override
    public Future<Void> abortMerge(MergeAttempt attempt) {
      return Future.succeededFuture();
    }
  }

  static final class FakeRepository implements PipelinePorts.Repository {
    final Deque<BranchUpdate.Outcome> updates = new ArrayDeque<>();
    List<BranchSecrets.Finding> secrets = List.of();
    ReviewRouter.Decision decision = new ReviewRouter.Decision(List.of());
    final Map<Integer, String> onMain = new HashMap<>();
    final List<String> markedMerged = new ArrayList<>();
    int heads;

    @Override
    public Future<BranchInspection> inspect(String branch, Path worktree, String taskFile) {
      heads++;
      return Future.succeededFuture(new BranchInspection(1, "head-" + heads, 1, 2, 0, " a.txt | 2 +", List.of()));
    }

    @Override
    public Future<List<BranchSecrets.Finding>> secrets(String branch) {
      return Future.succeededFuture(secrets);
    }

    @Override
    public Future<PipelinePorts.Update> update(Path worktree, String archiveLabel, TaskId taskId, String method) {
      return Future.succeededFuture(new PipelinePorts.Update("main", updates.isEmpty()
          ? new BranchUpdate.Outcome(BranchUpdate.Kind.UP_TO_DATE, "") : updates.poll()));
    }

    @Override
    public Future<ReviewRouter.Decision> route(String branch, boolean needsReview, String taskFile) {
      return Future.succeededFuture(needsReview ? new ReviewRouter.Decision(List.of(
          new ReviewRouter.Match("plan", "needs_review: true", taskFile, 0))) : decision);
    }

    @Override
    public Future<Boolean> exists(Path worktree) {
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Optional<String>> mergedOnMain(PullRequestView pr) {
      return Future.succeededFuture(Optional.ofNullable(onMain.get(pr.number())));
    }

    @Override
    public Future<Void> markMerged(TaskId taskId, String branchTip) {
      markedMerged.add(taskId + "@" + branchTip);
      return Future.succeededFuture();
    }

    @Override
    public Future<List<String>> changedFiles(String since, String mergeCommit, String taskFile) {
      return Future.succeededFuture(List.of("a.txt"));
    }
  }

  static final class FakeAgent implements PipelinePorts.Agent {
    final List<ResumeRequest> resumed = new ArrayList<>();
    final Deque<Throwable> failures = new ArrayDeque<>();
    final Map<TaskId, RunView> latest = new HashMap<>();
    final Deque<Throwable> latestFailures = new ArrayDeque<>();
    final List<TaskId> removed = new ArrayList<>();
    long nextRun = 100;

    @Override
    public Future<RunView> resume(ResumeRequest request) {
      if (!failures.isEmpty()) {
        return Future.failedFuture(failures.poll());
      }
      resumed.add(request);
      return Future.succeededFuture(new RunView(nextRun++, request.taskId(), 1, RunStatus.RUNNING, "s", 1, BRANCH, "wt",
          "log", 0, 0, 0, null, null, 0, 0, 0, 0, 0, 0, 0, null, null, null, null));
    }

    @Override
    public Future<Optional<RunView>> latestRun(TaskId taskId) {
      if (!latestFailures.isEmpty()) {
        return Future.failedFuture(latestFailures.poll());
      }
      return Future.succeededFuture(Optional.ofNullable(latest.get(taskId)));
    }

    @Override
    public Future<Void> removeWorktree(TaskId taskId, String reason) {
      removed.add(taskId);
      return Future.succeededFuture();
    }
  }

  static final class FakeTasks implements PipelinePorts.TaskSource {
    final Map<TaskId, TaskView> tasks = new HashMap<>();
    final Map<Long, RunView> runs = new HashMap<>();
    int asked;
    /** The scheduler's share of {@link #asked}. */
    int askedForTask;

    @Override
    public Future<TaskView> task(TaskId taskId) {
      asked++;
      askedForTask++;
      return Future.succeededFuture(tasks.get(taskId));
    }

    /** When set, the executor's answer about a run waits until the test completes it. */
    io.vertx.core.Promise<RunView> held;

    @Override
    public Future<RunView> run(long runId) {
      asked++;
      if (held != null) {
        return held.future();
      }
      return Future.succeededFuture(runs.get(runId));
    }
  }

  static final class FakeStatus implements PipelinePorts.StatusWriter {
    final List<WriteStatusRequest> written = new ArrayList<>();
    final Deque<Throwable> failures = new ArrayDeque<>();

    @Override
    public Future<Void> writeStatus(WriteStatusRequest request) {
      if (!failures.isEmpty()) {
        return Future.failedFuture(failures.poll());
      }
      written.add(request);
      return Future.succeededFuture();
    }
  }

  static final class FakeChecks implements PipelinePorts.Checks {
    final Deque<CheckRunner.Result> results = new ArrayDeque<>();
    int runs;

    @Override
    public boolean configured() {
      return true;
    }

    @Override
    public Future<CheckRunner.Result> run(Path worktree, Path output) {
      runs++;
      return Future.succeededFuture(results.isEmpty() ? new CheckRunner.Result(true, "make test", 0, "", 1)
          : results.poll());
    }

    static CheckRunner.Result red() {
      return new CheckRunner.Result(false, "make test", 2, "FAIL: works", 1);
    }
  }

  static final class RecordingEvents implements PipelinePorts.Events {
    final List<String> seen = new ArrayList<>();

    @Override
    public void opened(PullRequestView pr) {
      seen.add("opened #" + pr.number());
    }

    @Override
    public void fixing(PullRequestView pr) {
      seen.add("fixing #" + pr.number());
    }

    @Override
    public void flagged(PullRequestView pr) {
      seen.add("flagged #" + pr.number());
    }

    @Override
    public void merged(PullRequestView pr) {
      seen.add("merged #" + pr.number());
    }

    @Override
    public void failed(PullRequestFailure failure) {
      seen.add("failed " + failure.taskId());
    }
  }

  static final class ManualTimers implements PipelinePorts.Timers {
    record Pending(Duration delay, Runnable action) {
    }

    final Deque<Pending> pending = new ArrayDeque<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public void after(Duration delay, Runnable action) {
      pending.add(new Pending(delay, action));
      delays.add(delay);
    }

    /** Fires what is due, in order, including what firing schedules, advancing the clock by each delay. */
    void fireAll(MovableClock clock) {
      while (!pending.isEmpty()) {
        Pending next = pending.poll();
        clock.advance(next.delay());
        next.action().run();
      }
    }
  }
}
