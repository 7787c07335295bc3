package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.config.PromptFolders;
import dev.orch.config.UserDirs;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import dev.orch.process.ChildEnvironment;
import dev.orch.testkit.TestRepo;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh launch's workspace with real git: the MCP config and git's identity are made while git makes the worktree,
 * and a launch that fails leaves nothing of that side work still running.
 */
class WorktreeWorkspaceTest {
  @TempDir
  Path tmp;
  Path repo;
  GitCli git;
  WorktreeWorkspace workspace;
  final TaskId task = TaskId.parseFull("app/E01");

  @BeforeEach
  void repository() throws Exception {
    repo = tmp.resolve("repo");
    git = TestRepo.init(repo);
    Files.createDirectories(repo.resolve("docs/plans/app"));
    Files.writeString(repo.resolve("docs/plans/app/epic-01-hello.md"), "# Hello\n\nSay hello.\n");
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "plan");
    Worktrees worktrees = new Worktrees(new GitWorkspace(git), repo.resolve(".orch/worktrees"),
        repo.resolve(".orch/bundles"), "", "orch/");
    JsonObject servers = new JsonObject().put("orch", new JsonObject().put("type", "http")
        .put("url", "http://127.0.0.1:1/mcp?task=${task_id}").put("cwd", "${worktree}"));
    workspace = new WorktreeWorkspace(worktrees, new RunPrompts(libraryWith(tmp.resolve("no-overrides")), repo,
        servers, "secret"), List.of(), "", ChildEnvironment.allowListOnly());
  }

  private RunView starting() {
    return RunView.starting(7, task, 1, "session-1", 0, workspace.branchOf(task), workspace.pathOf(task).toString(),
        "", 0, "Hello", "docs/plans/app/epic-01-hello.md", false);
  }

  private LaunchRequest request() {
    return new LaunchRequest(task, 1, "Hello", "docs/plans/app/epic-01-hello.md", List.of(), false);
  }

  @Test
  void aFreshLaunchHasItsWorktreePromptAndOwnerOnlyMcpConfig() throws Exception {
    RunFiles files = RunFiles.of(tmp.resolve("logs"), task, 7);
    files.createDirectories();

    AgentLauncher.Launch launch = workspace.fresh(task, request(), starting(), files);

    assertThat(launch.worktree()).isEqualTo(workspace.pathOf(task)).isDirectory();
    assertThat(launch.worktree().resolve("docs/plans/app/epic-01-hello.md")).exists();
    assertThat(Files.readString(launch.promptFile())).contains("Say hello.");
    JsonObject mcp = new JsonObject(Files.readString(launch.mcpConfig()));
    assertThat(mcp.getJsonObject("mcpServers").getJsonObject("orch").getString("cwd"))
        .isEqualTo(launch.worktree().toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launch.mcpConfig()))).isEqualTo("rw-------");
    assertThat(launch.hasGitIdentity()).isTrue();
  }

  @Test
  void aWorktreeThatCannotBeMadeFailsTheLaunchWithItsReasonAfterTheSideWorkEnded() throws Exception {
    RunFiles files = RunFiles.of(tmp.resolve("logs"), task, 7);
    files.createDirectories();
    Files.createDirectories(repo.resolve(".orch"));
    Files.writeString(repo.resolve(".orch/worktrees"), "a file where the worktrees' folder goes\n");

    assertThatThrownBy(() -> workspace.fresh(task, request(), starting(), files))
        .hasMessageContaining("cannot create").hasMessageContaining(".orch/worktrees");
    assertThat(files.mcpConfig()).as("written beside git, and finished before the failure was reported").exists();
  }

  @Test
  void theUsersSkillIsInstalledInTheWorktreeAndNeverCommitted() throws Exception {
    Path overrides = tmp.resolve("user-prompts");
    Files.createDirectories(overrides.resolve("skills"));
    Files.writeString(overrides.resolve("skills/autonomous-plan-execution.md"), "# Work alone\n\nFinish the plan.\n");
    WorktreeWorkspace withSkill = workspaceWith(overrides);
    RunFiles files = RunFiles.of(tmp.resolve("logs"), task, 7);
    files.createDirectories();

    AgentLauncher.Launch launch = withSkill.fresh(task, request(), starting(), files);

    Path skill = launch.worktree().resolve(".claude/skills/autonomous-plan-execution/SKILL.md");
    assertThat(Files.readString(skill)).startsWith("---\nname: autonomous-plan-execution\ndescription: ")
        .endsWith("---\n# Work alone\n\nFinish the plan.\n");
    git.runIn(launch.worktree(), "add", "-A");
    assertThat(git.runIn(launch.worktree(), "status", "--porcelain")).as("git add -A leaves it out").isEmpty();
  }

  /** The folders orch looks in, with a home of the test's own so no real override is found. */
  private PromptLibrary libraryWith(Path overrideDir) {
    return new PromptLibrary(PromptFolders.of(repo, overrideDir, new UserDirs(tmp.resolve("home"),
        tmp.resolve("home/.config"))));
  }

  private WorktreeWorkspace withUsersSkill() throws Exception {
    Path overrides = tmp.resolve("user-prompts");
    Files.createDirectories(overrides.resolve("skills"));
    Files.writeString(overrides.resolve("skills/autonomous-plan-execution.md"), "user's\n");
    return workspaceWith(overrides);
  }

  private WorktreeWorkspace workspaceWith(Path overrides) {
    return new WorktreeWorkspace(new Worktrees(new GitWorkspace(git), repo.resolve(".orch/worktrees"),
        repo.resolve(".orch/bundles"), "", "orch/"), new RunPrompts(libraryWith(overrides), repo, new JsonObject(), "secret"),
        List.of(), "", ChildEnvironment.allowListOnly());
  }

  @Test
  void aDanglingLinkCommittedWhereTheSkillGoesIsNotWrittenThrough() throws Exception {
    Path outside = tmp.resolve("outside/SKILL.md");
    Files.createDirectories(repo.resolve(".claude/skills/autonomous-plan-execution"));
    Files.createSymbolicLink(repo.resolve(".claude/skills/autonomous-plan-execution/SKILL.md"), outside);
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "a link");
    RunFiles files = RunFiles.of(tmp.resolve("logs"), task, 7);
    files.createDirectories();

    AgentLauncher.Launch launch = withUsersSkill().fresh(task, request(), starting(), files);

    assertThat(outside).doesNotExist();
    assertThat(tmp.resolve("outside")).doesNotExist();
    assertThat(Files.isSymbolicLink(launch.worktree().resolve(AgentSkill.TARGET))).isTrue();
  }

  @Test
  void aCommittedClaudeFolderLinkedOutsideGetsNoSkillAndTheRunGoesOn() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside-claude"));
    Files.createSymbolicLink(repo.resolve(".claude"), outside);
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "a linked folder");
    RunFiles files = RunFiles.of(tmp.resolve("logs"), task, 7);
    files.createDirectories();

    AgentLauncher.Launch launch = withUsersSkill().fresh(task, request(), starting(), files);

    assertThat(outside).isEmptyDirectory();
    assertThat(Files.readString(launch.promptFile())).contains("Say hello.");
  }

  @Test
  void anOlderWorktreesInstalledSkillStaysLocalOnlyAfterTheOverrideIsGone() throws Exception {
    RunFiles files = RunFiles.of(tmp.resolve("logs"), task, 7);
    files.createDirectories();
    AgentLauncher.Launch first = withUsersSkill().fresh(task, request(), starting(), files);
    assertThat(first.worktree().resolve(AgentSkill.TARGET)).exists();

    TaskId other = TaskId.parseFull("app/E02");
    RunFiles otherFiles = RunFiles.of(tmp.resolve("logs"), other, 8);
    otherFiles.createDirectories();
    workspaceWith(tmp.resolve("no-overrides")).fresh(other,
        new LaunchRequest(other, 1, "Other", "docs/plans/app/epic-01-hello.md", List.of(), false),
        RunView.starting(8, other, 1, "session-2", 0, workspace.branchOf(other), workspace.pathOf(other).toString(), "", 0,
            "Other", "docs/plans/app/epic-01-hello.md", false), otherFiles);

    git.runIn(first.worktree(), "add", "-A");
    assertThat(git.runIn(first.worktree(), "status", "--porcelain")).as("git add -A still leaves it out").isEmpty();
  }

  @Test
  void aProjectsOwnSkillOfThatNameIsLeftAsItIs() throws Exception {
    Files.createDirectories(repo.resolve(".claude/skills/autonomous-plan-execution"));
    Files.writeString(repo.resolve(".claude/skills/autonomous-plan-execution/SKILL.md"), "---\nname: own\ndescription: d\n---\n");
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "own skill");
    WorktreeWorkspace withSkill = withUsersSkill();
    RunFiles files = RunFiles.of(tmp.resolve("logs"), task, 7);
    files.createDirectories();

    AgentLauncher.Launch launch = withSkill.fresh(task, request(), starting(), files);

    assertThat(launch.worktree().resolve(".claude/skills/autonomous-plan-execution/SKILL.md")).content()
        .isEqualTo("---\nname: own\ndescription: d\n---\n");
    assertThat(git.runIn(launch.worktree(), "status", "--porcelain")).isEmpty();
  }
}
