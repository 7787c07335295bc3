package dev.orch.contract;

/**
 * The ref namespaces orch keeps in a project's repository. Several owners read and write them (the executor archives
 * a branch, prbot records a squash merge, the build pool hands a job its commit), so each is spelt here once.
 */
public final class GitRefs {
  /** A branch's commits kept before a worktree is removed or a branch rebased, so none is lost. */
  public static final String ARCHIVE = "refs/orch/archive/";
  /** A branch merged by squash: its commits are on main only as the squash, so the branch tip is kept here. */
  public static final String MERGED = "refs/orch/merged/";
  /** A build job's commit, under a random name, served to build agents only while the job runs. */
  public static final String JOBS = "refs/orch/jobs/";

  private GitRefs() {
  }
}
