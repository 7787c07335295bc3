package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer on an owner's {@code cmd} address: routes on the action header, and turns every failure,
 * thrown or returned, into a reply with an {@link ErrorCode}, so no bad message ever surfaces as an
 * exception on the event loop.
 */
public final class CommandEndpoint<A extends Enum<A> & CommandAction> {
  private static final Logger LOG = LoggerFactory.getLogger(CommandEndpoint.class);

  private final String address;
  private final Class<A> actions;
  private final Map<A, Function<JsonObject, Future<?>>> handlers;

  private CommandEndpoint(String address, Class<A> actions) {
    this.address = address;
    this.actions = actions;
    this.handlers = new EnumMap<>(actions);
  }

  public static <A extends Enum<A> & CommandAction> CommandEndpoint<A> on(String address, Class<A> actions) {
    return new CommandEndpoint<>(address, actions);
  }

  public CommandEndpoint<A> handle(A action, Function<JsonObject, Future<?>> handler) {
    handlers.put(action, handler);
    return this;
  }

  /**
   * Registers on this node only: the address never enters a cluster's registry, so no other member can reach it
   * (orch's owners run on an unclustered Vert.x anyway; this keeps them local should one ever be clustered).
   */
  public Future<MessageConsumer<Object>> registerLocal(Vertx vertx) {
    MessageConsumer<Object> consumer = vertx.eventBus().localConsumer(address, this::dispatch);
    return consumer.completion().map(v -> consumer);
  }

  /** Completes once the consumer is registered everywhere it needs to be (cluster included). */
  public Future<MessageConsumer<Object>> register(Vertx vertx) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, this::dispatch);
    return consumer.completion().map(v -> consumer);
  }

  private void dispatch(Message<Object> message) {
    Future<?> result;
    try {
      A action = actionOf(message.headers().get(Addresses.ACTION_HEADER));
      result = handlers.get(action).apply(bodyOf(message.body()));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(encode(done.result()));
      } else {
        fail(message, done.cause());
      }
    });
  }

  private A actionOf(String header) {
    if (header == null || header.isBlank()) {
      throw OrchException.badRequest(address + ": missing '" + Addresses.ACTION_HEADER + "' header (one of " + known() + ")");
    }
    return Stream.of(actions.getEnumConstants())
        .filter(a -> a.wireName().equals(header) && handlers.containsKey(a))
        .findFirst()
        .orElseThrow(() -> OrchException.badRequest(address + ": unknown action '" + header + "' (one of " + known() + ")"));
  }

  private String known() {
    return handlers.keySet().stream().map(CommandAction::wireName).collect(Collectors.joining(", "));
  }

  private JsonObject bodyOf(Object body) {
    if (body == null) {
      return new JsonObject();
    }
    if (body instanceof JsonObject json) {
      return json;
    }
    if (body instanceof String text) {
      try {
        return new JsonObject(text);
      } catch (io.vertx.core.json.DecodeException e) {
        throw OrchException.badRequest(address + ": body is not valid JSON");
      }
    }
    throw OrchException.badRequest(address + ": body must be a JSON object, got " + body.getClass().getSimpleName());
  }

  private static Object encode(Object result) {
    if (result == null || result instanceof JsonObject || result instanceof JsonArray || result instanceof String) {
      return result;
    }
    if (result instanceof BusMessage busMessage) {
      return busMessage.toJson();
    }
    return WireJson.toJson(result);
  }

  private void fail(Message<Object> message, Throwable cause) {
    ErrorCode code = ErrorCode.of(cause);
    if (code == ErrorCode.TERMINAL && !(cause instanceof OrchException)) {
      LOG.error("{}: unexpected failure handling '{}'", address, message.headers().get(Addresses.ACTION_HEADER), cause);
    } else {
      LOG.debug("{}: {} {}", address, code, cause.getMessage());
    }
    message.fail(code.code(), String.valueOf(cause.getMessage()));
  }
}
