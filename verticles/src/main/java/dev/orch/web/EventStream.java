package dev.orch.web;

import dev.orch.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: the viewer events as Server-Sent Events, for clients without SockJS ({@code curl -N}).
 * {@code ?only=ADDRESS,...} narrows them. A comment every 15 s keeps proxies from closing an idle stream. Events over
 * {@link EventCap#MAX_BYTES} go out as markers; a client that does not read is closed once its {@link WriteBacklog}
 * is full, instead of orch keeping its events in memory (it reconnects and reads the API).
 */
final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
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
    response.setWriteQueueMaxSize((int) WriteBacklog.CAP);
    WriteBacklog backlog = new WriteBacklog(WriteBacklog.CAP);
    send(ctx, response, backlog, ": orch events\n\n");
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    for (String address : wanted) {
      consumers.add(vertx.eventBus().consumer(address, message -> send(ctx, response, backlog,
          "event: " + address + "\ndata: " + Json.encode(EventCap.cap(message.body())) + "\n\n")));
    }
    long keepAlive = vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> send(ctx, response, backlog, ": keep-alive\n\n"));
    response.closeHandler(v -> {
      vertx.cancelTimer(keepAlive);
      consumers.forEach(MessageConsumer::unregister);
    });
  }

  private static void send(RoutingContext ctx, HttpServerResponse response, WriteBacklog backlog, String text) {
    if (response.closed() || response.ended()) {
      return;
    }
    Buffer bytes = Buffer.buffer(text);
    if (!backlog.admit(bytes.length(), response.writeQueueFull())) {
      LOG.warn("closing the event stream to {}: {}", ctx.request().remoteAddress(), backlog.reason(bytes.length()));
      ctx.request().connection().close();
      return;
    }
    response.write(bytes).onComplete(done -> backlog.written(bytes.length()));
  }
}
