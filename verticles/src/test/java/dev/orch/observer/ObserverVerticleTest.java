package dev.orch.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.contract.AgentEvent;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.ObserverClient;
import dev.orch.contract.TaskId;
import dev.orch.testkit.MovableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class ObserverVerticleTest {
  private final MovableClock clock = MovableClock.at("2026-11-29T10:00:00Z");

  private static AgentOutput result(long runId, String taskId, double usd) {
    return new AgentOutput(runId, TaskId.parseFull(taskId), List.of(new AgentEvent(AgentEvent.Kind.RESULT, "done", null,
        null, false, "success", "s", null, 1, 1, 0, 0, usd, 1)), 0);
  }

  /** Answered once the observer has taken every result published before the question. */
  private static double spentToday(Vertx vertx) throws Exception {
    return new ObserverClient(vertx).spend().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .todayUsd();
  }

  @Test
  void theLastHoursSpendReachingTheHourlyLimitHoldsNewAgentsBackOnceUntilItRollsUnder(Vertx vertx) throws Exception {
    List<ApiLimit> told = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.Observer.EVT_SPEND_RATE, m -> told.add(ApiLimit.fromJson(m.body())));
    OrchConfig.Observer settings = new OrchConfig.Observer(Duration.ofMinutes(10), Duration.ofMinutes(60), 0, 0, 1.0);
    vertx.deployVerticle(new ObserverVerticle(settings, clock)).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    long first = clock.millis();

    vertx.eventBus().publish(Addresses.Executor.EVT_OUTPUT, result(1, "app/E01", 0.6).toJson());
    spentToday(vertx);
    clock.advance(Duration.ofMinutes(10));
    vertx.eventBus().publish(Addresses.Executor.EVT_OUTPUT, result(2, "app/E02", 0.6).toJson());
    await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 1);
    clock.advance(Duration.ofMinutes(1));
    vertx.eventBus().publish(Addresses.Executor.EVT_OUTPUT, result(2, "app/E02", 0.1).toJson());
    vertx.eventBus().publish(Addresses.Executor.EVT_OUTPUT, result(3, "app/E03", 0.0001).toJson());

    // Asked after the last results, answered after the observer took them: they were seen, and told nothing new.
    assertThat(spentToday(vertx)).isCloseTo(1.3001, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(told).containsExactly(new ApiLimit(ApiLimit.Kind.SPEND_RATE, first + 3_600_000L));
  }
}
