package dev.orch.contract;

/**
 * What a run has used so far, as its result event reported it: tokens, cost, turns, and when it last said anything.
 * Travels flat inside {@link RunView} (the web UI and the text renderers read {@code input_tokens}, {@code cost_usd}).
 */
public record RunUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens,
    double costUsd, int numTurns, long lastOutputAt) {

  public static final RunUsage NONE = new RunUsage(0, 0, 0, 0, 0, 0, 0);
}
