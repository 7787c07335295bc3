package dev.orch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
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
    WebVerticle web = new WebVerticle();
    var settings = new WebVerticle.Settings("127.0.0.1", 0, "cli-token", TOKEN, true);
    await(vertx.deployVerticle(web, new DeploymentOptions().setConfig(settings.toJson())));
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
  void theCommandApiWantsTheBearerTokenAndAnswersForMissingOwnersWithA503(Vertx vertx) throws Exception {
    assertThat(await(client.post("/api/cmd/scheduler/status").sendJsonObject(new JsonObject())).statusCode())
        .isEqualTo(401);
    HttpResponse<Buffer> status = await(client.post("/api/cmd/scheduler/status").bearerTokenAuthentication("cli-token")
        .sendJsonObject(new JsonObject()));
    assertThat(status.statusCode()).isEqualTo(503);
    HttpResponse<Buffer> unknown = await(client.post("/api/cmd/nobody/status").bearerTokenAuthentication(TOKEN)
        .sendJsonObject(new JsonObject()));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("error")).contains("no command owner 'nobody'");
  }

  @Test
  void aTokenRequiredWithoutOneConfiguredStopsTheStartWithTheReason(Vertx vertx) {
    var settings = new WebVerticle.Settings("127.0.0.1", 0, "cli-token", "", true);
    assertThatThrownBy(() -> await(vertx.deployVerticle(new WebVerticle(),
        new DeploymentOptions().setConfig(settings.toJson())))).hasMessageContaining("[web] token is empty");
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

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
