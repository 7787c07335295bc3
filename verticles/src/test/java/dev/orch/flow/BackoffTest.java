package dev.orch.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void waits_double_from_the_first_failure_and_stop_at_the_cap() {
    assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(backoff.after(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.after(Integer.MAX_VALUE)).as("no overflow after many failures").isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void no_failure_yet_waits_the_first_step() {
    assertThat(backoff.after(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.after(-3)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void a_cap_below_the_first_step_wins() {
    assertThat(new Backoff(Duration.ofMinutes(1), Duration.ofSeconds(10)).after(1)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void jitter_moves_each_wait_and_never_below_zero() {
    Backoff halved = backoff.jittered(millis -> millis / 2);
    assertThat(halved.after(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.jittered(millis -> -5).after(1)).isZero();
  }

  @Test
  void negative_waits_are_refused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
  }
}
