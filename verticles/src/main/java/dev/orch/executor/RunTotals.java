package dev.orch.executor;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.RunUsage;

/**
 * What one run's output has said so far: the final result's tokens, cost and turns, whether it succeeded, and when
 * the last output arrived. Rebuilt from the log file alone after a restart.
 */
record RunTotals(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens, double costUsd,
    int numTurns, long lastOutputAt, AgentEvent result, String sessionId, ApiLimit limit) {

  static RunTotals empty() {
    return new RunTotals(0, 0, 0, 0, 0, 0, 0, null, null, null);
  }

  RunTotals with(AgentEvent event, long at) {
    ApiLimit said = limitAfter(event);
    if (event.kind() == AgentEvent.Kind.RESULT) {
      return new RunTotals(event.inputTokens(), event.outputTokens(), event.cacheReadTokens(), event.cacheCreationTokens(),
          event.costUsd(), event.numTurns(), at, event, sessionId, said);
    }
    String session = event.kind() == AgentEvent.Kind.INIT && event.sessionId() != null ? event.sessionId() : sessionId;
    return new RunTotals(inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns, at, result,
        session, said);
  }

  /**
   * The limit the run has met so far. A result that names a usage limit keeps the reset time its
   * {@code rate_limit_event} gave earlier; a result without a limit clears it (a limit the CLI got past).
   */
  private ApiLimit limitAfter(AgentEvent event) {
    if (event.kind() == AgentEvent.Kind.RESULT) {
      ApiLimit ended = event.limit();
      if (ended != null && ended.resetsAt() == 0 && limit != null && limit.kind() == ended.kind()) {
        return limit;
      }
      return ended;
    }
    return event.limit() != null ? event.limit() : limit;
  }

  RunUsage usage() {
    return new RunUsage(inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns, lastOutputAt);
  }

  boolean resultSucceeded() {
    return result != null && !result.error() && "success".equals(result.subtype());
  }
}
