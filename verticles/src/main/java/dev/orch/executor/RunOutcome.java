package dev.orch.executor;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.RunStatus;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import java.time.Instant;

/** How a run ended, decided from a stop request, the exit code and the result event; {@code cause} is set when orch stopped it. */
record RunOutcome(RunStatus status, StopCause cause, String reason, ApiLimit limit) {

  RunOutcome(RunStatus status, StopCause cause, String reason) {
    this(status, cause, reason, null);
  }

  RunOutcome(RunStatus status, String reason) {
    this(status, null, reason, null);
  }

  static RunOutcome stopped(StopRequest stop) {
    return new RunOutcome(stop.outcome(), stop.cause(), stop.reason());
  }

  /** orch stopped before it recorded the agent's pid; {@code agentEnded}: an agent it could not tie to the run was ended. */
  static RunOutcome lost(boolean agentEnded) {
    return new RunOutcome(RunStatus.STOPPED, StopCause.LOST, agentEnded
        ? StopCause.LOST.describe() + ", so the agent found in its worktree was ended" : StopCause.LOST.describe());
  }

  static RunOutcome decide(StopRequest stop, Integer exitCode, RunTotals totals, String stderrTail) {
    if (stop != null) {
      return stopped(stop);
    }
    boolean exitOk = exitCode == null || exitCode == 0;
    if (exitOk && totals.resultSucceeded()) {
      return new RunOutcome(RunStatus.SUCCEEDED, null);
    }
    if (totals.result() != null && totals.result().limit() != null) {
      ApiLimit limit = totals.limit();
      return new RunOutcome(RunStatus.LIMITED, null, "stopped by " + limit.kind().describe()
          + (limit.resetsAt() > 0 ? ", which resets at " + Instant.ofEpochMilli(limit.resetsAt()) : ""), limit);
    }
    if (totals.result() != null) {
      String subtype = totals.result().subtype();
      if ("error_max_turns".equals(subtype)) {
        return new RunOutcome(RunStatus.FAILED, "stopped at the max-turns limit after " + totals.result().numTurns() + " turns");
      }
      String text = totals.result().text();
      return new RunOutcome(RunStatus.FAILED, "the agent reported an error (" + subtype + ")"
          + (text == null || text.isBlank() ? "" : ": " + firstLine(text)));
    }
    String detail = stderrTail == null || stderrTail.isBlank() ? "" : ": " + firstLine(stderrTail);
    if (exitCode == null) {
      return new RunOutcome(RunStatus.FAILED, "the agent process ended without a result" + detail);
    }
    return new RunOutcome(RunStatus.FAILED, "the agent exited with code " + exitCode + " without a result" + detail);
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    String line = newline < 0 ? trimmed : trimmed.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
