package dev.orch.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.buildpool.BuildPoolSettings;
import dev.orch.buildpool.BuildPoolVerticle;
import dev.orch.contract.McpRunToken;
import dev.orch.git.GitCli;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP transport with a real coordinator running jobs on this host, spoken to as an MCP client would. */
@ExtendWith(VertxExtension.class)
class McpHttpVerticleTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  @TempDir
  Path tmp;
  Path repo;
  WebClient client;
  int port;
  final AtomicInteger ids = new AtomicInteger();

  static <T> T sync(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    GitCli git = new GitCli(repo);
    git.run("init", "-q", "-b", "main");
    Files.writeString(repo.resolve("Makefile"),
        "test:\n\t@echo running tests $(FILTER)\n\t@test ! -f broken || (echo 'error: broken is here' >&2; exit 1)\n");
    git.run("add", "-A");
    git.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
    var pool = new BuildPoolSettings(repo.toString(), tmp.resolve("state/orch.db").toString(),
        tmp.resolve("state/jobs").toString(), true, 2, tmp.resolve("local").toString(), 60, 30, 90, 50, false, "127.0.0.1",
        0, "127.0.0.1", true);
    sync(vertx.deployVerticle(new BuildPoolVerticle(pool)));
    var settings = new McpHttpVerticle.Settings("127.0.0.1", 0, TOKEN, List.of(repo.toString()), "auto", Map.of());
    McpHttpVerticle mcp = new McpHttpVerticle(settings);
    sync(vertx.deployVerticle(mcp));
    port = mcp.actualPort();
    client = WebClient.create(vertx);
  }

  private HttpRequest<Buffer> post() {
    return client.post(port, "127.0.0.1", McpHttpVerticle.PATH).putHeader("Content-Type", "application/json")
        .putHeader("Accept", "application/json, text/event-stream");
  }

  private JsonObject rpc(String method, JsonObject params) throws Exception {
    JsonObject request = new JsonObject().put("jsonrpc", "2.0").put("id", ids.incrementAndGet()).put("method", method)
        .put("params", params);
    HttpResponse<Buffer> response = sync(post().bearerTokenAuthentication(TOKEN)
        .putHeader(McpHttpVerticle.WORKTREE_HEADER, repo.toString()).sendBuffer(request.toBuffer()));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private JsonObject call(String tool, JsonObject arguments) throws Exception {
    return rpc("tools/call", new JsonObject().put("name", tool).put("arguments", arguments)).getJsonObject("result");
  }

  private static String text(JsonObject result) {
    return result.getJsonArray("content").getJsonObject(0).getString("text");
  }

  @Test
  void aClientInitialisesListsTheToolsAndRunsTestsOnTheWorktreeAsItIs() throws Exception {
    JsonObject init = rpc("initialize", new JsonObject().put("protocolVersion", "2025-06-18")
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "test").put("version", "1")));
    assertThat(init.getJsonObject("result").getJsonObject("serverInfo").getString("name")).isEqualTo("orch");
    JsonArray tools = rpc("tools/list", new JsonObject()).getJsonObject("result").getJsonArray("tools");
    assertThat(tools.stream().map(t -> ((JsonObject) t).getString("name")))
        .containsExactlyInAnyOrder("build", "test", "lint", "clippy", "run_command", "worker_status", "get_job_logs");

    JsonObject passed = call("test", new JsonObject().put("filter", "Parser"));
    assertThat(passed.getBoolean("isError")).isFalse();
    assertThat(text(passed)).startsWith("test succeeded").contains("running tests Parser").contains("on local");

    Files.writeString(repo.resolve("broken"), "uncommitted\n");
    JsonObject failed = call("test", new JsonObject().put("verbosity", "minimal"));
    assertThat(failed.getBoolean("isError")).isTrue();
    assertThat(text(failed)).contains("FAILED with exit code 2").contains("error: broken is here");
    java.util.regex.Matcher job = java.util.regex.Pattern.compile("\\[job (\\d+): ").matcher(text(failed));
    assertThat(job.find()).isTrue();
    long jobId = Long.parseLong(job.group(1));

    JsonObject stderr = call("get_job_logs", new JsonObject().put("job_id", jobId).put("stream", "stderr"));
    assertThat(text(stderr)).contains("error: broken is here").doesNotContain("running tests");
    assertThat(new GitCli(repo).run("status", "--porcelain")).isEqualTo("?? broken");

    JsonObject ran = call("run_command", new JsonObject().put("command", "ls broken && exit 7").put("verbosity", "full"));
    assertThat(ran.getBoolean("isError")).isTrue();
    assertThat(text(ran)).contains("exit code 7").contains("broken");

    JsonObject status = new JsonObject(text(call("worker_status", new JsonObject())));
    assertThat(status.getBoolean("local_fallback_active")).isTrue();
    assertThat(status.getJsonArray("workers")).isEmpty();

    JsonObject bad = call("run_command", new JsonObject());
    assertThat(bad.getBoolean("isError")).isTrue();
  }

  @Test
  void requestsWithoutTheTokenOrForAFolderElsewhereOrNotJsonRpcAreRefused() throws Exception {
    JsonObject list = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list");
    assertThat(sync(post().sendBuffer(list.toBuffer())).statusCode()).isEqualTo(401);
    assertThat(sync(post().bearerTokenAuthentication("wrong").sendBuffer(list.toBuffer())).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> elsewhere = sync(post().bearerTokenAuthentication(TOKEN)
        .putHeader(McpHttpVerticle.WORKTREE_HEADER, tmp.toString()).sendBuffer(list.toBuffer()));
    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(elsewhere.bodyAsString()).contains(McpHttpVerticle.WORKTREE_HEADER);
    HttpResponse<Buffer> garbage = sync(post().bearerTokenAuthentication(TOKEN).sendBuffer(Buffer.buffer("{not json")));
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32700);
    assertThat(sync(client.get(port, "127.0.0.1", McpHttpVerticle.PATH).send()).statusCode()).isEqualTo(405);
    HttpResponse<Buffer> noWorktree = sync(post().bearerTokenAuthentication(TOKEN).sendBuffer(new JsonObject()
        .put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "build").put("arguments", new JsonObject())).toBuffer()));
    assertThat(noWorktree.bodyAsJsonObject().getJsonObject("result").getBoolean("isError")).isTrue();
  }

  /**
   * L11: an agent holds only its run's token. Leaked (to whoever squats the port after orch died) or misused by a
   * prompt-injected agent, it opens the tools for its own worktree and task, never another's, and never without them.
   */
  @Test
  void l11_a_run_token_opens_only_its_own_worktree_and_task() throws Exception {
    Path other = repo.resolve("other");
    Files.createDirectories(other);
    String runToken = McpRunToken.of(TOKEN, repo.toString(), "mod/E01");
    JsonObject list = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list");

    HttpResponse<Buffer> own = sync(post().bearerTokenAuthentication(runToken)
        .putHeader(McpHttpVerticle.WORKTREE_HEADER, repo.toString()).putHeader(McpHttpVerticle.TASK_HEADER, "mod/E01")
        .sendBuffer(list.toBuffer()));
    assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(200);

    HttpResponse<Buffer> otherWorktree = sync(post().bearerTokenAuthentication(runToken)
        .putHeader(McpHttpVerticle.WORKTREE_HEADER, other.toString()).putHeader(McpHttpVerticle.TASK_HEADER, "mod/E01")
        .sendBuffer(list.toBuffer()));
    HttpResponse<Buffer> otherTask = sync(post().bearerTokenAuthentication(runToken)
        .putHeader(McpHttpVerticle.WORKTREE_HEADER, repo.toString()).putHeader(McpHttpVerticle.TASK_HEADER, "mod/E02")
        .sendBuffer(list.toBuffer()));
    HttpResponse<Buffer> noHeaders = sync(post().bearerTokenAuthentication(runToken).sendBuffer(list.toBuffer()));
    assertThat(List.of(otherWorktree.statusCode(), otherTask.statusCode(), noHeaders.statusCode()))
        .containsOnly(401);
  }
}
