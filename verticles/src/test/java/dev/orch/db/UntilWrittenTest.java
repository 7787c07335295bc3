package dev.orch.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class UntilWrittenTest {
  @Test
  void m2_a_write_that_fails_is_tried_again_until_it_lands(Vertx vertx) throws Exception {
    AtomicInteger tries = new AtomicInteger();
    Future<String> written = UntilWritten.write(vertx, "run 1's end", () -> tries.incrementAndGet() < 3
        ? Future.failedFuture(new IllegalStateException("[SQLITE_FULL] database or disk is full"))
        : Future.succeededFuture("written"), () -> false);
    assertThat(written.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("written");
    assertThat(tries).hasValue(3);
  }

  @Test
  void m2_an_owner_being_undeployed_stops_trying(Vertx vertx) {
    AtomicBoolean undeploying = new AtomicBoolean(true);
    Future<String> written = UntilWritten.write(vertx, "run 1's end",
        () -> Future.failedFuture(new IllegalStateException("disk full")), undeploying::get);
    assertThat(written.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
  }

  @Test
  void m2_waits_double_and_stop_at_thirty_seconds() {
    assertThat(UntilWritten.BACKOFF.after(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(UntilWritten.BACKOFF.after(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(UntilWritten.BACKOFF.after(31)).isEqualTo(Duration.ofSeconds(30));
  }
}
