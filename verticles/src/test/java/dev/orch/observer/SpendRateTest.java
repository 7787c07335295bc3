package dev.orch.observer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpendRateTest {
  private static final long MINUTE = 60_000;

  @Test
  void theLastHourIsARollingWindow() {
    SpendRate rate = new SpendRate();
    rate.add(0, 1.0);
    rate.add(30 * MINUTE, 2.0);
    rate.add(50 * MINUTE, 0.5);
    assertThat(rate.lastHour(55 * MINUTE)).isEqualTo(3.5);
    assertThat(rate.lastHour(60 * MINUTE)).as("the first result has left the window").isEqualTo(2.5);
    assertThat(rate.lastHour(111 * MINUTE)).isZero();
  }

  @Test
  void itSaysWhenTheWindowFallsBackUnderTheCap() {
    SpendRate rate = new SpendRate();
    rate.add(0, 1.0);
    rate.add(10 * MINUTE, 2.0);
    rate.add(20 * MINUTE, 1.0);
    assertThat(rate.underCapAt(25 * MINUTE, 3.0)).as("4 → 3 when the first leaves: still not under")
        .isEqualTo(70 * MINUTE);
    assertThat(rate.underCapAt(25 * MINUTE, 5.0)).as("already under").isEqualTo(25 * MINUTE);
  }
}
