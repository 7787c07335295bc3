package dev.orch.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.SpendSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendForecastTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final Instant NOW = Instant.parse("2026-11-29T01:40:00Z");

  @Test
  void theDailyBudgetRunsOutWhenTheLastHoursRateSaysSo() {
    assertThat(SpendForecast.dailyBudgetRunsOut(8, 12, 2, NOW, UTC)).hasValueSatisfying(at ->
        assertThat(at.toInstant()).isEqualTo(Instant.parse("2026-11-29T03:40:00Z")));
  }

  @Test
  void noForecastWithoutALimitARateOrBeforeMidnight() {
    assertThat(SpendForecast.dailyBudgetRunsOut(8, 0, 2, NOW, UTC)).isEmpty();
    assertThat(SpendForecast.dailyBudgetRunsOut(8, 12, 0, NOW, UTC)).isEmpty();
    assertThat(SpendForecast.dailyBudgetRunsOut(12, 12, 2, NOW, UTC)).as("already reached").isEmpty();
    assertThat(SpendForecast.dailyBudgetRunsOut(0, 1000, 1, NOW, UTC)).as("the day ends first").isEmpty();
  }

  @Test
  void orchStatusSaysIt() {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      StatusText.spend(out, new SpendSummary(8, 20, Map.of(), 0, 0, 2), 12, NOW, UTC);
    }
    assertThat(text.toString()).contains("Spend: $8.0000 today, $20.0000 in all, $2.0000 in the last hour",
        "at this rate the daily budget ($12.00) runs out at 03:40");
  }
}
