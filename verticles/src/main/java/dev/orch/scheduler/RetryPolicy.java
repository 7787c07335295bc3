package dev.orch.scheduler;

import dev.orch.flow.Backoff;
import java.time.Duration;

/** Exponential backoff between attempts: base, 2 × base, 4 × base... capped; after {@code maxRetries} retries, none. */
public record RetryPolicy(int maxRetries, Duration base, Duration max) {

  /** Whether a task that has made {@code attempts} attempts may try again. */
  boolean mayRetry(int attempts) {
    return attempts <= maxRetries;
  }

  /** The wait before the attempt after {@code attempts} failed ones. */
  Duration delayAfter(int attempts) {
    return new Backoff(base, max).after(attempts);
  }
}
