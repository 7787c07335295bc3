package dev.orch.observer;

import dev.orch.contract.TaskId;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessTest {
  @Test
  void quietRunsAndLongRunsAreOverdueOnce() {
    Liveness liveness = new Liveness(Duration.ofMinutes(10), Duration.ofMinutes(60));
    liveness.track(1, TaskId.parseFull("a/E01"), 0, 0);
    liveness.track(2, TaskId.parseFull("a/E02"), 0, 0);
    liveness.heard(2, 9 * 60_000);
    assertThat(liveness.overdue(10 * 60_000)).singleElement().satisfies(v -> {
      assertThat(v.runId()).isEqualTo(1);
      assertThat(v.reason()).isEqualTo("stuck: no output for 10 min (observer.idle_timeout is 10 min)");
    });
    assertThat(liveness.overdue(10 * 60_000)).as("reported once").isEmpty();
    for (long t = 10; t <= 60; t += 5) {
      liveness.heard(2, t * 60_000);
    }
    assertThat(liveness.overdue(60 * 60_000)).singleElement()
        .satisfies(v -> assertThat(v.reason()).startsWith("stuck: running for 60 min"));
  }

  @Test
  void finishedRunsAreForgotten() {
    Liveness liveness = new Liveness(Duration.ofSeconds(1), Duration.ofSeconds(10));
    liveness.track(1, TaskId.parseFull("a/E01"), 0, 0);
    liveness.forget(1);
    assertThat(liveness.overdue(5_000)).isEmpty();
  }
}
