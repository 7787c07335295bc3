package dev.orch.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialQueueTest {
  private final SerialQueue queue = new SerialQueue();
  private final List<String> started = new ArrayList<>();

  @Test
  void a_step_starts_only_after_the_one_before_has_ended() {
    Promise<String> first = Promise.promise();
    Future<String> one = queue.run(() -> {
      started.add("one");
      return first.future();
    });
    Future<String> two = queue.run(() -> {
      started.add("two");
      return Future.succeededFuture("second");
    });
    assertThat(started).containsExactly("one");
    first.complete("first");
    assertThat(started).containsExactly("one", "two");
    assertThat(one.result()).isEqualTo("first");
    assertThat(two.result()).isEqualTo("second");
  }

  @Test
  void a_failed_or_throwing_step_fails_alone_and_the_next_still_runs() {
    Future<Object> failed = queue.run(() -> Future.failedFuture(new IllegalStateException("no")));
    Future<Object> thrown = queue.run(() -> {
      throw new IllegalArgumentException("bad");
    });
    Future<String> after = queue.run(() -> Future.succeededFuture("ran"));
    assertThat(failed.cause()).hasMessage("no");
    assertThat(thrown.cause()).hasMessage("bad");
    assertThat(after.result()).isEqualTo("ran");
  }
}
