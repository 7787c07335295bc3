package dev.orch.web;

import dev.orch.contract.Addresses;
import dev.orch.contract.CommandAction;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the SockJS bridge lets through: out, the viewer events; in, only the commands the dashboard's buttons send,
 * each to its owner's address with one of its permitted actions. Everything else is refused before it reaches the
 * bus; the owners themselves validate the bodies and answer a bad one with a coded failure.
 */
final class BridgeRules {
  /** A merge can wait on the forge and a start on a sync: longer than the bridge's 30 s default. */
  private static final long REPLY_TIMEOUT_MILLIS = 120_000;

  static final Map<String, Set<String>> INBOUND = Map.of(
      Addresses.Scheduler.CMD, wire(Addresses.Scheduler.Action.START, Addresses.Scheduler.Action.STOP,
          Addresses.Scheduler.Action.RETRY, Addresses.Scheduler.Action.RESET),
      Addresses.Prbot.CMD, wire(Addresses.Prbot.Action.MERGE, Addresses.Prbot.Action.REJECT),
      Addresses.Executor.CMD, wire(Addresses.Executor.Action.RESUME),
      Addresses.BuildPool.CMD, wire(Addresses.BuildPool.Action.CANCEL),
      Addresses.Batch.CMD, wire(Addresses.Batch.Action.RUN, Addresses.Batch.Action.STOP));

  private BridgeRules() {
  }

  static SockJSBridgeOptions options() {
    SockJSBridgeOptions options = new SockJSBridgeOptions().setReplyTimeout(REPLY_TIMEOUT_MILLIS);
    Addresses.viewerEvents().forEach(address -> options.addOutboundPermitted(new PermittedOptions().setAddress(address)));
    INBOUND.keySet().forEach(address -> options.addInboundPermitted(new PermittedOptions().setAddress(address)));
    return options;
  }

  /**
   * Completes the event with whether it may pass: sends to a command address need one of its permitted actions and
   * an object body (refused as "rejected"); the bridge itself refuses other addresses ("access_denied").
   */
  static void check(BridgeEvent event) {
    if (event.type() == BridgeEventType.PUBLISH) {
      event.complete(false);
      return;
    }
    if (event.type() != BridgeEventType.SEND) {
      event.complete(true);
      return;
    }
    JsonObject raw = event.getRawMessage();
    String address = raw == null ? null : raw.getString("address");
    if (address == null || !INBOUND.containsKey(address)) {
      // The bridge's own permission check refuses it next, answering "access_denied".
      event.complete(true);
      return;
    }
    JsonObject headers = raw == null ? null : raw.getJsonObject("headers");
    String action = headers == null ? null : headers.getString(Addresses.ACTION_HEADER);
    boolean allowed = action != null && INBOUND.get(address).contains(action)
        && (raw.getValue("body") == null || raw.getValue("body") instanceof JsonObject);
    event.complete(allowed);
  }

  private static Set<String> wire(CommandAction... actions) {
    return Stream.of(actions).map(CommandAction::wireName).collect(Collectors.toUnmodifiableSet());
  }
}
