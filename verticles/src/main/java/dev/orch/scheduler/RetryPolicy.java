package dev.orch.scheduler;

import java.time.Duration;

/** Exponential backoff between attempts: base, 2 × base, 4 × base... capped; after {@code maxRetries} retries, none. */
public record RetryPolicy(int maxRetries, Duration base, Duration max) {

  /** Whether a task that has made {@code attempts} attempts may try again. */
  boolean mayRetry(int attempts) {
    return attempts <= maxRetries;
  }

  /** The wait before the attempt after {@code attempts} failed ones. */
  Duration delayAfter(int attempts) {
    long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
    long millis = Math.min(max.toMillis(), base.toMillis() * factor);
    return Duration.ofMillis(millis);
  }
}
