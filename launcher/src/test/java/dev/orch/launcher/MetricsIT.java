package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} and {@code /api/history} of an orch (the shaded jar, HOME in a temp folder) that ran a plan of two
 * tasks to their merge with the real Claude Code CLI on the scripted model, with {@code web.require_token} on: the
 * orch_ meters count what happened, Vert.x's event-bus and HTTP-server figures are there, and without the token
 * {@code /metrics} is refused as the API is.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class MetricsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String TOKEN = "metrics-it-token";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsCountThePlansRunsAndMergesBehindTheApisToken() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"))
        .on("docs/plans/app/epic-02-farewell.md", ScriptBook.writeAndCommit("app/farewell.txt", "bye\n", "farewell", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("web.require_token", "true",
        "web.token", "\"" + TOKEN + "\""))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("app/epic-02-farewell.md", PlanTree.task("Farewell"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(tasks -> tasks.size() == 2 && OrchHarness.all(tasks, "complete"), TIMEOUT);
      String base = "http://127.0.0.1:" + new JsonObject(Files.readString(orch.stateDir().resolve("orch.json")))
          .getInteger("port");

      HttpResponse<String> bare = get(base + "/metrics", null);
      HttpResponse<String> bareApi = get(base + "/api/overview", null);
      assertThat(bare.statusCode()).isEqualTo(401).isEqualTo(bareApi.statusCode());
      assertThat(bare.body()).isEqualTo(bareApi.body()).doesNotContain("orch_");
      assertThat(get(base + "/metrics", "wrong-token").statusCode()).isEqualTo(401);

      String[] scrape = new String[1];
      Awaitility.await("orch_ meters counting both merges").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> metrics = get(base + "/metrics", TOKEN);
            assertThat(metrics.statusCode()).isEqualTo(200);
            scrape[0] = metrics.body();
            // Spend per task comes from the store, read every 15 s: awaited with the rest, not raced.
            assertThat(scrape[0]).contains("orch_tasks{status=\"complete\"} 2.0",
                "orch_pull_requests{state=\"merged\"} 2.0", "orch_task_ready_to_merged_seconds_count 2",
                "orch_spend_task_usd{task=\"app/E01\"}");
          });
      assertThat(get(base + "/metrics", TOKEN).headers().firstValue("content-type")).hasValueSatisfying(type ->
          assertThat(type).startsWith("text/plain"));
      assertThat(scrape[0]).contains("orch_tasks{status=\"running\"} 0.0", "orch_runs_started_total 2.0",
          "orch_runs_failed_total 0.0", "orch_runs_stuck_total 0.0", "orch_agents_running 0.0",
          "orch_build_jobs_queued 0.0", "orch_build_job_run_seconds_count", "orch_spend_task_usd{task=\"app/E01\"}",
          "vertx_eventbus_published_total", "vertx_eventbus_handlers{address=\"orch.scheduler.cmd\"}",
          "vertx_http_server_requests_total");
      assertThat(value(scrape[0], "orch_spend_today_usd")).isPositive();

      HttpResponse<String> history = get(base + "/api/history?hours=2&bucket_minutes=10", TOKEN);
      assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
      JsonArray buckets = new JsonObject(history.body()).getJsonArray("buckets");
      assertThat(buckets).hasSize(12);
      assertThat(buckets.stream().mapToLong(b -> ((JsonObject) b).getLong("completed")).sum()).isEqualTo(2);
      assertThat(buckets.stream().mapToDouble(b -> ((JsonObject) b).getDouble("spend_usd")).sum()).isPositive();
      assertThat(get(base + "/api/history?hours=999", TOKEN).body()).contains("hours");
      orch.stop(run);
    }
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String scrape, String meter) {
    return scrape.lines().filter(line -> line.startsWith(meter + " ")).findFirst()
        .map(line -> Double.parseDouble(line.substring(meter.length() + 1))).orElseThrow();
  }
}
