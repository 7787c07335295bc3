package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.RunStatus;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import org.junit.jupiter.api.Test;

class RunOutcomeTest {
  private static RunTotals withResult(String subtype, boolean error, String text, int turns) {
    return RunTotals.empty().with(new AgentEvent(AgentEvent.Kind.RESULT, text, null, null, error, subtype, "s", null, 1, 2, 0,
        0, 0.5, turns), 1);
  }

  @Test
  void successNeedsExitZeroAndASuccessfulResult() {
    assertThat(RunOutcome.decide(null, 0, withResult("success", false, "ok", 2), "").status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(RunOutcome.decide(null, null, withResult("success", false, "ok", 2), "").status())
        .as("re-attached: exit code unknown").isEqualTo(RunStatus.SUCCEEDED);
    assertThat(RunOutcome.decide(null, 1, withResult("success", false, "ok", 2), "").status()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void failuresSayWhy() {
    assertThat(RunOutcome.decide(null, 1, withResult("error_max_turns", true, "", 5), "").reason())
        .isEqualTo("stopped at the max-turns limit after 5 turns");
    assertThat(RunOutcome.decide(null, 1, withResult("success", true, "API error 400: bad", 1), "").reason())
        .isEqualTo("the agent reported an error (success): API error 400: bad");
    assertThat(RunOutcome.decide(null, 127, RunTotals.empty(), "sh: claude: not found\n").reason())
        .isEqualTo("the agent exited with code 127 without a result: sh: claude: not found");
  }

  @Test
  void aStopRequestDecides() {
    var stop = new StopRequest(TaskId.parseFull("m/E01"), RunStatus.STUCK, StopCause.STUCK, "stuck: no output for 600 s");
    assertThat(RunOutcome.decide(stop, 143, RunTotals.empty(), "")).isEqualTo(new RunOutcome(RunStatus.STUCK, StopCause.STUCK,
        "stuck: no output for 600 s"));
  }
}
