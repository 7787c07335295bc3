package dev.orch.scheduler;

import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import io.vertx.core.Future;
import java.util.Optional;

/** The task lifecycle's pull requests, as prbot keeps them. */
final class PrbotPullRequests implements TaskLifecycle.PullRequests {
  private final PrbotClient prbot;

  PrbotPullRequests(PrbotClient prbot) {
    this.prbot = prbot;
  }

  @Override
  public Future<PullRequestView> open(TaskId taskId, long runId) {
    return prbot.open(taskId, runId);
  }

  @Override
  public Future<Optional<PullRequestView>> latestOf(TaskId taskId) {
    return prbot.list(null).map(prs -> TaskLifecycle.newest(prs, taskId));
  }
}
