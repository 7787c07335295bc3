package dev.orch.executor;

import dev.orch.contract.GitRefs;
import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import dev.orch.git.LocalOnlyFiles;
import dev.orch.process.ChildEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One git worktree per run, on a fresh branch from the tip of the main branch, through the git CLI (JGit has no
 * linked worktrees). Nothing is ever lost: before a branch or worktree is removed, uncommitted work is committed,
 * and commits the main branch does not have are kept under {@code refs/orch/archive/} and in a git bundle.
 * Worktree commands go through {@link GitWorkspace}, which serialises them with every other owner of the repository's
 * worktrees (prbot's merge worktree, the build pool's checkouts, another orch process). Every method blocks.
 */
final class Worktrees {
  private static final Logger LOG = LoggerFactory.getLogger(Worktrees.class);
  static final String ARCHIVE_REFS = GitRefs.ARCHIVE;
  static final String MERGED_REFS = GitRefs.MERGED;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final GitCli git;
  private final GitWorkspace workspace;
  private final Path worktreeDir;
  private final Path bundleDir;
  private final String configuredMain;
  private final String branchPrefix;

  Worktrees(GitWorkspace workspace, Path worktreeDir, Path bundleDir, String configuredMain, String branchPrefix) {
    this.workspace = workspace;
    this.git = workspace.git();
    this.worktreeDir = worktreeDir;
    this.bundleDir = bundleDir;
    this.configuredMain = configuredMain;
    this.branchPrefix = branchPrefix;
  }

  String branchOf(TaskId task) {
    return branchPrefix + task.module() + "-" + task.local();
  }

  Path pathOf(TaskId task) {
    return worktreeDir.resolve(task.module() + "-" + task.local());
  }

  /** Runs {@code work} holding the repository's worktrees (a check that nobody works in one, then its removal). */
  <T> T exclusively(java.util.function.Supplier<T> work) {
    return workspace.exclusively(work);
  }

  /**
   * What the agent in {@code worktree} has changed since it branched from the main branch: commits, staged and unstaged
   * edits, and new files git does not ignore (orch's local-only files are excluded for git, so they are not here).
   */
  List<String> touched(Path worktree, int limit) {
    GitCli.Result base = git.tryRunIn(worktree, "merge-base", "HEAD", mainBranch());
    if (!base.ok()) {
      return List.of();
    }
    Set<String> paths = new TreeSet<>();
    GitCli.Result changed = git.tryRunIn(worktree, "diff", "--name-only", "-z", "--no-renames", base.out().strip());
    GitCli.Result added = git.tryRunIn(worktree, "ls-files", "--others", "--exclude-standard", "-z");
    for (GitCli.Result result : List.of(changed, added)) {
      if (result.ok()) {
        for (String path : result.out().split("\0")) {
          if (!path.isEmpty() && paths.size() < limit) {
            paths.add(path);
          }
        }
      }
    }
    return List.copyOf(paths);
  }

  String mainBranch() {
    return git.mainBranch(configuredMain);
  }

  /**
   * Makes a fresh worktree for the task, archiving whatever an earlier run left behind, holding the repository
   * throughout so no other owner's worktree change interleaves.
   */
  Path create(TaskId task, String label) {
    return workspace.exclusively(() -> createHeld(task, label));
  }

  private Path createHeld(TaskId task, String label) {
    String branch = branchOf(task);
    Path path = pathOf(task);
    archiveAndRemove(task, label);
    String main = mainBranch();
    String mainTip = git.resolve(main).orElseThrow(() ->
        new IllegalStateException("the main branch '" + main + "' does not exist in " + git.repo()
            + " (commit something first, or set general.main_branch)"));
    try {
      Files.createDirectories(worktreeDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + worktreeDir, e);
    }
    workspace.addOnNewBranch(path, branch, mainTip);
    return path;
  }

  /**
   * Removes the task's worktree and branch; first commits any uncommitted work in it, and keeps commits the main branch
   * does not have (unless they were merged by squash, recorded under {@code refs/orch/merged/}).
   */
  List<String> archiveAndRemove(TaskId task, String label) {
    return workspace.exclusively(() -> archiveAndRemoveHeld(task, label));
  }

  private List<String> archiveAndRemoveHeld(TaskId task, String label) {
    List<String> saved = new ArrayList<>();
    String branch = branchOf(task);
    Path path = pathOf(task);
    if (!Files.exists(path) && !git.branchExists(branch)) {
      return saved;
    }
    if (Files.isDirectory(path.resolve(".git")) || Files.isRegularFile(path.resolve(".git"))) {
      commitLeftovers(path, "orch: work left uncommitted in " + path.getFileName() + " (saved before removal)");
    }
    if (git.branchExists(branch)) {
      String tip = git.resolve(branch).orElseThrow();
      if (!isMerged(task, tip)) {
        String name = task.module() + "-" + task.local() + "/" + label;
        git.run("update-ref", ARCHIVE_REFS + name, tip);
        saved.add(ARCHIVE_REFS + name);
        saved.add(bundle(branch, task, label).toString());
      }
    }
    if (Files.exists(path)) {
      workspace.remove(path);
      deleteTree(path);
    }
    workspace.prune();
    if (git.branchExists(branch)) {
      workspace.deleteBranch(branch);
    }
    return saved;
  }

