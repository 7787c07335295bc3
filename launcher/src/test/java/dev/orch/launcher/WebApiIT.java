package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's HTTP API against a running orch whose plan ran with the real Claude Code CLI: one task merged, one
 * flagged for review, one waiting on it. Read with the Vert.x Web Client; bad ids and bodies get 4xx with a message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class WebApiIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path tmp;

  private OrchHarness orch;
  private Process run;
  private final Vertx vertx = Vertx.vertx();
  private WebClient client;
  private int port;
  private final HttpClient sseClient = HttpClient.newHttpClient();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  void runPlan() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"))
        .on("docs/plans/app/epic-02-login.md", ScriptBook.writeAndCommit("src/auth/Login.java",
            "class Login { boolean check(String user) { return true; } }\n", "login", "done"))
        .on("docs/plans/app/epic-03-welcome.md", ScriptBook.writeAndCommit("app/welcome.txt", "welcome\n", "welcome", "done"));
    orch = new OrchHarness(tmp, book, Map.of());
    orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
        .plan("app/epic-02-login.md", PlanTree.task("Login", "depends_on: []"))
        .plan("app/epic-03-welcome.md", PlanTree.task("Welcome", "depends_on: [app/E02]"));
    orch.commitPlan();
    run = orch.startRun();
    Awaitility.await("orch.json").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(orch.stateDir().resolve("orch.json")));
    port = new JsonObject(Files.readString(orch.stateDir().resolve("orch.json"))).getInteger("port");
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    sseClient.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> response.body().forEach(events::add));
    orch.awaitTasks(t -> t.size() == 3 && "complete".equals(t.get("app/E01").getString("status"))
        && "in_review".equals(t.get("app/E02").getString("status")) && flagged(), TIMEOUT);
  }

  private boolean flagged() {
    try {
      return get("/api/prs?state=flagged").bodyAsJsonArray().size() == 1;
    } catch (Exception e) {
      return false;
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (run != null) {
      orch.stop(run);
    }
    orch.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void theOverviewSaysWhatRunsAndWhatNeedsAPerson() throws Exception {
    JsonObject overview = get("/api/overview").bodyAsJsonObject();
    assertThat(overview.getJsonObject("summary").getInteger("total")).isEqualTo(3);
    assertThat(overview.getJsonObject("summary").getJsonObject("counts").getInteger("complete")).isEqualTo(1);
    assertThat(overview.getJsonObject("spend").getDouble("today_usd")).isPositive();
    JsonArray flagged = overview.getJsonObject("needs_person").getJsonArray("flagged_prs");
    assertThat(flagged).hasSize(1);
    assertThat(flagged.getJsonObject(0).getString("task_id")).isEqualTo("app/E02");
    assertThat(flagged.getJsonObject(0).getString("reason")).contains("src/auth/Login.java");
    assertThat(overview.getJsonObject("pool").getBoolean("local_fallback_active")).isTrue();
  }

  @Test
  @Order(2)
  void tasksFilterAndOneTaskComesWithItsRunsAndPullRequests() throws Exception {
    assertThat(ids(get("/api/tasks").bodyAsJsonArray())).containsExactlyInAnyOrder("app/E01", "app/E02", "app/E03");
    assertThat(ids(get("/api/tasks?status=complete").bodyAsJsonArray())).containsExactly("app/E01");
    assertThat(ids(get("/api/tasks?module=app&status=in_review").bodyAsJsonArray())).containsExactly("app/E02");
    assertThat(ids(get("/api/tasks?ready=true").bodyAsJsonArray())).isEmpty();

    JsonObject task = get("/api/tasks/app/E01").bodyAsJsonObject();
    assertThat(task.getJsonObject("task").getString("title")).isEqualTo("Greeting");
    assertThat(task.getJsonArray("runs")).hasSize(1);
    assertThat(task.getJsonArray("prs").getJsonObject(0).getString("state")).isEqualTo("merged");
    assertThat(get("/api/tasks/app%2FE01").bodyAsJsonObject().getJsonObject("task").getString("id")).isEqualTo("app/E01");

    JsonObject graph = get("/api/graph").bodyAsJsonObject();
    assertThat(graph.getJsonArray("nodes")).hasSize(3);
    assertThat(graph.getJsonArray("edges")).contains(new JsonObject().put("from", "app/E02").put("to", "app/E03"));
    assertThat(graph.getJsonArray("critical_path")).containsExactly("app/E02", "app/E03");
  }

  @Test
  @Order(3)
  void aRunsLogPagesByByteOffsetAsReadableEvents() throws Exception {
    JsonObject run = get("/api/runs?task=app/E01").bodyAsJsonArray().getJsonObject(0);
    long id = run.getLong("run_id");
    assertThat(get("/api/runs/" + id).bodyAsJsonObject().getString("status")).isEqualTo("succeeded");
    JsonObject first = get("/api/runs/" + id + "/log?limit=2").bodyAsJsonObject();
    assertThat(first.getJsonArray("events")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(first.getBoolean("live")).isFalse();
    JsonObject rest = get("/api/runs/" + id + "/log?offset=" + first.getLong("next_offset") + "&limit=5000").bodyAsJsonObject();
    assertThat(rest.getLong("next_offset")).isEqualTo(rest.getLong("size"));
    List<String> kinds = Stream.concat(first.getJsonArray("events").stream(), rest.getJsonArray("events").stream())
        .map(e -> ((JsonObject) e).getString("kind")).toList();
    assertThat(kinds).contains("init", "tool-call", "tool-result", "text", "result");
  }

  @Test
  @Order(4)
  void badIdsQueriesAndBodiesAre4xxWithAMessageNeverA500() throws Exception {
    assertError(get("/api/tasks/nonsense"), 400, "not a task id");
    assertError(get("/api/tasks/app/E99"), 404, "no task app/E99");
    assertError(get("/api/tasks?status=sleeping"), 400, "unknown status 'sleeping'");
    assertError(get("/api/tasks?ready=perhaps"), 400, "'ready' must be true or false");
    assertError(get("/api/runs/abc"), 400, "run id 'abc' is not a number");
    assertError(get("/api/runs/99999"), 404, "no run 99999");
    assertError(get("/api/runs/1/log?offset=-5"), 400, "'offset' must be a number");
    assertError(get("/api/runs/1/log?limit=0"), 400, "'limit' must be a number from 1 to 5000");
    assertError(get("/api/runs/1/log?limit=4294967796"), 400, "'limit' must be a number from 1 to 5000");
    assertError(get("/api/pool/jobs?limit=4294967346"), 400, "'limit' must be a number from 1 to 1000");
    assertError(get("/api/prs/seven"), 400, "pull request number 'seven' is not a number");
    assertError(get("/api/prs/404"), 404, "no pull request #404");
    assertError(get("/api/prs?state=shiny"), 400, "unknown pull request state 'shiny'");
    assertError(get("/api/pool/jobs/12345"), 404, "no job 12345");
    assertError(get("/api/no/such/thing"), 404, "no such endpoint");
    assertError(get("/api/events?only=orch.parser.cmd"), 400, "not events");
    int number = prNumber("app/E02");
    assertError(post("/api/prs/" + number + "/reject", Buffer.buffer("{not json")), 400, "not a JSON object");
    assertError(post("/api/prs/" + number + "/reject", Buffer.buffer("[1, 2]")), 400, "not a JSON object");
    assertError(post("/api/prs/" + number + "/reject", new JsonObject().toBuffer()), 400, "field 'reason' is required");
    assertError(post("/api/tasks/app/E03/start", Buffer.buffer("")), 200, null);
    assertError(post("/api/prs/" + number + "/merge", Buffer.buffer("x".repeat(2 * 1024 * 1024))), 413, "over");
  }

  @Test
  @Order(5)
  void browsersOnOtherSitesAndOtherHostNamesAreRefused() throws Exception {
    HttpResponse<Buffer> crossSite = await(client.post("/api/tasks/app/E03/retry").putHeader("Origin", "http://evil.example")
        .send());
    assertError(crossSite, 403, "other sites");
    HttpResponse<Buffer> rebound = await(client.get("/api/overview").putHeader("Host", "evil.example").send());
    assertError(rebound, 403, "its own names");
    HttpResponse<Buffer> bridge = await(client.get("/eventbus/info").putHeader("Origin", "http://evil.example").send());
    assertError(bridge, 403, "other sites");
    assertThat(await(client.get("/eventbus/info").send()).statusCode()).isEqualTo(200);
    assertThat(await(client.get("/../../etc/passwd").send()).bodyAsString()).doesNotContain("root:");
    assertThat(await(client.get("/%2e%2e/%2e%2e/etc/passwd").send()).bodyAsString()).doesNotContain("root:");
  }

  @Test
  @Order(6)
  void aPersonMergesTheFlaggedPullRequestAndServerSentEventsCarryWhatHappened() throws Exception {
    int number = prNumber("app/E02");
    HttpResponse<Buffer> merged = post("/api/prs/" + number + "/merge", new JsonObject().put("force", false).toBuffer());
    assertThat(merged.statusCode()).as(merged.bodyAsString()).isEqualTo(200);
    assertThat(merged.bodyAsJsonObject().getString("state")).isEqualTo("merged");
    assertError(post("/api/prs/" + number + "/merge", new JsonObject().toBuffer()), 409, "is merged");
    orch.awaitTasks(t -> "complete".equals(t.get("app/E03").getString("status")), TIMEOUT);
    // The stream may deliver the last transition a moment after the store has it: wait for the line itself.
    Awaitility.await("the server-sent events").atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(events).anySatisfy(line -> assertThat(line).contains("event: orch.scheduler.evt.task"));
      assertThat(events).anySatisfy(line -> assertThat(line).startsWith("data: ").contains("\"task_id\":\"app/E03\"")
          .contains("\"to\":\"complete\""));
      assertThat(events).anySatisfy(line -> assertThat(line).isEqualTo("event: orch.prbot.evt.merged"));
    });
  }

  private int prNumber(String taskId) throws Exception {
    return get("/api/prs").bodyAsJsonArray().stream().map(o -> (JsonObject) o)
        .filter(p -> p.getString("task_id").equals(taskId)).findFirst().orElseThrow().getInteger("number");
  }

  private static List<String> ids(JsonArray tasks) {
    return tasks.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String message) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    if (message != null) {
      assertThat(response.getHeader("content-type")).startsWith("application/json");
      assertThat(response.bodyAsJsonObject().getString("error")).contains(message);
    }
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(path).send());
  }

  private HttpResponse<Buffer> post(String path, Buffer body) throws Exception {
    // What a browser sends with the dashboard's own requests.
    return await(client.post(path).putHeader("Origin", "http://127.0.0.1:" + port).sendBuffer(body));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
