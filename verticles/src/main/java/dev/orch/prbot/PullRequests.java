package dev.orch.prbot;

import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Where pull requests are kept ({@link PrStore}; an in-memory map in tests). At most one open or flagged per task. */
interface PullRequests {
  /** Records a new open pull request and returns it with its number. */
  Future<PullRequestView> insert(PullRequestView draft);

  /** Writes every field that changes over a pull request's life, and returns it as stored. */
  Future<PullRequestView> save(PullRequestView pr);

  Future<Optional<PullRequestView>> get(int number);

  Future<Optional<PullRequestView>> activeForTask(TaskId taskId);

  Future<Optional<PullRequestView>> forRun(long runId);

  /** All of them in number order, or those in {@code state}. */
  Future<List<PullRequestView>> list(PrState state);
}
