package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Base of the typed facades ({@code SchedulerClient}, ...) that keep callers free of address strings.
 * Every request has an explicit timeout; a failed reply comes back as an {@link OrchException} with the
 * owner's code and message.
 */
public abstract class BusClient {
  protected final Vertx vertx;
  private final String address;
  private final Duration timeout;

  protected BusClient(Vertx vertx, String address, Duration timeout) {
    this.vertx = vertx;
    this.address = address;
    this.timeout = timeout;
  }

  protected Future<Object> request(CommandAction action, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions()
        .addHeader(Addresses.ACTION_HEADER, action.wireName())
        .setSendTimeout(timeout.toMillis());
    return vertx.eventBus().request(address, body == null ? new JsonObject() : body, options)
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(translate(action, failure)));
  }

  protected Future<JsonObject> requestObject(CommandAction action, JsonObject body) {
    return request(action, body).map(reply -> {
      if (reply instanceof JsonObject json) {
        return json;
      }
      throw new OrchException(ErrorCode.TERMINAL, address + " " + action.wireName() + ": expected a JSON object reply");
    });
  }

  private OrchException translate(CommandAction action, Throwable failure) {
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        return new OrchException(ErrorCode.TRANSIENT, "nobody is serving " + address + " (is orch running?)");
      }
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        return new OrchException(ErrorCode.TRANSIENT,
            address + " " + action.wireName() + ": no reply within " + timeout.toSeconds() + " s");
      }
      return new OrchException(ErrorCode.of(re), re.getMessage());
    }
    return failure instanceof OrchException oe ? oe : new OrchException(ErrorCode.TERMINAL, String.valueOf(failure.getMessage()));
  }
}
