package dev.orch.text;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** When the daily budget runs out if agents go on costing what they cost in the last hour. */
public final class SpendForecast {
  private SpendForecast() {
  }

  /**
   * The time today's spend reaches {@code perDayUsd} at the last hour's rate, or empty when there is no daily limit, no
   * spend in the last hour, the limit is already reached, or the day ends first.
   */
  public static Optional<ZonedDateTime> dailyBudgetRunsOut(double todayUsd, double perDayUsd, double lastHourUsd,
      Instant now, ZoneId zone) {
    if (perDayUsd <= 0 || lastHourUsd <= 0 || todayUsd >= perDayUsd) {
      return Optional.empty();
    }
    long millis = (long) ((perDayUsd - todayUsd) / lastHourUsd * 3_600_000d);
    ZonedDateTime at = now.plusMillis(millis).atZone(zone);
    ZonedDateTime midnight = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone);
    return at.isBefore(midnight) ? Optional.of(at) : Optional.empty();
  }
}
