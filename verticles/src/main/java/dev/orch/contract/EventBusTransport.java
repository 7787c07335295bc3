package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Commands over the event bus, with an explicit send timeout. */
public final class EventBusTransport implements CommandTransport {
  private final Vertx vertx;

  public EventBusTransport(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Object> request(String address, CommandAction action, JsonObject body, Duration timeout) {
    DeliveryOptions options = new DeliveryOptions()
        .addHeader(Addresses.ACTION_HEADER, action.wireName())
        .setSendTimeout(timeout.toMillis());
    return vertx.eventBus().request(address, body == null ? new JsonObject() : body, options)
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(translate(address, action, timeout, failure)));
  }

  private static OrchException translate(String address, CommandAction action, Duration timeout, Throwable failure) {
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
