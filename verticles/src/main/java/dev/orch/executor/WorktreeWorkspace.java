package dev.orch.executor;

import dev.orch.contract.LaunchRequest;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.process.ChildEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's workspace as a git worktree ({@link Worktrees}) with the project's files copied in, the user's
 * {@link AgentSkill} installed (unless the project has its own), and its setup run.
 */
final class WorktreeWorkspace implements RunWorkspace {
  private static final Logger LOG = LoggerFactory.getLogger(WorktreeWorkspace.class);
  /** Threads for what a launch does beside {@code git worktree add}; idle ones end after a minute. */
  private static final ExecutorService BESIDE_GIT = Executors.newCachedThreadPool(work -> {
    Thread thread = new Thread(work, "orch-launch-beside-git");
    thread.setDaemon(true);
    return thread;
  });

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
  public List<String> touched(Path worktree, int limit) {
    return worktrees.touched(worktree, limit);
  }

  @Override
  public AgentLauncher.Launch fresh(TaskId task, LaunchRequest request, RunView starting, RunFiles files)
      throws IOException {
    // The MCP config and git's identity need only the worktree's path, not its files: they are made while git makes
    // the worktree, which is most of a launch's time.
    Path path = worktrees.pathOf(task);
    CompletableFuture<Boolean> beside = CompletableFuture.supplyAsync(() -> {
      try {
        prompts.writeMcpConfig(files.mcpConfig(), path, request.taskId());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return worktrees.hasGitIdentity(path);
    }, BESIDE_GIT);
    Path worktree;
    try {
      worktree = worktrees.create(task, "before-run-" + starting.runId());
    } finally {
      settled(beside);
    }
    boolean hasGitIdentity = joined(beside);
    Optional<AgentSkill> skill = prompts.skill();
    // A link counts as there: what it points to is not the worktree's to fill.
    boolean projectsOwn = Files.exists(worktree.resolve(AgentSkill.TARGET), LinkOption.NOFOLLOW_LINKS);
    if (skill.isPresent() && projectsOwn) {
      LOG.info("{} is the project's own: not replacing it with {}", AgentSkill.TARGET, skill.get().origin());
    }
    // Declared local-only before it is written, so no git add of the agent's or orch's ever picks it up; and declared
    // even with no skill to install, since the exclude file is shared by every worktree of the repository and an older
    // one may still hold the copy installed when it was made. Not when the project tracks its own: then orch's
    // commits must keep the agent's changes to it.
    worktrees.copyFiles(worktree, copyFiles, projectsOwn ? List.of() : List.of(AgentSkill.TARGET));
    if (skill.isPresent() && !projectsOwn) {
      Optional<String> refused = skill.get().installIn(worktree);
      refused.ifPresent(why -> LOG.warn("Not installing the skill {} in {}: {}; the run goes on without it",
          skill.get().origin(), worktree, why));
    }
    worktrees.runSetup(worktree, setupCommand, files.setupLog(), commandEnv);
    Files.writeString(files.prompt(), prompts.taskPrompt(task, request, worktree, starting.branch()),
        StandardCharsets.UTF_8);
    return new AgentLauncher.Launch(worktree, files.prompt(), files.log(), files.stderr(), files.mcpConfig(),
        starting.sessionId(), false, hasGitIdentity);
  }

  /** Waits for the side work however it ended, so nothing of a failed launch is still being written afterwards. */
  private static void settled(CompletableFuture<?> work) {
    work.handle((v, e) -> null).join();
  }

  private static boolean joined(CompletableFuture<Boolean> work) throws IOException {
    try {
      return work.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
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
