package dev.orch.prbot;

import dev.orch.contract.PullRequestView;
import java.nio.file.Path;

/**
 * Where pull requests live: the local repository by default (GitHub comes next). Merging is two steps so that the
 * plan's status can be written into the very commit that lands: {@link #prepareMerge} gives a checkout with the change
 * applied and not yet committed; {@link #completeMerge} commits it and moves the main branch. Every method blocks.
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

  /** Publishes a recorded pull request on the forge (nothing to do for the local forge). */
  PullRequestView open(PullRequestView pr);

  /** Marks the pull request (the local forge keeps the labels in its record only). */
  void label(PullRequestView pr, java.util.List<String> labels);

  Prepared prepareMerge(PullRequestView pr, String method);

  Completed completeMerge(MergeAttempt attempt, String message);

  /** Leaves the main branch untouched and cleans up after a merge that will not complete. */
  void abortMerge(MergeAttempt attempt);
}
