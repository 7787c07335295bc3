package dev.orch.web;

import dev.orch.contract.Addresses;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandAction;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.EventBusTransport;
import dev.orch.contract.OrchException;
import dev.orch.contract.WireJson;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * orch's HTTP API on 127.0.0.1 by default. {@code POST /api/cmd/<owner>/<action>} forwards a JSON body to that owner's
 * command address (only the owners in {@link Addresses#remoteCommandAddresses()}) and answers with the reply, or with
 * the owner's error as an HTTP status: 400 bad request, 404 not found, 409 conflict, 503 transient, 500 otherwise.
 * Commands need the bearer token; the CLI reads it from the running instance's state file.
 */
public final class WebVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  private static final long MAX_BODY = 1024 * 1024;

  /** This verticle's slice of the config; {@code token} guards the command API. */
  public record Settings(String host, int port, String token) implements BusMessage {
    public Settings {
      WireJson.require("host", host);
      WireJson.require("token", token);
    }
  }

  private Settings settings;
  private HttpServer server;
  private EventBusTransport bus;

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    bus = new EventBusTransport(vertx);
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
    router.get("/api/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")
        .put("pid", ProcessHandle.current().pid())));
    router.post("/api/cmd/:owner/:action").handler(this::command);
    router.route("/api/*").handler(ctx -> error(ctx, 404, "not_found", "no such endpoint: " + ctx.request().path()));
    router.route().failureHandler(ctx -> {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      error(ctx, status, status == 413 ? "too_large" : "error",
          status == 413 ? "request body over " + MAX_BODY + " bytes" : String.valueOf(ctx.failure()));
    });
    return vertx.createHttpServer().requestHandler(router).listen(settings.port(), settings.host()).onSuccess(s -> {
      server = s;
      LOG.info("API listening on http://{}:{}/api", settings.host(), s.actualPort());
    });
  }

  /** The port it listens on (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void command(RoutingContext ctx) {
    if (!authorized(ctx)) {
      error(ctx, 401, "unauthorized", "missing or wrong bearer token");
      return;
    }
    String owner = ctx.pathParam("owner");
    String address = Addresses.remoteCommandAddresses().get(owner);
    if (address == null) {
      error(ctx, 404, "not_found", "no command owner '" + owner + "' (one of "
          + String.join(", ", Addresses.remoteCommandAddresses().keySet().stream().sorted().toList()) + ")");
      return;
    }
    JsonObject body;
    try {
      String text = ctx.body().asString();
      body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "bad_request", "body is not a JSON object");
      return;
    }
    String action = ctx.pathParam("action");
    CommandAction named = () -> action.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    bus.request(address, named, body, Duration.ofMinutes(10)).onComplete(done -> {
      if (done.succeeded()) {
        Object reply = done.result();
        ctx.response().putHeader("content-type", "application/json").setStatusCode(200)
            .end(reply == null ? "null" : reply instanceof JsonObject o ? o.encode()
                : reply instanceof JsonArray a ? a.encode() : new JsonObject().put("result", reply).encode());
      } else {
        ErrorCode code = ErrorCode.of(done.cause());
        error(ctx, code.code(), code.name().toLowerCase(java.util.Locale.ROOT), done.cause().getMessage());
      }
    });
  }

  private boolean authorized(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String expected = "Bearer " + settings.token();
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").setStatusCode(status).end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    if (!ctx.response().ended()) {
      json(ctx, status, new JsonObject().put("error", message).put("code", code));
    }
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

}