  /**
   * Commits everything uncommitted in a worktree, so no work is lost, except local-only files (what orch copied in) and
   * new files that look like secrets: those stay on disk, uncommitted (H1). Returns whether anything was committed.
   */
  boolean commitLeftovers(Path worktree, String message) {
    GitCli.Result status = git.tryRunIn(worktree, "status", "--porcelain");
    if (!status.ok() || status.out().isBlank()) {
      return false;
    }
    List<String> leftOut = LocalOnlyFiles.stageAll(git, worktree);
    if (!leftOut.isEmpty()) {
      LOG.info("not committing local-only or secret-looking files in {}: {}", worktree, leftOut);
    }
    if (!LocalOnlyFiles.anythingStaged(git, worktree)) {
      return false;
    }
    git.commitIn(worktree, message);
    return true;
  }

  private boolean isMerged(TaskId task, String tip) {
    String main = mainBranch();
    if (git.resolve(main).isPresent() && git.tryRunIn(git.repo(), "merge-base", "--is-ancestor", tip, main).ok()) {
      return true;
    }
    return git.resolve(MERGED_REFS + task.module() + "-" + task.local()).map(tip::equals).orElse(false);
  }

  private Path bundle(String branch, TaskId task, String label) {
    try {
      Files.createDirectories(bundleDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + bundleDir, e);
    }
    Path file = bundleDir.resolve(task.module() + "-" + task.local() + "-" + label.replace('/', '-') + "-"
        + STAMP.format(Instant.now()) + ".bundle");
    String main = mainBranch();
    String range = git.resolve(main).isPresent() ? main + ".." + branch : branch;
    GitCli.Result result = git.tryRunIn(git.repo(), "bundle", "create", file.toString(), range);
    if (!result.ok()) {
      git.run("bundle", "create", file.toString(), branch);
    }
    LOG.info("saved unmerged commits of {} in {}", branch, file);
    return file;
  }

  /** Whether git in this checkout knows who commits (repository, user or system config). */
  boolean hasGitIdentity(Path worktree) {
    return git.hasIdentity();
  }

  /** Worktree folders under {@code worktree_dir}, and branches with orch's prefix. */
  record Inventory(List<Path> folders, List<String> branches) {
  }

  Inventory inventory() {
    List<Path> folders = new ArrayList<>();
    if (Files.isDirectory(worktreeDir)) {
      try (var list = Files.list(worktreeDir)) {
        list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().forEach(folders::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String out = git.run("for-each-ref", "--format=%(refname:short)", "refs/heads/" + branchPrefix);
    List<String> branches = out.isBlank() ? List.of() : List.of(out.split("\n"));
    return new Inventory(folders, branches);
  }

  /** The tasks that have a worktree folder or an orch branch, read back from their names. */
  Set<TaskId> tasksOnDisk() {
    Inventory inventory = inventory();
    Set<TaskId> tasks = new TreeSet<>();
    for (Path folder : inventory.folders()) {
      taskOfName(folder.getFileName().toString()).ifPresent(tasks::add);
    }
    for (String branch : inventory.branches()) {
      if (branch.startsWith(branchPrefix)) {
        taskOfName(branch.substring(branchPrefix.length())).ifPresent(tasks::add);
      }
    }
    return tasks;
  }

  /** The inverse of {@link #pathOf} and {@link #branchOf}'s naming: {@code module-E05} back into a task id. */
  static Optional<TaskId> taskOfName(String name) {
    int dash = name.lastIndexOf('-');
    if (dash <= 0) {
      return Optional.empty();
    }
    try {
      return TaskId.parse(name.substring(dash + 1), name.substring(0, dash));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Copies the configured files (.env and the like) from the project into a new worktree, when they exist, after
   * declaring them local-only so no commit, snapshot or push ever carries them (H1).
   */
  void copyFiles(Path worktree, List<String> files) {
    copyFiles(worktree, files, List.of());
  }

  /** As above; {@code alsoLocalOnly} are files orch writes into the worktree itself (the agent's skill). */
  void copyFiles(Path worktree, List<String> files, List<String> alsoLocalOnly) {
    List<String> localOnly = new ArrayList<>(files);
    localOnly.addAll(alsoLocalOnly);
    LocalOnlyFiles.declare(git, localOnly);
    for (String file : files) {
      Path source = git.repo().resolve(file);
      if (Files.isRegularFile(source)) {
        try {
          Path target = worktree.resolve(file);
          Files.createDirectories(target.getParent());
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot copy " + source + " into " + worktree, e);
        }
      }
    }
  }

  /** Runs the project's setup command in a new worktree; a failure fails the run with the command's output. */
  void runSetup(Path worktree, String command, Path logFile, ChildEnvironment env) {
    if (command == null || command.isBlank()) {
      return;
    }
    try {
      Process process = env.applyTo(new ProcessBuilder("sh", "-c", command)).directory(worktree.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("setup command timed out after 30 minutes: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("setup command exited with " + process.exitValue() + ": " + command
            + " (output in " + logFile + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run setup command " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
