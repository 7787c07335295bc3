package dev.orch.executor;

import dev.orch.contract.TaskId;
import dev.orch.contract.RunUsage;
import dev.orch.contract.RunView;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** The runs of record as the {@link RunSupervisor} writes and reads them; {@link RunStore} keeps them in SQLite. */
interface RunRecords {
  /** A stored run with what only the executor needs: when its process started, to recognise it after a restart. */
  record StoredRun(RunView view, long pidStartedAt) {
  }

  /** Records a new run as starting and returns its id; a second live run for a task fails as a conflict. */
  Future<Long> insert(RunView starting);

  /** Records the spawned agent; only from 'starting', so a write retried after the end cannot revive the row. */
  Future<Void> markRunning(long runId, String logFile, long pid, long pidStartedAt);

  /** Writes a run's end; only over a live row, and says whether it did (an end written by someone else stays). */
  Future<Boolean> finish(RunView settled);

  Future<Void> saveUsage(long runId, RunUsage usage);

  Future<Optional<StoredRun>> get(long runId);

  Future<Optional<StoredRun>> latestForTask(TaskId taskId);

  /** Rows that say starting or running. */
  Future<List<StoredRun>> live();
}
