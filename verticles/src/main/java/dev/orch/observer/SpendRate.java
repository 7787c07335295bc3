package dev.orch.observer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Dollars spent over the last hour, as a rolling window of results: what {@code observer.max_spend_per_hour} is held
 * against, and when the window will have fallen back under it.
 */
final class SpendRate {
  static final long HOUR_MILLIS = 3_600_000L;

  private record Spent(long at, double usd) {
  }

  private final Deque<Spent> window = new ArrayDeque<>();
  private double sum;

  void add(long at, double usd) {
    window.addLast(new Spent(at, usd));
    sum += usd;
  }

  double lastHour(long now) {
    while (!window.isEmpty() && window.peekFirst().at() <= now - HOUR_MILLIS) {
      sum -= window.pollFirst().usd();
    }
    return window.isEmpty() ? 0 : Math.max(0, sum);
  }

  /** When the last hour's spend falls below {@code cap} as older results leave the window; {@code now} if it is below. */
  long underCapAt(long now, double cap) {
    double left = lastHour(now);
    for (Spent spent : window) {
      if (left < cap) {
        break;
      }
      left -= spent.usd();
      now = spent.at() + HOUR_MILLIS;
    }
    return now;
  }
}
