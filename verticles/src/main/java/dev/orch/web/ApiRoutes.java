package dev.orch.web;

import dev.orch.contract.BatchClient;
import dev.orch.contract.BatchView;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.BusMessage;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.HistoryQuery;
import dev.orch.contract.HistorySeries;
import dev.orch.contract.OrchException;
import dev.orch.contract.PrState;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's JSON API: reads answered from the owners' command addresses, actions forwarded to them. Bad ids,
 * queries and bodies are 400 with a message; unknown ids 404; the owners' own refusals keep their codes.
 */
final class ApiRoutes {
  private static final int DEFAULT_LOG_PAGE = 500;
  static final int MAX_LOG_PAGE = 5_000;
  static final int MAX_JOBS_PAGE = 1_000;

  private final SchedulerClient scheduler;
  private final ExecutorClient executor;
  private final PrbotClient prbot;
  private final BuildPoolClient pool;
  private final BatchClient batches;

  ApiRoutes(Vertx vertx) {
    this.scheduler = new SchedulerClient(vertx);
    this.executor = new ExecutorClient(vertx);
    this.prbot = new PrbotClient(vertx);
    this.pool = new BuildPoolClient(vertx);
    this.batches = new BatchClient(vertx);
  }

  void mount(Router router) {
    router.get("/api/overview").handler(ctx -> respond(ctx, overview()));
    router.get("/api/history").handler(ctx -> respond(ctx, history(ctx)));
    router.get("/api/tasks").handler(ctx -> respond(ctx, scheduler.list(taskQuery(ctx))));
    router.get("/api/graph").handler(ctx -> respond(ctx, scheduler.list(TaskQuery.ALL).map(PlanGraphView::of)));
    router.getWithRegex("/api/tasks/(?<id>.+)/history").handler(ctx -> respond(ctx,
        scheduler.history(TaskRef.of(taskId(ctx.pathParam("id"))))));
    router.getWithRegex("/api/tasks/(?<id>.+)").handler(ctx -> respond(ctx, task(taskId(ctx.pathParam("id")))));
    router.postWithRegex("/api/tasks/(?<id>.+)/(?<action>start|stop|retry|reset|resume)").handler(this::taskAction);
    router.get("/api/runs").handler(ctx -> respond(ctx, runs(ctx)));
    router.get("/api/runs/:run").handler(ctx -> respond(ctx, executor.run(number(ctx, "run", "run id"))));
    router.get("/api/runs/:run/log").handler(ctx -> respond(ctx, executor.log(number(ctx, "run", "run id"),
        query(ctx, "offset", 0, 0, Long.MAX_VALUE), (int) query(ctx, "limit", DEFAULT_LOG_PAGE, 1, MAX_LOG_PAGE))));
    router.get("/api/prs").handler(ctx -> respond(ctx, pullRequests(ctx)));
    router.get("/api/prs/:number").handler(ctx -> respond(ctx, prbot.get(prNumber(ctx))));
    router.post("/api/prs/:number/merge").handler(ctx -> respond(ctx,
        prbot.merge(prNumber(ctx), Boolean.TRUE.equals(body(ctx).getValue("force")))));
    router.post("/api/prs/:number/reject").handler(ctx -> respond(ctx, reject(ctx)));
    router.get("/api/forge").handler(ctx -> respond(ctx, prbot.apiUsage()));
    router.get("/api/pool").handler(ctx -> respond(ctx, pool.status()));
    router.get("/api/pool/jobs").handler(ctx -> respond(ctx, pool.jobs((int) query(ctx, "limit", 50, 1, MAX_JOBS_PAGE))));
    router.get("/api/pool/jobs/:job").handler(ctx -> respond(ctx, pool.job(number(ctx, "job", "job id"))));
    router.get("/api/pool/jobs/:job/output").handler(ctx -> respond(ctx,
        pool.follow(number(ctx, "job", "job id"), query(ctx, "offset", 0, 0, Long.MAX_VALUE), 1024 * 1024, 0)));
    router.post("/api/pool/jobs/:job/cancel").handler(ctx -> respond(ctx, pool.cancel(number(ctx, "job", "job id"))));
    router.get("/api/batches").handler(ctx -> respond(ctx, batches.list()));
    router.post("/api/batches/:name/run").handler(ctx -> respond(ctx, batches.run(ctx.pathParam("name"))));
    router.post("/api/batches/:name/stop").handler(ctx -> respond(ctx, batches.stop(ctx.pathParam("name"))));
  }

