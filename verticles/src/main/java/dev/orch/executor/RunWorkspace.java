package dev.orch.executor;

import dev.orch.contract.LaunchRequest;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a run works and what it is told, made ready for its agent. {@link WorktreeWorkspace} makes a git worktree;
 * tests make a plain folder. The preparing methods block.
 */
interface RunWorkspace {
  String branchOf(TaskId task);

  Path pathOf(TaskId task);

  /** A fresh worktree for the task (an earlier one archived), set up, with the task prompt and MCP config written. */
  AgentLauncher.Launch fresh(TaskId task, LaunchRequest request, RunView starting, RunFiles files) throws IOException;

  /**
   * The files changed so far in a run's worktree against where it branched, committed or not, files orch keeps out of
   * commits left out; at most {@code limit}. Blocks.
   */
  List<String> touched(Path worktree, int limit);

  /** The previous run's worktree, with the follow-up prompt and MCP config written, to continue its session. */
  AgentLauncher.Launch resumed(ResumeRequest request, RunView starting, RunFiles files) throws IOException;
}
