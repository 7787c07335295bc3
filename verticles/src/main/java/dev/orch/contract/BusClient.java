package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Base of the typed facades ({@code SchedulerClient}, ...) that keep callers free of address strings. Every
 * request has an explicit timeout; a failed reply comes back as an {@link OrchException} with the owner's code.
 */
public abstract class BusClient {
  private final CommandTransport transport;
  private final String address;
  private final Duration timeout;

  protected BusClient(CommandTransport transport, String address, Duration timeout) {
    this.transport = transport;
    this.address = address;
    this.timeout = timeout;
  }

  protected Future<Object> request(CommandAction action, JsonObject body) {
    return transport.request(address, action, body, timeout);
  }

  protected Future<JsonObject> requestObject(CommandAction action, JsonObject body) {
    return request(action, body).map(reply -> {
      if (reply instanceof JsonObject json) {
        return json;
      }
      throw new OrchException(ErrorCode.TERMINAL, address + " " + action.wireName() + ": expected a JSON object reply");
    });
  }

  /** For replies shaped {@code {"<field>": [ ... ]}}. */
  protected <T> Future<List<T>> requestList(CommandAction action, JsonObject body, String field,
      Function<JsonObject, T> decode) {
    return requestObject(action, body).map(reply -> reply.getJsonArray(field, new JsonArray()).stream()
        .map(item -> decode.apply((JsonObject) item))
        .toList());
  }
}
