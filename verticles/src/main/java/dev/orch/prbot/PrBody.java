package dev.orch.prbot;

import dev.orch.contract.RunView;

/** The pull request's description: what the plan asked for, what changed, what the agent cost. */
final class PrBody {
  private PrBody() {
  }

  static String of(TaskSnapshot task, RunView run, BranchInspection inspection) {
    StringBuilder body = new StringBuilder();
    body.append("Implements ").append(task.id()).append(": ").append(task.title()).append("\n\n");
    body.append("Plan: `").append(task.file()).append("`\n\n");
    if (!inspection.criteria().isEmpty()) {
      body.append("## Acceptance criteria\n\n");
      inspection.criteria().forEach(c -> body.append(c).append('\n'));
      body.append('\n');
    }
    body.append("## Changes\n\n").append(inspection.commits()).append(inspection.commits() == 1 ? " commit, " : " commits, ")
        .append(inspection.filesChanged()).append(" files, +").append(inspection.additions()).append(" -")
        .append(inspection.deletions()).append("\n\n```\n").append(inspection.diffStat().strip()).append("\n```\n\n");
    body.append("## Agent\n\n")
        .append(String.format("Run %d (attempt %d), %d turns, %,d input and %,d output tokens, $%.4f.%n", run.runId(),
            run.attempt(), run.numTurns(), run.inputTokens(), run.outputTokens(), run.costUsd()));
    return body.toString();
  }
}
