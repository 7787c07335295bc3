package dev.orch.launcher;

import dev.orch.contract.RunView;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskView;
import java.util.List;
import java.util.Map;

/**
 * What {@code orch tui} shows at one moment: where it came from, the summary, every task in list order and the live
 * run of each task that has one. A failed read keeps the last tasks and says why in {@code error}.
 */
record TuiSnapshot(String source, StatusSummary summary, List<TaskView> tasks, Map<String, RunView> liveRuns,
    String error) {
  TuiSnapshot {
    tasks = List.copyOf(tasks);
    liveRuns = Map.copyOf(liveRuns);
  }

  /** The same tasks, with the reason the last read failed. */
  TuiSnapshot failed(String why) {
    return new TuiSnapshot(source, summary, tasks, liveRuns, why);
  }
}
