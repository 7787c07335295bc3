package dev.orch.executor;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import java.util.List;

/**
 * A run whose agent process orch is following. Confined to the {@link RunSupervisor}'s thread, except {@link #tail},
 * which only the supervisor's serialised poll reads from a worker thread.
 */
final class LiveRun {
  final RunView started;
  final TaskId task;
  final AgentProcesses.AgentProcess process;
  final LogTail tail;
  private RunTotals totals = RunTotals.empty();
  /** How orch decided it ends (a stop, a start it could not record); null while the agent decides. */
  private RunOutcome ending;
  private boolean exited;
  private Integer exitCode;

  LiveRun(RunView started, TaskId task, AgentProcesses.AgentProcess process, LogTail tail) {
    this.started = started;
    this.task = task;
    this.process = process;
    this.tail = tail;
  }

  long runId() {
    return started.runId();
  }

  /** Returns false when an ending was decided already: the first decision stands. */
  boolean endAs(RunOutcome outcome) {
    if (ending != null) {
      return false;
    }
    ending = outcome;
    return true;
  }

  void exited(Integer code) {
    exited = true;
    exitCode = code;
  }

  boolean hasExited() {
    return exited;
  }

  Integer exitCode() {
    return exitCode;
  }

  RunTotals totals() {
    return totals;
  }

  void totals(RunTotals read) {
    totals = read;
  }

  /** Adds what the agent said; whether it included the final result. */
  boolean absorb(List<AgentEvent> events, long now) {
    boolean sawResult = false;
    for (AgentEvent event : events) {
      totals = totals.with(event, now);
      sawResult |= event.kind() == AgentEvent.Kind.RESULT;
    }
    return sawResult;
  }

  RunOutcome outcome(String stderrTail) {
    return ending != null ? ending : RunOutcome.decide(null, exitCode, totals, stderrTail);
  }
}
