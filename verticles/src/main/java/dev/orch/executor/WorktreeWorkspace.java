package dev.orch.executor;

import dev.orch.contract.LaunchRequest;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.process.ChildEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A run's workspace as a git worktree ({@link Worktrees}) with the project's files copied in and its setup run. */
final class WorktreeWorkspace implements RunWorkspace {
  private final Worktrees worktrees;
  private final RunPrompts prompts;
  private final List<String> copyFiles;
  private final String setupCommand;
  private final ChildEnvironment commandEnv;

  WorktreeWorkspace(Worktrees worktrees, RunPrompts prompts, List<String> copyFiles, String setupCommand,
      ChildEnvironment commandEnv) {
    this.worktrees = worktrees;
    this.prompts = prompts;
    this.copyFiles = List.copyOf(copyFiles);
    this.setupCommand = setupCommand;
    this.commandEnv = commandEnv;
  }

  @Override
  public String branchOf(TaskId task) {
    return worktrees.branchOf(task);
  }

  @Override
  public Path pathOf(TaskId task) {
    return worktrees.pathOf(task);
  }

  @Override
  public AgentLauncher.Launch fresh(TaskId task, LaunchRequest request, RunView starting, RunFiles files)
      throws IOException {
    Path worktree = worktrees.create(task, "before-run-" + starting.runId());
    worktrees.copyFiles(worktree, copyFiles);
    worktrees.runSetup(worktree, setupCommand, files.setupLog(), commandEnv);
    Files.writeString(files.prompt(), prompts.taskPrompt(task, request, worktree, starting.branch()),
        StandardCharsets.UTF_8);
    prompts.writeMcpConfig(files.mcpConfig(), worktree, request.taskId());
    return new AgentLauncher.Launch(worktree, files.prompt(), files.log(), files.stderr(), files.mcpConfig(),
        starting.sessionId(), false, worktrees.hasGitIdentity(worktree));
  }

  @Override
  public AgentLauncher.Launch resumed(ResumeRequest request, RunView starting, RunFiles files) throws IOException {
    Path worktree = Path.of(starting.worktree());
    Files.writeString(files.prompt(), prompts.followUp(request), StandardCharsets.UTF_8);
    prompts.writeMcpConfig(files.mcpConfig(), worktree, request.taskId());
    return new AgentLauncher.Launch(worktree, files.prompt(), files.log(), files.stderr(), files.mcpConfig(),
        starting.sessionId(), true, worktrees.hasGitIdentity(worktree));
  }
}
