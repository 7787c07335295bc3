package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.scripted.ScriptBook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web boundary of a real orch process ({@code orch build-pool start}: the API and the bridge, jobs on this host):
 * a DNS-rebinding page and other sites are turned away on reads, writes and the websocket (C1).
 */
class WebSecurityIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private final Vertx vertx = Vertx.vertx();
  private OrchHarness orch;
  private WebClient client;
  private int port;

  @BeforeEach
  void start() throws Exception {
    orch = new OrchHarness(tmp, new ScriptBook(), Map.of("build_pool.enabled", "true",
        "build_pool.cluster_port", String.valueOf(BuildPoolIT.freePort()), "build_pool.git_daemon_port", "0"));
    orch.tree.write("hello.txt", "hello\n");
    orch.commitPlan();
    orch.startOrch("build-pool", "start");
    BuildPoolIT.await(() -> BuildPoolIT.status(orch), s -> s.getBoolean("coordinating", false), orch);
    port = new JsonObject(Files.readString(orch.stateDir().resolve("orch.json"))).getInteger("port");
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterEach
  void stop() throws Exception {
    if (orch != null) {
      orch.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void c1_a_rebinding_host_is_refused_on_reads_and_writes() throws Exception {
    String rebound = "127.attacker.example:" + port;
    HttpResponse<Buffer> read = await(client.get("/api/pool").putHeader("Host", rebound).send());
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(403);
    assertThat(read.bodyAsJsonObject().getString("code")).isEqualTo("forbidden");
    HttpResponse<Buffer> write = await(client.post("/api/pool/jobs/1/cancel").putHeader("Host", rebound)
        .putHeader("Origin", "http://" + rebound).send());
    assertThat(write.statusCode()).as(write.bodyAsString()).isEqualTo(403);
    assertThat(await(client.get("/").putHeader("Host", "127.0.0.1.evil.example:" + port).send()).statusCode())
        .isEqualTo(403);
    HttpResponse<Buffer> own = await(client.get("/api/pool").send());
    assertThat(own.statusCode()).as("this server's own name still answers").isEqualTo(200);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void c1_a_write_without_an_origin_or_from_another_site_is_refused() throws Exception {
    HttpResponse<Buffer> bare = await(client.post("/api/pool/jobs/999/cancel").send());
    assertThat(bare.statusCode()).as(bare.bodyAsString()).isEqualTo(403);
    assertThat(bare.bodyAsJsonObject().getString("error")).contains("Origin");
    HttpResponse<Buffer> foreign = await(client.post("/api/pool/jobs/999/cancel")
        .putHeader("Origin", "http://evil.example").send());
    assertThat(foreign.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> own = await(client.post("/api/pool/jobs/999/cancel")
        .putHeader("Origin", "http://127.0.0.1:" + port).send());
    assertThat(own.statusCode()).as("past the access check, the pool answers: " + own.bodyAsString()).isEqualTo(404);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void c1_a_websocket_upgrade_from_another_origin_is_refused() throws Exception {
    WebSocketClient sockets = vertx.createWebSocketClient();
    for (String origin : List.of("http://127.attacker.example:" + port, "http://evil.example")) {
      assertThatThrownBy(() -> await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/eventbus/websocket").addHeader("Origin", origin)))).as(origin)
          .hasRootCauseInstanceOf(UpgradeRejectedException.class);
    }
    assertThatThrownBy(() -> await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/websocket").addHeader("Host", "127.attacker.example:" + port)
        .addHeader("Origin", "http://127.attacker.example:" + port))))
        .hasRootCauseInstanceOf(UpgradeRejectedException.class);
    WebSocket own = await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/websocket").addHeader("Origin", "http://127.0.0.1:" + port)));
    assertThat(own.isClosed()).isFalse();
    await(own.close());
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void m3_a_bridge_client_that_never_reads_is_closed_while_jobs_stream_megabytes() throws Exception {
    String commit = orch.git("rev-parse", "HEAD");
    WebSocketClient sockets = vertx.createWebSocketClient();
    WebSocket socket = await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/websocket").addHeader("Origin", "http://127.0.0.1:" + port)));
    AtomicBoolean received = new AtomicBoolean();
    AtomicBoolean closed = new AtomicBoolean();
    socket.handler(frame -> received.set(true));
    socket.closeHandler(v -> closed.set(true));
    await(socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "orch.buildpool.evt.output")
        .encode()));
    // Registration has no answer: run small jobs until their output arrives.
    BuildPoolIT.await(() -> {
      BuildPoolIT.awaitDone(orch, BuildPoolIT.submit(orch, commit, "echo ping", 0));
      return new JsonObject().put("received", received.get());
    }, r -> r.getBoolean("received"), orch);

    socket.pause();
    long big = BuildPoolIT.submit(orch, commit, "for i in $(seq 1 40); do head -c 1000000 /dev/zero | tr '\\0' x; done", 0);
    JsonObject done = BuildPoolIT.awaitDone(orch, big);
    assertThat(done.getString("state")).isEqualTo("succeeded");
    assertThat(done.getLong("output_bytes")).isEqualTo(40_000_000L);
    HttpResponse<Buffer> health = await(client.get("/api/health").send());
    assertThat(health.statusCode()).as("orch answers while a client does not read").isEqualTo(200);
    socket.resume();
    BuildPoolIT.await(() -> new JsonObject().put("closed", closed.get()), c -> c.getBoolean("closed"), orch);
    assertThat(orch.runLog(0)).contains("closing the event-bus bridge connection", "does not read");
    sockets.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
