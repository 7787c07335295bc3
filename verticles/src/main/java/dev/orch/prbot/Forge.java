package dev.orch.prbot;

import dev.orch.contract.PullRequestView;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where pull requests live: the local repository (the default) or GitHub. Merging is two steps so that the plan's
 * status can be written into the very change that lands: {@link #prepareMerge} gives a checkout with the change ready
 * and not yet committed; {@link #completeMerge} commits it and lands it on the main branch. Git work runs off the event
 * loop inside each implementation.
 */
interface Forge {

  /** A merge in progress: the checkout to write into, and the commits it started from. */
  record MergeAttempt(Path checkout, String mainBranch, String mainTip, String branch, String branchTip, String method) {
  }

  /** Either a merge attempt, or the reason the change cannot be merged as it is (a conflict). */
  record Prepared(MergeAttempt attempt, String conflict) {
  }

  /**
   * The commit now at the tip of the main branch, or why the main branch could not be moved; {@code retry} when the
   * main branch merely moved meanwhile and the merge can be prepared again.
   */
  record Completed(String mergeCommit, String blocked, boolean retry) {
    static Completed done(String mergeCommit) {
      return new Completed(mergeCommit, null, false);
    }

    static Completed blocked(String why, boolean retry) {
      return new Completed(null, why, retry);
    }
  }

  /** The forge's own checks on the pull request's head (CI on GitHub): none, pending, passed, or failed with a summary. */
  record RemoteChecks(State state, String summary) {
    enum State { NONE, PENDING, PASSED, FAILED }

    static RemoteChecks none() {
      return new RemoteChecks(State.NONE, "");
    }
  }

  /** Publishes a recorded pull request on the forge; returns it with the forge's number and address, if any. */
  Future<PullRequestView> open(PullRequestView pr);

  /** Makes the forge see the branch as it now is (after the agent's fixes or a branch update). */
  Future<Void> publish(PullRequestView pr);

  /** Marks the pull request (the local forge keeps the labels in its record only). */
  Future<Void> label(PullRequestView pr, List<String> labels);

  Future<RemoteChecks> remoteChecks(PullRequestView pr);

  Future<Prepared> prepareMerge(PullRequestView pr, Path worktree, String method);

  Future<Completed> completeMerge(PullRequestView pr, MergeAttempt attempt, String message);

  /**
   * The commit the forge itself already merged this pull request as, if it did: after a crash between the forge's merge
   * and recording it. The local main branch is brought along. The local forge answers none (the repository's trailers
   * say it).
   */
  Future<Optional<String>> landed(PullRequestView pr);

  /** Leaves the main branch untouched and cleans up after a merge that will not complete. */
  Future<Void> abortMerge(MergeAttempt attempt);
}
