package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransientRetriesTest {
  @Test
  void m1_waits_double_up_to_a_minute_per_pull_request_and_a_success_forgets_them() {
    TransientRetries retries = new TransientRetries();
    assertThat(retries.failed(7)).isEqualTo(Duration.ofSeconds(1));
    assertThat(retries.failed(7)).isEqualTo(Duration.ofSeconds(2));
    assertThat(retries.failed(7)).isEqualTo(Duration.ofSeconds(4));
    assertThat(retries.failed(8)).as("each pull request counts its own").isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 40; i++) {
      retries.failed(7);
    }
    assertThat(retries.failed(7)).isEqualTo(Duration.ofMinutes(1));
    retries.succeeded(7);
    assertThat(retries.failures(7)).isZero();
    assertThat(retries.failed(7)).isEqualTo(Duration.ofSeconds(1));
  }
}
