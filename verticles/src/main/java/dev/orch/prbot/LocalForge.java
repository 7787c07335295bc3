package dev.orch.prbot;

import dev.orch.contract.PullRequestView;
import dev.orch.git.GitCli;
import dev.orch.git.GitException;
import dev.orch.git.GitWorkspace;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Pull requests in the local repository. Merges happen in a dedicated merge worktree, never in the person's checkout;
 * the main branch then moves by compare-and-swap, or, when it is checked out somewhere, by a fast-forward in that
 * checkout, which git refuses (and orch reports) if uncommitted work there would be overwritten. Nothing is ever
 * forced onto the main branch.
 */
final class LocalForge implements Forge {
  private final Offload offload;
  private final GitCli git;
  private final GitWorkspace workspace;
  private final Path mergeWorktree;
  private final String configuredMain;

  LocalForge(Offload offload, GitCli git, Path mergeWorktree, String configuredMain) {
    this.offload = offload;
    this.git = git;
    this.workspace = new GitWorkspace(git);
    this.mergeWorktree = mergeWorktree;
    this.configuredMain = configuredMain;
  }

  @Override
  public Future<PullRequestView> open(PullRequestView pr) {
    return Future.succeededFuture(pr);
  }

  @Override
  public Future<Void> publish(PullRequestView pr) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> label(PullRequestView pr, java.util.List<String> labels) {
    // The record holds the labels; the local forge has nowhere else to put them.
    return Future.succeededFuture();
  }

  @Override
  public Future<RemoteChecks> remoteChecks(PullRequestView pr) {
    return Future.succeededFuture(RemoteChecks.none());
  }

  @Override
  public Future<Prepared> prepareMerge(PullRequestView pr, Path worktree, String method) {
    return offload.blocking(() -> prepare(pr, method));
  }

  @Override
  public Future<Completed> completeMerge(PullRequestView pr, MergeAttempt attempt, String message) {
    return offload.blocking(() -> complete(attempt, message));
  }

  @Override
  public Future<Optional<String>> landed(PullRequestView pr) {
    return Future.succeededFuture(Optional.empty());
  }

  @Override
  public Future<Void> abortMerge(MergeAttempt attempt) {
    return offload.blocking(() -> {
      abort();
      return null;
    });
  }

  private Prepared prepare(PullRequestView pr, String method) {
    String main = git.mainBranch(configuredMain);
    String mainTip = git.resolve(main).orElseThrow(() -> new IllegalStateException("no main branch '" + main + "'"));
    String branchTip = git.resolve(pr.branch()).orElseThrow(() ->
        new IllegalStateException("branch " + pr.branch() + " of pull request #" + pr.number() + " is gone"));
    resetMergeWorktree(mainTip);
    MergeAttempt attempt = new MergeAttempt(mergeWorktree, main, mainTip, pr.branch(), branchTip, method);
    GitCli.Result result = switch (method) {
      case "merge" -> git.tryRunIn(mergeWorktree, "merge", "--no-ff", "--no-commit", "--quiet", branchTip);
      case "rebase" -> {
        String base = git.run("merge-base", mainTip, branchTip);
        yield git.tryRunIn(mergeWorktree, "cherry-pick", "--allow-empty", "--keep-redundant-commits", base + ".." + branchTip);
      }
      default -> git.tryRunIn(mergeWorktree, "merge", "--squash", "--no-commit", "--quiet", branchTip);
    };
    if (!result.ok()) {
      String conflicts = git.tryRunIn(mergeWorktree, "diff", "--name-only", "--diff-filter=U").out().strip();
      abort();
      return new Prepared(null, "conflicts with " + main + (conflicts.isEmpty() ? ": " + result.err().strip()
          : " in " + conflicts.replace('\n', ' ')));
    }
    return new Prepared(attempt, null);
  }

  private Completed complete(MergeAttempt attempt, String message) {
    git.runIn(attempt.checkout(), "add", "-A");
    boolean staged = !git.tryRunIn(attempt.checkout(), "diff", "--cached", "--quiet").ok();
    boolean merging = Files.exists(gitDirOf(attempt.checkout()).resolve("MERGE_HEAD"));
    if (staged || merging) {
      git.commitIn(attempt.checkout(), message);
    }
    String newTip = git.runIn(attempt.checkout(), "rev-parse", "HEAD");
    Optional<Path> checkedOut = workspace.worktreeWithBranch(attempt.mainBranch());
    if (checkedOut.isPresent()) {
      GitCli.Result ff = git.tryRunIn(checkedOut.get(), "merge", "--ff-only", "--quiet", newTip);
      if (!ff.ok()) {
        return Completed.blocked(attempt.mainBranch() + " is checked out in " + checkedOut.get()
            + " and git would not fast-forward it: " + ff.err().strip().replace('\n', ' '), !ff.err().contains("overwritten"));
      }
    } else {
      try {
        git.run("update-ref", "refs/heads/" + attempt.mainBranch(), newTip, attempt.mainTip());
      } catch (GitException e) {
        return Completed.blocked(attempt.mainBranch() + " moved while merging", true);
      }
    }
    return Completed.done(newTip);
  }

  private void abort() {
    git.tryRunIn(mergeWorktree, "cherry-pick", "--abort");
    git.tryRunIn(mergeWorktree, "merge", "--abort");
    git.tryRunIn(mergeWorktree, "reset", "--hard", "--quiet");
    git.tryRunIn(mergeWorktree, "clean", "-fdq");
  }

  private void resetMergeWorktree(String mainTip) {
    if (!Files.exists(mergeWorktree.resolve(".git"))) {
      // A merge worktree whose folder was deleted is still registered, and git would refuse to add it again.
      workspace.exclusively(() -> {
        workspace.prune();
        workspace.addDetached(mergeWorktree, mainTip);
      });
      return;
    }
    git.tryRunIn(mergeWorktree, "cherry-pick", "--abort");
    git.tryRunIn(mergeWorktree, "merge", "--abort");
    git.runIn(mergeWorktree, "checkout", "--quiet", "--force", "--detach", mainTip);
    git.runIn(mergeWorktree, "reset", "--hard", "--quiet", mainTip);
    git.runIn(mergeWorktree, "clean", "-fdq");
  }

  private Path gitDirOf(Path checkout) {
    return Path.of(git.runIn(checkout, "rev-parse", "--absolute-git-dir"));
  }
}