  private Future<JsonObject> overview() {
    // The status carries the failed and stuck tasks: the overview reads the task table once.
    Future<StatusSummary> summary = scheduler.status();
    Future<JsonObject> spend = executor.spend().map(BusMessage::toJson);
    Future<List<RunView>> runs = executor.runs(null, true);
    Future<List<PullRequestView>> flagged = prbot.list(PrState.FLAGGED);
    Future<JsonObject> poolStatus = pool.status().map(BusMessage::toJson).otherwiseEmpty();
    Future<List<BatchView>> scheduled = batches.list().otherwise(List.of());
    return Future.all(List.of(summary, spend, runs, flagged, poolStatus, scheduled)).map(all -> new JsonObject()
        .put("summary", summary.result().toJson()).put("spend", spend.result()).put("runs", array(runs.result()))
        .put("needs_person", new JsonObject().put("flagged_prs", array(flagged.result()))
            .put("failed", array(withStatus(summary, TaskStatus.FAILED)))
            .put("stuck", array(withStatus(summary, TaskStatus.STUCK))))
        .put("pool", poolStatus.result()).put("batches", array(scheduled.result())).put("now", System.currentTimeMillis()));
  }

  /**
   * Tasks completed and dollars spent per bucket over the last {@code hours} (1 to 168, default 6), in buckets of
   * {@code bucket_minutes} (1 to 1440, default 15), aligned to whole buckets so the last one holds now; read from the
   * stores, so it outlives a restart.
   */
  private Future<JsonObject> history(RoutingContext ctx) {
    long hours = query(ctx, "hours", 6, 1, 168);
    long bucketMinutes = query(ctx, "bucket_minutes", 15, 1, 1440);
    long bucketMillis = bucketMinutes * 60_000;
    long buckets = Math.max(1, (hours * 3_600_000 + bucketMillis - 1) / bucketMillis);
    if (buckets > HistoryQuery.MAX_BUCKETS) {
      throw OrchException.badRequest("hours=" + hours + " in buckets of " + bucketMinutes + " minutes makes " + buckets
          + " buckets, over " + HistoryQuery.MAX_BUCKETS + ": ask for fewer hours or longer buckets");
    }
    long now = System.currentTimeMillis();
    long end = (now / bucketMillis + 1) * bucketMillis;
    HistoryQuery window = new HistoryQuery(end - buckets * bucketMillis, bucketMillis, (int) buckets);
    Future<HistorySeries> completed = scheduler.completed(window);
    Future<HistorySeries> spent = executor.spendHistory(window);
    return Future.all(completed, spent).map(both -> {
      JsonArray rows = new JsonArray();
      for (int i = 0; i < window.buckets(); i++) {
        rows.add(new JsonObject().put("at", window.since() + i * bucketMillis)
            .put("completed", completed.result().values().get(i).longValue())
            .put("spend_usd", spent.result().values().get(i)));
      }
      return new JsonObject().put("since", window.since()).put("until", window.until())
          .put("bucket_millis", bucketMillis).put("now", now).put("buckets", rows);
    });
  }

  private static List<TaskView> withStatus(Future<StatusSummary> summary, TaskStatus status) {
    return summary.result().failedOrStuck().stream().filter(t -> t.status() == status).toList();
  }

  private Future<JsonObject> task(TaskId id) {
    Future<TaskView> task = scheduler.get(id);
    return task.compose(found -> {
      Future<List<RunView>> runs = executor.runs(id, false);
      Future<List<PullRequestView>> prs = prbot.list(null);
      return Future.all(runs, prs).map(both -> new JsonObject().put("task", found.toJson())
          .put("runs", array(runs.result()))
          .put("prs", array(prs.result().stream().filter(pr -> id.equals(pr.taskId())).toList())));
    });
  }

  private void taskAction(RoutingContext ctx) {
    TaskId id;
    JsonObject body;
    try {
      id = taskId(ctx.pathParam("id"));
      body = body(ctx);
    } catch (OrchException e) {
      fail(ctx, e);
      return;
    }
    String reason = body.getValue("reason") instanceof String text ? text : "asked for in the web dashboard";
    Future<?> done = switch (ctx.pathParam("action")) {
      case "start" -> scheduler.start(new StartRequest(List.of(id.toString()), 0, null));
      case "stop" -> scheduler.stop(new TaskRef(id, reason));
      case "retry" -> scheduler.retry(new TaskRef(id, reason));
      case "reset" -> scheduler.reset(new TaskRef(id, reason));
      default -> executor.resume(new ResumeRequest(id, body.getValue("prompt") instanceof String p ? p : null, null, null));
    };
    respond(ctx, done);
  }

