package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CommandEndpointTest {
  private static final String ADDRESS = "test.endpoint.cmd";

  enum Action implements CommandAction { ECHO_QUERY, EXPLODE }

  @BeforeEach
  void register(Vertx vertx, VertxTestContext ctx) {
    CommandEndpoint.on(ADDRESS, Action.class)
        .handle(Action.ECHO_QUERY, body -> Future.succeededFuture(TaskQuery.fromJson(body)))
        .handle(Action.EXPLODE, body -> {
          throw new IllegalStateException("boom");
        })
        .register(vertx)
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<Object> send(Vertx vertx, String action, Object body) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(5000);
    if (action != null) {
      options.addHeader(Addresses.ACTION_HEADER, action);
    }
    return vertx.eventBus().request(ADDRESS, body, options).map(m -> m.body());
  }

  private static void assertBadRequest(Throwable failure, String containing) {
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.BAD_REQUEST.code());
    assertThat(failure.getMessage()).contains(containing);
  }

  @Test
  void routesOnTheActionHeaderAndRepliesWithJson(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "echo-query", new JsonObject().put("module", "Billing").put("ready", true))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply).isEqualTo(new JsonObject().put("module", "billing").putNull("status").put("ready", true));
          ctx.completeNow();
        })));
  }

  @Test
  void missingActionIsABadRequest(Vertx vertx, VertxTestContext ctx) {
    send(vertx, null, new JsonObject()).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertBadRequest(e, "missing 'action' header (one of echo-query, explode)");
      ctx.completeNow();
    })));
  }

  @Test
  void unknownActionIsABadRequest(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "drop-tables", new JsonObject()).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertBadRequest(e, "unknown action 'drop-tables'");
      ctx.completeNow();
    })));
  }

  @Test
  void nonJsonBodyIsABadRequest(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "echo-query", "{not json").onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertBadRequest(e, "not valid JSON");
      ctx.completeNow();
    })));
  }

  @Test
  void wrongFieldTypeNamesTheField(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "echo-query", new JsonObject().put("ready", "perhaps")).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertBadRequest(e, "field 'ready'");
      ctx.completeNow();
    })));
  }

  @Test
  void badEnumValueSaysWhatIsAllowed(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "echo-query", new JsonObject().put("status", "sleeping")).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertBadRequest(e, "unknown status 'sleeping'");
      ctx.completeNow();
    })));
  }

  @Test
  void numberBodyIsABadRequest(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "echo-query", 42).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertBadRequest(e, "body must be a JSON object");
      ctx.completeNow();
    })));
  }

  @Test
  void unexpectedExceptionsBecomeTerminalFailuresNotCrashes(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "explode", null).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(((ReplyException) e).failureCode()).isEqualTo(ErrorCode.TERMINAL.code());
      assertThat(e.getMessage()).isEqualTo("boom");
      ctx.completeNow();
    })));
  }
}
