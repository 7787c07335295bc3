package dev.orch.prbot;

import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import dev.orch.contract.PullRequestView;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.ObjectId;

/**
 * A forge on the simulation's repository: squash merges done in process (the real three-way merge), the plan's status
 * written into the merge checkout and landing in the same commit, the main branch moved by compare-and-swap, as
 * {@link LocalForge} does. While the simulation says so, it refuses merges the way a forge does: a 5xx (a passing
 * failure) or a 409 (the head moved; try again).
 */
final class SimulatedForge implements Forge {
  /** What the forge answers a merge right now. */
  enum Answer { MERGE, SERVER_ERROR, HEAD_MODIFIED }

  private final InProcessGit git;
  private final Path checkout;
  private final Supplier<Answer> answer;
  private final BooleanSupplier dead;
  /** The squashed tree of the merge being prepared; merges run one at a time. */
  private ObjectId prepared;

  SimulatedForge(InProcessGit git, Path checkout, Supplier<Answer> answer, BooleanSupplier dead) {
    this.git = git;
    this.checkout = checkout;
    this.answer = answer;
    this.dead = dead;
  }

  private <T> Future<T> blocking(Callable<T> work) {
    if (dead.getAsBoolean()) {
      return Future.failedFuture("simulated kill -9: this orch is gone");
    }
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
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
  public Future<Void> label(PullRequestView pr, List<String> labels) {
    return Future.succeededFuture();
  }

  @Override
  public Future<RemoteChecks> remoteChecks(PullRequestView pr) {
    return Future.succeededFuture(RemoteChecks.none());
  }

  @Override
  public Future<Prepared> prepareMerge(PullRequestView pr, Path worktree, String method) {
    return blocking(() -> {
      ObjectId main = git.tip(InProcessGit.MAIN_REF);
      ObjectId tip = git.tip("refs/heads/" + pr.branch());
      if (tip == null) {
        throw new IllegalStateException("branch " + pr.branch() + " of pull request #" + pr.number() + " is gone");
      }
      InProcessGit.Merged squashed = git.merge(main, tip, null);
      clearCheckout();
      if (!squashed.clean()) {
        return new Prepared(null, "conflicts with " + InProcessGit.MAIN + " in " + String.join(" ", squashed.conflicts()));
      }
      prepared = squashed.tree();
      return new Prepared(new MergeAttempt(checkout, InProcessGit.MAIN, main.name(), pr.branch(), tip.name(), method),
          null);
    });
  }

  @Override
  public Future<Completed> completeMerge(PullRequestView pr, MergeAttempt attempt, String message) {
    Answer now = answer.get();
    if (now == Answer.SERVER_ERROR) {
      return Future.failedFuture(new OrchException(ErrorCode.TRANSIENT, "the forge answered 502 Bad Gateway"));
    }
    if (now == Answer.HEAD_MODIFIED) {
      return Future.succeededFuture(Completed.blocked("the forge did not merge #" + pr.number()
          + " (409): Head branch was modified. Review and try the merge again.", true));
    }
    return blocking(() -> {
      ObjectId tree = git.overlay(prepared, writtenInCheckout());
      ObjectId mainTip = ObjectId.fromString(attempt.mainTip());
      if (tree.equals(git.treeOf(mainTip))) {
        // Nothing to commit, as git finds it: the main branch already has the change.
        return Completed.done(mainTip.name());
      }
      ObjectId merged = git.commit(tree, message, "orch", mainTip);
      if (!git.move(InProcessGit.MAIN_REF, mainTip, merged)) {
        return Completed.blocked(InProcessGit.MAIN + " moved while merging", true);
      }
      return Completed.done(merged.name());
    });
  }

  @Override
  public Future<Optional<String>> landed(PullRequestView pr) {
    return Future.succeededFuture(Optional.empty());
  }

  @Override
  public Future<Void> abortMerge(MergeAttempt attempt) {
    return blocking(() -> {
      prepared = null;
      clearCheckout();
      return null;
    });
  }

  /** What the parser wrote into the checkout (the plan's new status), by path. */
  private Map<String, String> writtenInCheckout() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    if (Files.isDirectory(checkout)) {
      try (var paths = Files.walk(checkout)) {
        for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
          files.put(checkout.relativize(file).toString().replace('\\', '/'),
              Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  private void clearCheckout() throws IOException {
    if (Files.exists(checkout)) {
      try (var paths = Files.walk(checkout)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    Files.createDirectories(checkout);
  }
}
