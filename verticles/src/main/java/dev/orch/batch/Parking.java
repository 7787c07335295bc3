package dev.orch.batch;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.ParkedTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How much of a batch's window the plan spent parked by the rate-limit governor. A spell runs from the governor
 * parking the plan until it lets agents start again (its probe got through): people are told at both ends, and while
 * the probe is still out no agent but it may start. A spell counts only where it overlaps the batch's window, from
 * its start to its deadline: parking never moves the deadline, so a night batch still stops on time.
 */
final class Parking {
  /** The plan's current spell as the batches heard of it: what parked it, since when (epoch milliseconds). */
  record Spell(ApiLimit.Kind by, long since) {
  }

  private Parking() {
  }

  /**
   * {@code totals} with a spell that ended at {@code end} added, as far as it fell between {@code startedAt} and
   * {@code deadline}: its time, and one more time parked by its limit.
   */
  static List<ParkedTime> add(List<ParkedTime> totals, Spell spell, long end, long startedAt, long deadline) {
    long overlap = Math.min(end, deadline) - Math.max(spell.since(), startedAt);
    if (overlap <= 0) {
      return totals;
    }
    List<ParkedTime> out = new ArrayList<>();
    boolean added = false;
    for (ParkedTime total : totals) {
      if (total.limit() == spell.by()) {
        out.add(new ParkedTime(total.limit(), total.millis() + overlap, total.times() + 1));
        added = true;
      } else {
        out.add(total);
      }
    }
    if (!added) {
      out.add(new ParkedTime(spell.by(), overlap, 1));
    }
    return List.copyOf(out);
  }

  /**
   * In a sentence: "parked 42 min of its 6h by the model API's rate limit (2 times)", with each limit's share when
   * more than one parked it; "" when none did.
   */
  static String describe(List<ParkedTime> totals, Duration maxDuration) {
    if (totals.isEmpty()) {
      return "";
    }
    long all = totals.stream().mapToLong(ParkedTime::millis).sum();
    String head = "parked " + amount(all) + " of its " + amount(maxDuration.toMillis());
    if (totals.size() == 1) {
      return head + " " + byWhat(totals.get(0));
    }
    return head + ": " + totals.stream().map(t -> amount(t.millis()) + " " + byWhat(t)).collect(Collectors.joining(", "));
  }

  private static String byWhat(ParkedTime total) {
    return "by " + total.limit().describe() + " (" + (total.times() == 1 ? "once" : total.times() + " times") + ")";
  }

  /** A span the way people say it: 40 s, 42 min, 6h, 1h 30 min. */
  static String amount(long millis) {
    long seconds = Math.max(0, millis) / 1000;
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    return minutes / 60 + "h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
  }
}
