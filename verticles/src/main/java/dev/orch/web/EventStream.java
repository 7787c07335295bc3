package dev.orch.web;

import dev.orch.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/events}: the viewer events as Server-Sent Events, for clients without SockJS ({@code curl -N}).
 * {@code ?only=ADDRESS,...} narrows them. A comment every 15 s keeps proxies from closing an idle stream.
 */
final class EventStream {
  private static final long KEEP_ALIVE_MILLIS = 15_000;

  private EventStream() {
  }

  static void serve(Vertx vertx, RoutingContext ctx) {
    List<String> all = Addresses.viewerEvents();
    List<String> wanted = all;
    String only = ctx.request().getParam("only");
    if (only != null && !only.isBlank()) {
      List<String> asked = Arrays.stream(only.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
      List<String> unknown = asked.stream().filter(a -> !all.contains(a)).toList();
      if (!unknown.isEmpty()) {
        ApiRoutes.error(ctx, 400, "bad_request", "'only' names addresses that are not events: " + unknown
            + " (one of " + all + ")");
        return;
      }
      wanted = asked;
    }
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no");
    response.write(": orch events\n\n");
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    for (String address : wanted) {
      consumers.add(vertx.eventBus().consumer(address, message -> {
        if (!response.closed() && !response.writeQueueFull()) {
          response.write("event: " + address + "\ndata: " + Json.encode(message.body()) + "\n\n");
        }
      }));
    }
    long keepAlive = vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> response.write(": keep-alive\n\n"));
    response.closeHandler(v -> {
      vertx.cancelTimer(keepAlive);
      consumers.forEach(MessageConsumer::unregister);
    });
  }
}
