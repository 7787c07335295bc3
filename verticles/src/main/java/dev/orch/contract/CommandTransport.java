package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How a command reaches its owner: over the event bus inside orch, or over orch's HTTP API from a CLI process.
 * Either way a failure arrives as an {@link OrchException} carrying the owner's {@link ErrorCode}.
 */
public interface CommandTransport {
  Future<Object> request(String address, CommandAction action, JsonObject body, Duration timeout);
}
