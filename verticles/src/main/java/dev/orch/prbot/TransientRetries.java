package dev.orch.prbot;

import dev.orch.flow.Backoff;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When a pull request's step failed for a passing reason (a neighbour not deployed yet after a restart, a bus timeout,
 * a forge's 5xx): how long to wait before trying that pull request again. 1 s, doubling, at most a minute, for as long
 * as it takes; such a failure is never a reason to ask a person. A step that gets through forgets the count.
 */
final class TransientRetries {
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private final Map<Integer, Integer> failures = new HashMap<>();

  /** Counts one more passing failure of {@code number} and says how long to wait before the next try. */
  Duration failed(int number) {
    return BACKOFF.after(failures.merge(number, 1, Integer::sum));
  }

  void succeeded(int number) {
    failures.remove(number);
  }

  int failures(int number) {
    return failures.getOrDefault(number, 0);
  }
}
