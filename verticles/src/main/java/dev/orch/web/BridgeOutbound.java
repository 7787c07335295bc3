package dev.orch.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bridge writes to each browser: every outbound event is capped ({@link EventCap}) and written here, against
 * the socket's {@link WriteBacklog}, rather than by the bridge itself, which would queue for a socket that never reads
 * without limit. A socket over its backlog is closed with the reason logged. Runs on the web verticle's event loop
 * only, so the map needs no locking.
 */
final class BridgeOutbound {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeOutbound.class);

  private final long cap;
  private final Map<SockJSSocket, WriteBacklog> backlogs = new HashMap<>();

  BridgeOutbound(long cap) {
    this.cap = cap;
  }

  /** Handles the socket's life and its outbound events; false for the events it leaves to {@link BridgeRules}. */
  boolean handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    if (event.type() == BridgeEventType.SOCKET_CREATED) {
      // Transports that buffer themselves (SockJS sessions) report full at the same cap.
      socket.setWriteQueueMaxSize((int) cap);
      backlogs.put(socket, new WriteBacklog(cap));
      event.complete(true);
      return true;
    }
    if (event.type() == BridgeEventType.SOCKET_CLOSED) {
      backlogs.remove(socket);
      event.complete(true);
      return true;
    }
    if (event.type() != BridgeEventType.RECEIVE) {
      return false;
    }
    JsonObject frame = event.getRawMessage();
    if (frame != null && frame.containsKey("body")) {
      frame.put("body", EventCap.cap(frame.getValue("body")));
    }
    write(socket, frame);
    // Written above (or dropped with the socket); the bridge must not write it again.
    event.complete(false);
    return true;
  }

  private void write(SockJSSocket socket, JsonObject frame) {
    WriteBacklog backlog = backlogs.computeIfAbsent(socket, s -> new WriteBacklog(cap));
    if (frame == null) {
      return;
    }
    Buffer bytes = Buffer.buffer(frame.encode());
    if (!backlog.admit(bytes.length(), socket.writeQueueFull())) {
      LOG.warn("closing the event-bus bridge connection from {}: {}", socket.remoteAddress(), backlog.reason(bytes.length()));
      backlogs.remove(socket);
      socket.close();
      return;
    }
    socket.write(bytes).onComplete(done -> backlog.written(bytes.length()));
  }
}
