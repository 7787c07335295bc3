package dev.orch.flow;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * How long to wait after the n-th failure in a row: {@code first}, doubling, never more than {@code max} (which wins
 * when it is the smaller). One rule for
 * every place that tries again (a task's attempts, a missing neighbour, a store write, a build agent joining), so they
 * cannot drift apart. {@link #jittered} spreads many waiters that failed together, so they do not return together.
 */
public record Backoff(Duration first, Duration max, LongUnaryOperator jitter) {
  private static final int MAX_DOUBLINGS = 30;

  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(jitter, "jitter");
    if (first.isNegative() || max.isNegative()) {
      throw new IllegalArgumentException("a backoff waits no negative time: " + first + ", " + max);
    }
  }

  public Backoff(Duration first, Duration max) {
    this(first, max, LongUnaryOperator.identity());
  }

  /**
   * The same doubling, each wait then moved by {@code spread} (for example a random number between half the wait and
   * the wait). The spread takes the plain wait in milliseconds and returns the one to use.
   */
  public Backoff jittered(LongUnaryOperator spread) {
    return new Backoff(first, max, spread);
  }

  /** The wait after {@code failures} failures in a row (1 is the first failure; 0 or less waits {@code first}). */
  public Duration after(int failures) {
    int doublings = Math.min(MAX_DOUBLINGS, Math.max(0, failures - 1));
    long plain = Math.min(max.toMillis(), first.toMillis() << doublings);
    return Duration.ofMillis(Math.max(0, jitter.applyAsLong(plain)));
  }
}
