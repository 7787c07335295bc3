package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orch serve} on the shaded jar, with the stand-in agent against the scripted model and HOME in a temp folder:
 * the dashboard and API answer on --port, a prompt override telling the agent to push is warned about, ready tasks
 * wait for a person, a start from the API runs its agent to a merge, a second serve points at the first, and a record
 * left by a killed serve is not believed.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ServeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path tmp;

  @Test
  void servesWithoutStartingTasksUntilAPersonStartsOneAndASecondServePointsAtTheFirst() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"))
        .on("docs/plans/web/epic-01-farewell.md", ScriptBook.writeAndCommit("app/farewell.txt", "bye\n", "farewell", "done"));
    String standIn = Path.of(System.getProperty("java.home"), "bin", "java") + " -XX:+UseSerialGC -cp "
        + OrchProcess.jar() + " dev.orch.scripted.StandInAgent";
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("claude.command", "\"" + standIn + "\""))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("web/epic-01-farewell.md", PlanTree.task("Farewell"));
      orch.commitPlan();
      // Brought over from the reference project: warned about, and unused here (no maintenance task).
      Path wrapper = Files.createDirectories(tmp.resolve("home/.config/claude-orchestrator/prompts/maintenance"))
          .resolve("wrapper.md");
      Files.writeString(wrapper, "{{.Prompt}}\n\nWhen done, push the branch.\n");
      int port = freePort();
      Process serve = orch.startOrch("serve", "--port", String.valueOf(port));
      Path state = orch.stateDir().resolve(OrchInstance.STATE_FILE);
      Awaitility.await("orch serve says where it serves").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
          .until(() -> orch.runLog(0).contains("orch: serving"));
      assertThat(orch.runLog(0)).contains("at http://127.0.0.1:" + port + "/ ");
      assertThat(orch.runLog(0)).contains("warning: " + wrapper + ":3: tells the agent to push or merge (\"push the branch\")");
      assertThat(new JsonObject(Files.readString(state)).getInteger("port")).isEqualTo(port);
      HttpResponse<String> dashboard = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(dashboard.statusCode()).isEqualTo(200);
      assertThat(dashboard.body()).containsIgnoringCase("<html");

      JsonArray ready = (JsonArray) orch.web("GET", "/api/tasks?ready=true", null);
      assertThat(ready.stream().map(t -> ((JsonObject) t).getString("id"))).containsExactlyInAnyOrder("app/E01", "web/E01");

      JsonObject started = (JsonObject) orch.web("POST", "/api/tasks/web/E01/start", new JsonObject());
      assertThat(started.getJsonArray("started")).containsExactly("web/E01");
      Map<String, JsonObject> tasks = orch.awaitTasks(t -> "complete".equals(t.get("web/E01").getString("status")), TIMEOUT);
      // The farewell's agent ran and merged, and every step of it asked the scheduler to dispatch: the greeting, ready
      // all along, is still waiting for a person.
      assertThat(tasks.get("app/E01").getString("status")).isEqualTo("not_started");
      assertThat(tasks.get("app/E01").getBoolean("ready")).isTrue();
      assertThat((JsonArray) orch.web("GET", "/api/runs?task=app/E01", null)).isEmpty();
      assertThat((JsonArray) orch.web("GET", "/api/runs?task=web/E01", null)).hasSize(1);
      assertThat(orch.git("show", "main:app/farewell.txt")).isEqualTo("bye");

      OrchProcess.Result second = orch.orch("serve");
      assertThat(second.exit()).as(second.toString()).isZero();
      assertThat(second.out()).contains("already served at http://127.0.0.1:" + port + "/ (pid " + serve.pid() + ")");
      assertThat(serve.isAlive()).isTrue();

      // kill -9 leaves the record behind; the next serve does not believe it and serves itself.
      serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertThat(state).exists();
      int next = freePort();
      Process again = orch.startOrch("serve", "--port", String.valueOf(next));
      Awaitility.await("a new serve after kill -9").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> new JsonObject(Files.readString(state)).getLong("pid") == again.pid());
      assertThat(orch.runLog(1)).doesNotContain("already served");
      assertThat(((JsonObject) orch.web("GET", "/api/health", null)).getLong("pid")).isEqualTo(again.pid());
      orch.stop(again);
    }
  }

  @Test
  void aPortOutsideOneTo65535IsAUsageErrorNamingTheOption() throws Exception {
    OrchProcess cli = new OrchProcess(Files.createDirectories(tmp.resolve("home")), Map.of());
    for (String bad : List.of("0", "65536")) {
      OrchProcess.Result result = cli.run(tmp, "serve", "--port", bad);
      assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(result.err()).contains("--port must be a port number from 1 to 65535, got " + bad);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
