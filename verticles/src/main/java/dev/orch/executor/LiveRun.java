package dev.orch.executor;

import dev.orch.contract.RunView;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;

/**
 * A run whose agent process orch is following. Confined to the executor's event loop, except {@link #tail}, which
 * only the executor's serialised poll reads from a worker thread.
 */
final class LiveRun {
  final RunView started;
  final TaskId task;
  final ProcessHandle handle;
  /** Null when re-attached after a restart: orch is no longer the parent, so the exit code is unknown. */
  final Process process;
  final LogTail tail;
  RunTotals totals = RunTotals.empty();
  StopRequest stop;
  boolean exited;
  Integer exitCode;

  LiveRun(RunView started, TaskId task, ProcessHandle handle, Process process, LogTail tail) {
    this.started = started;
    this.task = task;
    this.handle = handle;
    this.process = process;
    this.tail = tail;
  }

  long runId() {
    return started.runId();
  }
}