  private Future<List<RunView>> runs(RoutingContext ctx) {
    String task = ctx.request().getParam("task");
    boolean live = "true".equals(ctx.request().getParam("live"));
    return executor.runs(task == null || task.isBlank() ? null : taskId(task), live);
  }

  private Future<List<PullRequestView>> pullRequests(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    return prbot.list(state == null || state.isBlank() ? null : PrState.fromWire(state)).map(list -> list.stream()
        .sorted(Comparator.comparing((PullRequestView pr) -> pr.state() != PrState.FLAGGED)
            .thenComparing(Comparator.comparingInt(PullRequestView::number).reversed()))
        .toList());
  }

  private Future<PullRequestView> reject(RoutingContext ctx) {
    Object reason = body(ctx).getValue("reason");
    if (!(reason instanceof String text) || text.isBlank()) {
      throw OrchException.badRequest("field 'reason' is required: say what the agent should change");
    }
    return prbot.reject(prNumber(ctx), text);
  }

  private static TaskQuery taskQuery(RoutingContext ctx) {
    String module = ctx.request().getParam("module");
    String status = ctx.request().getParam("status");
    String ready = ctx.request().getParam("ready");
    if (ready != null && !ready.equals("true") && !ready.equals("false")) {
      throw OrchException.badRequest("query 'ready' must be true or false, not '" + ready + "'");
    }
    return new TaskQuery(module, status == null || status.isBlank() ? null : TaskStatus.fromWire(status),
        ready == null ? null : Boolean.valueOf(ready));
  }

  private static TaskId taskId(String raw) {
    return TaskId.parseFull(URLDecoder.decode(raw, StandardCharsets.UTF_8));
  }

  private static int prNumber(RoutingContext ctx) {
    long number = number(ctx, "number", "pull request number");
    if (number > Integer.MAX_VALUE) {
      throw OrchException.notFound("no pull request #" + number);
    }
    return (int) number;
  }

  private static long number(RoutingContext ctx, String param, String what) {
    String raw = ctx.pathParam(param);
    try {
      long value = Long.parseLong(raw);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw OrchException.badRequest(what + " '" + raw + "' is not a number");
    }
  }

  /** A whole-number query parameter within {@code [min, max]}; anything else is a 400 naming it and the range. */
  static long query(RoutingContext ctx, String name, long fallback, long min, long max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    return QueryNumber.parse(name, raw, min, max);
  }

  static JsonObject body(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw OrchException.badRequest("the body is not a JSON object: " + e.getMessage());
    }
  }

  private static JsonArray array(List<? extends BusMessage> items) {
    return new JsonArray(items.stream().map(BusMessage::toJson).toList());
  }

  /**
   * Answers with the future's result. Handlers may also throw an {@link OrchException} while reading the request;
   * the router's failure handler answers those the same way.
   */
  static void respond(RoutingContext ctx, Future<?> result) {
    result.onComplete(done -> {
      if (done.failed()) {
        fail(ctx, done.cause());
        return;
      }
      Object value = done.result();
      String json = value == null ? "null"
          : value instanceof BusMessage message ? message.toJson().encode()
          : value instanceof List<?> list ? new JsonArray(list.stream().map(item -> item instanceof BusMessage m ? m.toJson() : item).toList()).encode()
          : value instanceof JsonObject object ? object.encode()
          : value instanceof JsonArray array ? array.encode()
          : new JsonObject().put("result", value).encode();
      if (!ctx.response().ended()) {
        ctx.response().putHeader("content-type", "application/json").setStatusCode(200).end(json);
      }
    });
  }

  static void fail(RoutingContext ctx, Throwable cause) {
    ErrorCode code = ErrorCode.of(cause);
    error(ctx, code.code(), code == ErrorCode.TRANSIENT ? "unavailable" : code.name().toLowerCase(Locale.ROOT),
        cause.getMessage());
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("content-type", "application/json").setStatusCode(status)
          .end(new JsonObject().put("error", message).put("code", code).encode());
    }
  }
}
