package dev.orch.web;

import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.contract.EventBusTransport;
import dev.orch.contract.OrchException;
import dev.orch.contract.WireJson;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * orch's web side: the dashboard ({@code webroot/} on the classpath), its JSON API and Server-Sent Events
 * ({@link ApiRoutes}, {@link EventStream}), the SockJS event-bus bridge ({@link BridgeRules}), and the CLI's command
 * API: {@code POST /api/cmd/<owner>/<action>} forwards a JSON body to that owner's command address (only the owners
 * in {@link Addresses#remoteCommandAddresses()}) and needs the running instance's bearer token; and, given a metrics
 * registry, Prometheus metrics at {@value #METRICS_PATH}. Who may use the rest is {@link WebAccess}'s call.
 */
public final class WebVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  private static final long MAX_BODY = 1024 * 1024;

  /**
   * This verticle's slice of the config: {@code token} is the running instance's (the CLI's), {@code accessToken}
   * the configured {@code [web] token} people use from other hosts.
   */
  public record Settings(String host, int port, String token, String accessToken, boolean requireToken,
      List<String> allowedHosts) {
    public Settings {
      OrchConfig.required("web.host", host);
      WireJson.require("token", token);
      OrchConfig.required("web.token", accessToken);
      allowedHosts = List.copyOf(OrchConfig.required("web.allowed_hosts", allowedHosts));
    }

    /** {@code token}: the instance token the CLI on this machine presents (see {@code OrchInstance}). */
    public static Settings from(OrchConfig.Web web, String token) {
      return new Settings(web.host(), web.port(), token, web.token(), web.requireToken(), web.allowedHosts());
    }
  }

  private final Settings settings;
  /** The Micrometer registry Vert.x's and orch's meters go to, served at {@value #METRICS_PATH}; null: no such page. */
  private final String metricsRegistry;
  private HttpServer server;
  private EventBusTransport bus;
  private WebAccess access;
  private byte[] instanceToken;

  public static final String METRICS_PATH = "/metrics";

  public WebVerticle(Settings settings) {
    this(settings, null);
  }

  /** {@code metricsRegistry}: the name the Vert.x instance's metrics were set up under, for {@value #METRICS_PATH}. */
  public WebVerticle(Settings settings, String metricsRegistry) {
    this.settings = settings;
    this.metricsRegistry = metricsRegistry;
  }

  @Override
  public Future<?> start() {
    if ((settings.requireToken() || !WebAccess.isLoopback(settings.host())) && settings.accessToken().isBlank()) {
      return Future.failedFuture(OrchException.badRequest("[web] token is empty, but " + (settings.requireToken()
          ? "[web] require_token is on" : "[web] host is " + settings.host() + ", which other hosts can reach")
          + ": set a token (or ORCH_WEB__TOKEN)"));
    }
    List<String> badHosts = settings.allowedHosts().stream().flatMap(h -> AllowedHosts.invalid(h).stream()).toList();
    if (!badHosts.isEmpty()) {
      return Future.failedFuture(OrchException.badRequest(String.join("; ", badHosts)));
    }
    bus = new EventBusTransport(vertx);
    // The instance token opens the command API only; web.token the dashboard only (a dashboard user is no CLI).
    instanceToken = settings.token().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    access = new WebAccess(settings.host(), settings.requireToken(), List.of(settings.accessToken()));
    BridgeOutbound outbound = new BridgeOutbound(WriteBacklog.CAP);
    Router router = Router.router(vertx);
    router.route().handler(this::screen);
    router.route("/api/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
    router.get("/api/health").handler(ctx -> ApiRoutes.respond(ctx, Future.succeededFuture(new JsonObject()
        .put("status", "ok").put("pid", ProcessHandle.current().pid()))));
    router.post("/api/cmd/:owner/:action").handler(this::command);
    router.route("/api/*").handler(this::admit);
    router.get("/api/events").handler(ctx -> EventStream.serve(vertx, ctx));
    new ApiRoutes(vertx).mount(router);
    router.route("/api/*").handler(ctx -> ApiRoutes.error(ctx, 404, "not_found", "no such endpoint: "
        + ctx.request().method() + " " + ctx.request().path()));
    if (metricsRegistry != null) {
      // Behind the API's own rules: the Host screen above, and its token wherever the API needs one.
      router.get(METRICS_PATH).handler(this::admit).handler(PrometheusScrapingHandler.create(metricsRegistry));
    }
    router.route("/eventbus/*").handler(this::admit);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(BridgeRules.options(), event -> {
      if (!outbound.handle(event)) {
        BridgeRules.check(event);
      }
    }));
    router.get("/").handler(ctx -> {
      if (!access.login(ctx)) {
        ctx.next();
      }
    });
    router.route().handler(this::admit);
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400));
    router.route().handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
    router.route().failureHandler(this::failed);
    return vertx.executeBlocking(WebVerticle::localAddresses).compose(local -> vertx.createHttpServer()
        .requestHandler(router).listen(settings.port(), settings.host()).onSuccess(s -> {
      access.allow(new AllowedHosts(settings.host(), s.actualPort(), settings.allowedHosts(), local));
      server = s;
      LOG.info("dashboard on http://{}:{}/ ({})", settings.host(), s.actualPort(), access.tokenRequired()
          ? "reachable from other hosts: the API, the dashboard and the bridge need [web] token"
          : "loopback only: no token needed on this host");
    }).recover(e -> Future.failedFuture(OrchException.badRequest("the dashboard cannot listen on " + settings.host()
        + ":" + settings.port() + " (" + e.getMessage() + "); set [web] port (web.port) to a free port, or 0 for any"))));
  }

  /** This machine's interface addresses: the names a wildcard {@code web.host} is reached by. */
  private static List<String> localAddresses() throws java.net.SocketException {
    List<String> all = new java.util.ArrayList<>();
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      nic.inetAddresses().forEach(a -> all.add(a.getHostAddress().replaceFirst("%.*$", "")));
    }
    return all;
  }

  /** The port it listens on (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Host and Origin, before anything else answers (the health check and the command API included). */
  private void screen(RoutingContext ctx) {
    boolean bearer = WebAccess.bearer(ctx).map(access::matches).orElse(false) || carriesInstanceToken(ctx);
    access.screen(ctx.request(), bearer).ifPresentOrElse(refusal -> refuse(ctx, refusal), ctx::next);
  }

  private void admit(RoutingContext ctx) {
    access.admit(ctx).ifPresentOrElse(refusal -> refuse(ctx, refusal), ctx::next);
  }

  private static void refuse(RoutingContext ctx, WebAccess.Refusal refusal) {
    LOG.debug("refused {} {}: {}", ctx.request().method(), ctx.request().path(), refusal);
    ApiRoutes.error(ctx, refusal.status, refusal.code, refusal.message);
  }

  private void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof OrchException) {
      ApiRoutes.fail(ctx, failure);
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status == 500) {
      LOG.warn("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
    ApiRoutes.error(ctx, status, status == 413 ? "too_large" : status == 404 ? "not_found" : "error",
        status == 413 ? "request body over " + MAX_BODY + " bytes" : String.valueOf(failure == null ? "HTTP " + status : failure.getMessage()));
  }

  /** The CLI's commands: only with the running instance's token, only those {@link CommandApi} offers. */
  private void command(RoutingContext ctx) {
    if (!carriesInstanceToken(ctx)) {
      ApiRoutes.error(ctx, 401, "unauthorized", "the command API needs the running instance's token (in orch.json)"
          + " as Authorization: Bearer; web.token does not open it");
      return;
    }
    String owner = ctx.pathParam("owner");
    String action = ctx.pathParam("action");
    var target = CommandApi.resolve(owner, action);
    if (target.isEmpty()) {
      ApiRoutes.error(ctx, 404, "not_found", "no command '" + owner + " " + action + "' in the API (it offers: "
          + CommandApi.offered() + ")");
      return;
    }
    JsonObject body = ApiRoutes.body(ctx);
    ApiRoutes.respond(ctx, bus.request(target.get().address(), target.get().action(), body, Duration.ofMinutes(10))
        .map(reply -> reply == null || reply instanceof JsonObject || reply instanceof JsonArray ? reply
            : new JsonObject().put("result", reply)));
  }

  private boolean carriesInstanceToken(RoutingContext ctx) {
    return WebAccess.bearer(ctx).map(given -> WebAccess.matchesAny(given, List.of(instanceToken))).orElse(false);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
