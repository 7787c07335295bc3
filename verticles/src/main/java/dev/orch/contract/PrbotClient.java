package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** prbot's commands, typed. */
public final class PrbotClient extends BusClient {
  public PrbotClient(Vertx vertx) {
    this(new EventBusTransport(vertx));
  }

  public PrbotClient(CommandTransport transport) {
    super(transport, Addresses.Prbot.CMD, Duration.ofMinutes(5));
  }

  /** Turns a task's finished run into a pull request (idempotent: an open one is returned as it is). */
  public Future<PullRequestView> open(TaskId taskId, long runId) {
    return requestObject(Addresses.Prbot.Action.OPEN, new JsonObject().put("task_id", taskId.toString()).put("run_id", runId))
        .map(PullRequestView::fromJson);
  }

  public Future<List<PullRequestView>> list(PrState state) {
    JsonObject body = new JsonObject();
    if (state != null) {
      body.put("state", state.wire());
    }
    return requestList(Addresses.Prbot.Action.LIST, body, "pull_requests", PullRequestView::fromJson);
  }

  /** A person merges: checks must be green on the current head unless {@code force}. */
  public Future<PullRequestView> merge(int number, boolean force) {
    return requestObject(Addresses.Prbot.Action.MERGE, new JsonObject().put("number", number).put("force", force))
        .map(PullRequestView::fromJson);
  }

  /** A person sends the pull request back to its agent with what to change. */
  public Future<PullRequestView> reject(int number, String reason) {
    return requestObject(Addresses.Prbot.Action.REJECT, new JsonObject().put("number", number).put("reason", reason))
        .map(PullRequestView::fromJson);
  }

  /** One pull request with its diff under {@code "diff"}. */
  public Future<JsonObject> get(int number) {
    return requestObject(Addresses.Prbot.Action.GET, new JsonObject().put("number", number));
  }

  /** How many requests the forge's API got from this orch: {@code {"requests", "counted"}}. */
  public Future<JsonObject> apiUsage() {
    return requestObject(Addresses.Prbot.Action.API_USAGE, null);
  }
}
