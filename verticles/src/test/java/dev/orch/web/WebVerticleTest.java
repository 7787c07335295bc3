package dev.orch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The web verticle alone: who it lets in, and that a part that is not running is a 503, never a 500. */
@ExtendWith(VertxExtension.class)
class WebVerticleTest {
  private static final String TOKEN = "s3cret-token";
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    var settings = new WebVerticle.Settings("127.0.0.1", 0, "cli-token", TOKEN, true, List.of());
    WebVerticle web = new WebVerticle(settings);
    await(vertx.deployVerticle(web));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(web.actualPort())
        .setFollowRedirects(false));
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void withATokenRequiredNothingAnswersWithoutIt(Vertx vertx) throws Exception {
    assertThat(await(client.get("/api/overview").send()).statusCode()).isEqualTo(401);
    assertThat(await(client.get("/").send()).statusCode()).isEqualTo(401);
    assertThat(await(client.get("/eventbus/info").send()).statusCode()).isEqualTo(401);
    assertThat(await(client.get("/api/events").send()).statusCode()).isEqualTo(401);
    assertThat(await(client.get("/api/overview").bearerTokenAuthentication("wrong").send()).statusCode()).isEqualTo(401);
  }

  @Test
  void theTokenInTheAddressBecomesACookieThatLetsTheBrowserIn(Vertx vertx) throws Exception {
    assertThat(await(client.get("/?token=wrong").send()).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> login = await(client.get("/?token=" + TOKEN).send());
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.getHeader("location")).isEqualTo("/");
    String cookie = login.cookies().get(0);
    assertThat(cookie).startsWith(WebAccess.COOKIE + "=" + TOKEN).containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict");
    String pair = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<Buffer> overview = await(client.get("/api/overview").putHeader("Cookie", pair).send());
    assertThat(overview.statusCode()).as("nothing else runs here: unavailable, not an error").isEqualTo(503);
    assertThat(overview.bodyAsJsonObject().getString("code")).isEqualTo("unavailable");
    assertThat(await(client.get("/eventbus/info").putHeader("Cookie", pair).send()).statusCode()).isEqualTo(200);
  }

  @Test
  void m7_the_dashboard_token_does_not_open_the_command_api(Vertx vertx) throws Exception {
    assertThat(await(client.post("/api/cmd/scheduler/status").sendJsonObject(new JsonObject())).statusCode())
        .as("neither an Origin nor a bearer token").isEqualTo(403);
    HttpResponse<Buffer> dashboardToken = await(client.post("/api/cmd/buildpool/submit").bearerTokenAuthentication(TOKEN)
        .sendJsonObject(new JsonObject()));
    assertThat(dashboardToken.statusCode()).isEqualTo(401);
    assertThat(dashboardToken.bodyAsJsonObject().getString("error")).contains("running instance's token");
    HttpResponse<Buffer> status = await(client.post("/api/cmd/scheduler/status").bearerTokenAuthentication("cli-token")
        .sendJsonObject(new JsonObject()));
    assertThat(status.statusCode()).as("past the checks: nothing serves the scheduler here").isEqualTo(503);
  }

  @Test
  void m7_the_instance_token_does_not_open_the_dashboard(Vertx vertx) throws Exception {
    assertThat(await(client.get("/api/overview").bearerTokenAuthentication("cli-token").send()).statusCode())
        .isEqualTo(401);
    assertThat(await(client.get("/?token=cli-token").send()).statusCode()).isEqualTo(401);
  }

  @Test
  void m7_the_command_api_offers_only_what_the_cli_sends(Vertx vertx) throws Exception {
    for (String command : List.of("executor/launch", "buildpool/register", "buildpool/worker-output",
        "buildpool/worker-done", "scheduler/history", "observer/spend", "parser/write-status", "nobody/status")) {
      HttpResponse<Buffer> refused = await(client.post("/api/cmd/" + command).bearerTokenAuthentication("cli-token")
          .sendJsonObject(new JsonObject()));
      assertThat(refused.statusCode()).as(command).isEqualTo(404);
      assertThat(refused.bodyAsJsonObject().getString("error")).contains("no command", "it offers");
    }
  }

  @Test
  void aTokenRequiredWithoutOneConfiguredStopsTheStartWithTheReason(Vertx vertx) {
    var settings = new WebVerticle.Settings("127.0.0.1", 0, "cli-token", "", true, List.of());
    assertThatThrownBy(() -> await(vertx.deployVerticle(new WebVerticle(settings))))
        .hasMessageContaining("[web] token is empty");
  }

  @Test
  void theBridgeLetsOutOnlyViewerEventsAndInOnlyTheDashboardsCommands() {
    var options = BridgeRules.options();
    assertThat(options.getOutboundPermitteds()).extracting(p -> p.getAddress())
        .containsExactlyInAnyOrderElementsOf(Addresses.viewerEvents());
    assertThat(options.getInboundPermitteds()).extracting(p -> p.getAddress())
        .containsExactlyInAnyOrder(Addresses.Scheduler.CMD, Addresses.Prbot.CMD, Addresses.Executor.CMD,
            Addresses.BuildPool.CMD, Addresses.Batch.CMD);
    assertThat(BridgeRules.INBOUND.get(Addresses.Scheduler.CMD)).doesNotContain("sync", "list");
    assertThat(BridgeRules.INBOUND.get(Addresses.BuildPool.CMD)).containsExactly("cancel");
  }

  @Test
  void c1_host_with_loopback_prefix_is_refused_on_every_route(Vertx vertx) throws Exception {
    Deployed web = loopback(vertx, List.of());
    String rebound = "127.attacker.example:" + web.port();
    for (String path : List.of("/api/overview", "/api/health", "/", "/index.html", "/eventbus/info", "/api/events")) {
      HttpResponse<Buffer> response = await(web.client().get(path).putHeader("Host", rebound).send());
      assertThat(response.statusCode()).as(path).isEqualTo(403);
      assertThat(response.bodyAsJsonObject().getString("error")).contains("its own names");
    }
    HttpResponse<Buffer> post = await(web.client().post("/api/tasks/app/E01/retry").putHeader("Host", rebound)
        .putHeader("Origin", "http://" + rebound).sendJsonObject(new JsonObject()));
    assertThat(post.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> command = await(web.client().post("/api/cmd/scheduler/status").putHeader("Host", rebound)
        .bearerTokenAuthentication("cli-token").sendJsonObject(new JsonObject()));
    assertThat(command.statusCode()).as("not even with the CLI's token").isEqualTo(403);
  }

  @Test
  void c1_loopback_names_with_the_real_port_are_answered(Vertx vertx) throws Exception {
    Deployed web = loopback(vertx, List.of("orch.example.com"));
    for (String host : List.of("127.0.0.1:" + web.port(), "localhost:" + web.port(), "[::1]:" + web.port(),
        "orch.example.com")) {
      assertThat(await(web.client().get("/api/health").putHeader("Host", host).send()).statusCode()).as(host)
          .isEqualTo(200);
    }
    assertThat(await(web.client().get("/api/health").putHeader("Host", "127.0.0.1:1").send()).statusCode())
        .isEqualTo(403);
  }

  @Test
  void c1_a_state_change_needs_this_servers_origin_or_a_bearer_token(Vertx vertx) throws Exception {
    Deployed web = loopback(vertx, List.of());
    HttpResponse<Buffer> bare = await(web.client().post("/api/tasks/app/E01/retry").sendJsonObject(new JsonObject()));
    assertThat(bare.statusCode()).isEqualTo(403);
    assertThat(bare.bodyAsJsonObject().getString("error")).contains("Origin", "Bearer");
    HttpResponse<Buffer> foreign = await(web.client().post("/api/tasks/app/E01/retry")
        .putHeader("Origin", "http://127.attacker.example:" + web.port()).sendJsonObject(new JsonObject()));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.bodyAsJsonObject().getString("error")).contains("other sites");
    HttpResponse<Buffer> own = await(web.client().post("/api/tasks/app/E01/retry")
        .putHeader("Origin", "http://127.0.0.1:" + web.port()).sendJsonObject(new JsonObject()));
    assertThat(own.statusCode()).as("past the access check: nothing serves the scheduler here").isEqualTo(503);
    HttpResponse<Buffer> bearer = await(web.client().post("/api/tasks/app/E01/retry").bearerTokenAuthentication(TOKEN)
        .sendJsonObject(new JsonObject()));
    assertThat(bearer.statusCode()).isEqualTo(503);
    HttpResponse<Buffer> wrongBearer = await(web.client().post("/api/tasks/app/E01/retry")
        .bearerTokenAuthentication("wrong").sendJsonObject(new JsonObject()));
    assertThat(wrongBearer.statusCode()).isEqualTo(403);
    assertThat(await(web.client().get("/api/overview").send()).statusCode()).as("a read needs no Origin").isEqualTo(503);
  }

  @Test
  void c1_a_websocket_upgrade_needs_this_servers_origin(Vertx vertx) throws Exception {
    Deployed web = loopback(vertx, List.of());
    WebSocketClient sockets = vertx.createWebSocketClient();
    try {
      for (String origin : List.of("http://127.attacker.example:" + web.port(), "http://evil.example")) {
        assertThatThrownBy(() -> await(sockets.connect(upgrade(web.port(), origin))))
            .hasRootCauseInstanceOf(UpgradeRejectedException.class)
            .satisfies(e -> assertThat(((UpgradeRejectedException) rootCause(e)).getStatus()).isEqualTo(403));
      }
      assertThatThrownBy(() -> await(sockets.connect(upgrade(web.port(), null))))
          .hasRootCauseInstanceOf(UpgradeRejectedException.class);
      WebSocket own = await(sockets.connect(upgrade(web.port(), "http://127.0.0.1:" + web.port())));
      assertThat(own.isClosed()).isFalse();
      await(own.close());
    } finally {
      sockets.close();
    }
  }

  @Test
  void m3_a_bridge_client_that_never_reads_is_closed_and_the_server_still_answers(Vertx vertx) throws Exception {
    Deployed web = loopback(vertx, List.of());
    // Frames as big as the events: the client must not close the socket itself over a frame-size limit.
    WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20));
    try {
      WebSocket socket = registered(vertx, sockets, web.port(), new AtomicReference<>());
      AtomicBoolean closed = new AtomicBoolean();
      AtomicLong read = new AtomicLong();
      socket.handler(frame -> read.addAndGet(frame.length()));
      socket.closeHandler(v -> closed.set(true));
      socket.pause();
      // 200 x 200 KiB: far more than the 2 MiB backlog plus what the kernel buffers on loopback.
      JsonObject chunk = new JsonObject().put("job_id", 1).put("offset", 0).put("stream", "stdout")
          .put("text", "x".repeat(200 * 1024));
      for (int i = 0; i < 200; i++) {
        vertx.eventBus().publish(Addresses.BuildPool.EVT_OUTPUT, chunk);
      }
      assertThat(await(web.client().get("/api/health").send()).statusCode()).isEqualTo(200);
      socket.resume();
      Awaitility.await().atMost(Duration.ofSeconds(30)).untilTrue(closed);
      assertThat(read.get()).as("closed by the server before all 40 MB were queued for it").isLessThan(200L * 200 * 1024);
    } finally {
      sockets.close();
    }
  }

  @Test
  void m3_an_event_over_256_KiB_reaches_the_bridge_as_a_marker(Vertx vertx) throws Exception {
    Deployed web = loopback(vertx, List.of());
    WebSocketClient sockets = vertx.createWebSocketClient();
    try {
      AtomicReference<String> last = new AtomicReference<>();
      registered(vertx, sockets, web.port(), last);
      last.set(null);
      JsonObject big = new JsonObject().put("job_id", 7).put("offset", 42).put("text", "y".repeat(300 * 1024));
      vertx.eventBus().publish(Addresses.BuildPool.EVT_OUTPUT, big);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> last.get() != null);
      JsonObject body = new JsonObject(last.get()).getJsonObject("body");
      assertThat(body.getBoolean("truncated")).isTrue();
      assertThat(body.getLong("job_id")).isEqualTo(7);
      assertThat(body.getLong("offset")).isEqualTo(42);
      assertThat(last.get().length()).isLessThan(1024);
    } finally {
      sockets.close();
    }
  }

  @Test
  void m3_an_sse_client_that_never_reads_is_closed(Vertx vertx) throws Exception {
    Deployed web = loopback(vertx, List.of());
    try (Socket raw = new Socket("127.0.0.1", web.port())) {
      raw.setReceiveBufferSize(16 * 1024);
      raw.getOutputStream().write(("GET /api/events?only=" + Addresses.BuildPool.EVT_OUTPUT + " HTTP/1.1\r\nHost: 127.0.0.1:"
          + web.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      raw.getOutputStream().flush();
      InputStream in = raw.getInputStream();
      byte[] head = new byte[64];
      assertThat(in.read(head)).isPositive();
      JsonObject chunk = new JsonObject().put("job_id", 1).put("offset", 0).put("text", "x".repeat(200 * 1024));
      for (int i = 0; i < 200; i++) {
        vertx.eventBus().publish(Addresses.BuildPool.EVT_OUTPUT, chunk);
      }
      assertThat(await(web.client().get("/api/health").send()).statusCode()).isEqualTo(200);
      raw.setSoTimeout(30_000);
      long read = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        read += n;
      }
      assertThat(read).as("closed before all 40 MB were queued for it").isLessThan(200L * 200 * 1024);
    }
  }

  @Test
  void l9_query_numbers_out_of_range_are_a_400_naming_the_parameter(Vertx vertx) throws Exception {
    for (String[] probe : new String[][] {{"/api/runs/1/log?limit=4294967796", "limit"},
        {"/api/runs/1/log?limit=0", "limit"}, {"/api/runs/1/log?offset=-1", "offset"},
        {"/api/runs/1/log?offset=99999999999999999999", "offset"}, {"/api/pool/jobs?limit=1001", "limit"},
        {"/api/pool/jobs?limit=abc", "limit"}, {"/api/pool/jobs/1/output?offset=1e3", "offset"}}) {
      HttpResponse<Buffer> response = await(client.get(probe[0]).bearerTokenAuthentication(TOKEN).send());
      assertThat(response.statusCode()).as(probe[0]).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("error")).as(probe[0]).contains("query '" + probe[1] + "'");
    }
    HttpResponse<Buffer> inRange = await(client.get("/api/runs/1/log?offset=0&limit=5000")
        .bearerTokenAuthentication(TOKEN).send());
    assertThat(inRange.statusCode()).as("past the checks: nothing serves the executor here").isEqualTo(503);
  }

  @Test
  void l9_a_query_number_is_checked_before_it_is_narrowed() {
    assertThat(QueryNumber.parse("limit", "5000", 1, 5000)).isEqualTo(5000);
    assertThatThrownBy(() -> QueryNumber.parse("limit", "4294967796", 1, 5000))
        .hasMessageContaining("query 'limit' must be a number from 1 to 5000, not '4294967796'");
    assertThatThrownBy(() -> QueryNumber.parse("offset", "-5", 0, Long.MAX_VALUE))
        .hasMessageContaining("query 'offset' must be a number of 0 or more");
  }

  /** A raw bridge websocket registered on the build pool's output; {@code last} gets each frame it receives. */
  private static WebSocket registered(Vertx vertx, WebSocketClient sockets, int port, AtomicReference<String> last)
      throws Exception {
    WebSocket socket = await(sockets.connect(upgrade(port, "http://127.0.0.1:" + port)));
    socket.handler(frame -> last.set(frame.toString()));
    await(socket.writeTextMessage(new JsonObject().put("type", "register")
        .put("address", Addresses.BuildPool.EVT_OUTPUT).encode()));
    // Registration has no answer: publish until the first event arrives.
    JsonObject ping = new JsonObject().put("job_id", 0).put("offset", 0).put("text", "ping");
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
      vertx.eventBus().publish(Addresses.BuildPool.EVT_OUTPUT, ping);
      return last.get() != null;
    });
    return socket;
  }

  private static WebSocketConnectOptions upgrade(int port, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/websocket");
    if (origin != null) {
      options.addHeader("Origin", origin);
    } else {
      options.setAllowOriginHeader(false);
    }
    return options;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  record Deployed(WebClient client, int port) {
  }

  /** A second server on loopback without a required token, the default setup. */
  private static Deployed loopback(Vertx vertx, List<String> allowedHosts) throws Exception {
    var settings = new WebVerticle.Settings("127.0.0.1", 0, "cli-token", TOKEN, false, allowedHosts);
    WebVerticle web = new WebVerticle(settings);
    await(vertx.deployVerticle(web));
    return new Deployed(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(web.actualPort()).setFollowRedirects(false)), web.actualPort());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
