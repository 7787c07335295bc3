package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.batch.BatchSettings.Runs;
import org.junit.jupiter.api.Test;

class WiringTest {
  @Test
  void onlyOrchRunFiresScheduledBatchesAndOrchStartInTheForegroundRunsNone() {
    assertThat(Wiring.Mode.RUN.batches()).isEqualTo(Runs.ON_SCHEDULE);
    assertThat(Wiring.Mode.SCHEDULED.batches()).isEqualTo(Runs.ON_SCHEDULE);
    assertThat(Wiring.Mode.SERVE.batches()).isEqualTo(Runs.WHEN_ASKED);
    assertThat(Wiring.Mode.FOREGROUND.batches()).isEqualTo(Runs.NEVER);
    assertThat(Wiring.Mode.ANSWER_ONLY.batches()).isEqualTo(Runs.NEVER);
    assertThat(Wiring.Mode.POOL_ONLY.batches()).isEqualTo(Runs.NEVER);
  }
}
