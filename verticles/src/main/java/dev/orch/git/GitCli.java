package dev.orch.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The git command line, for what JGit cannot do (linked worktrees) and what the user's own checkout must see done
 * the way git does it (fast-forwarding a checked-out branch around uncommitted work). Every method blocks: call it
 * from a worker thread. Commits orch makes use the repository's identity when it has one, else "orch".
 */
public final class GitCli {
  private static final long TIMEOUT_MINUTES = 10;

  private final Path repo;
  private volatile Repository jgit;
  /** Where git keeps a file of the repository ({@code git rev-parse --git-path}): fixed for the repository's life. */
  private final Map<String, Path> gitPaths = new java.util.concurrent.ConcurrentHashMap<>();

  public GitCli(Path repo) {
    this.repo = repo;
  }

  /** JGit, for reading refs and config in-process: microseconds instead of a git process each time. */
  private Repository jgit() {
    Repository opened = jgit;
    if (opened == null) {
      synchronized (this) {
        if (jgit == null) {
          try {
            jgit = new FileRepositoryBuilder().findGitDir(repo.toFile()).setMustExist(true).build();
          } catch (IOException | IllegalArgumentException e) {
            throw new GitException("open " + repo, -1, String.valueOf(e.getMessage()));
          }
        }
        opened = jgit;
      }
    }
    return opened;
  }

  public Path repo() {
    return repo;
  }

  /**
   * The file git uses for {@code relative} under its directory ({@code info/exclude} lives in the common directory of
   * linked worktrees), asked of git once: a process per launch was a measurable part of starting an agent.
   */
  public Path gitPath(String relative) {
    return gitPaths.computeIfAbsent(relative,
        r -> repo.resolve(run("rev-parse", "--git-path", r)).toAbsolutePath().normalize());
  }

  /** The command's trimmed stdout; a non-zero exit is a {@link GitException}. */
  public String run(String... args) {
    return runIn(repo, args);
  }

  public String runIn(Path dir, String... args) {
    Result result = exec(dir, List.of(args), Map.of());
    if (result.exit() != 0) {
      throw new GitException(String.join(" ", args), result.exit(), result.err());
    }
    return result.out().strip();
  }

  /** Like {@link #runIn(Path, String...)} with extra environment (GIT_INDEX_FILE, an identity). */
  public String runIn(Path dir, Map<String, String> env, String... args) {
    Result result = exec(dir, List.of(args), env);
    if (result.exit() != 0) {
      throw new GitException(String.join(" ", args), result.exit(), result.err());
    }
    return result.out().strip();
  }

  /** Runs without throwing, for commands whose exit code is the answer. */
  public Result tryRunIn(Path dir, String... args) {
    return exec(dir, List.of(args), Map.of());
  }

  public record Result(int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }
  }

  public Optional<String> resolve(String ref) {
    try {
      ObjectId id = jgit().resolve(ref + "^{commit}");
      return id == null ? Optional.empty() : Optional.of(id.name());
    } catch (IOException | RevisionSyntaxException e) {
      return Optional.empty();
    }
  }

  public boolean branchExists(String branch) {
    try {
      return jgit().exactRef("refs/heads/" + branch) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether git here knows who commits (repository, user or system config). */
  public boolean hasIdentity() {
    jgit().getConfig().uncache(org.eclipse.jgit.lib.UserConfig.KEY);
    String email = jgit().getConfig().getString("user", null, "email");
    return email != null && !email.isBlank() || System.getenv("GIT_AUTHOR_EMAIL") != null;
  }

  /** The branch named in config, else main, else master, else whatever the project's checkout has checked out. */
  public String mainBranch(String configured) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String candidate : List.of("main", "master")) {
      if (branchExists(candidate)) {
        return candidate;
      }
    }
    Result head = tryRunIn(repo, "symbolic-ref", "--short", "HEAD");
    return head.ok() ? head.out().strip() : "main";
  }

  /**
   * The files {@code commit} changed, read in-process by JGit, at most {@code limit}: against {@code since} when that is
   * one of its ancestors (a rebase lands several commits on top of it), else against its first parent (a squash or a
   * merge commit lands one; a root commit changed every file it has). Empty when {@code commit} is not here.
   */
  public List<String> changedFiles(String since, String commit, int limit) {
    Repository repository = jgit();
    try (RevWalk walk = new RevWalk(repository);
        TreeWalk tree = new TreeWalk(repository)) {
      RevCommit landed = commitOrNull(repository, walk, commit);
      if (landed == null) {
        return List.of();
      }
      RevCommit from = since == null ? null : commitOrNull(repository, walk, since);
      RevCommit base = from != null && !from.equals(landed) && walk.isMergedInto(from, landed) ? from
          : landed.getParentCount() > 0 ? walk.parseCommit(landed.getParent(0)) : null;
      tree.setRecursive(true);
      tree.setFilter(TreeFilter.ANY_DIFF);
      if (base == null) {
        tree.addTree(new EmptyTreeIterator());
      } else {
        tree.addTree(base.getTree());
      }
      tree.addTree(landed.getTree());
      List<String> out = new ArrayList<>();
      while (out.size() < limit && tree.next()) {
        out.add(tree.getPathString());
      }
      return out;
    } catch (IOException | RevisionSyntaxException e) {
      throw new GitException("changed files of " + commit, -1, String.valueOf(e.getMessage()));
    }
  }

  private static RevCommit commitOrNull(Repository repository, RevWalk walk, String rev) throws IOException {
    try {
      ObjectId id = repository.resolve(rev + "^{commit}");
      return id == null ? null : walk.parseCommit(id);
    } catch (MissingObjectException e) {
      return null;
    }
  }

  /** Commits on {@code head} that {@code base} does not have. */
  public int countCommits(String base, String head) {
    return Integer.parseInt(run("rev-list", "--count", base + ".." + head));
  }

  /** Like {@link #tryRunIn}, for commands that create commits (merge, rebase): orch signs when git knows nobody. */
  public Result tryRunInWithIdentity(Path dir, String... args) {
    List<String> all = new ArrayList<>(identityArgs(dir));
    all.addAll(List.of(args));
    return exec(dir, all, Map.of());
  }

  /** Commits in {@code dir} as orch, unless the repository has an identity of its own. */
  public String commitIn(Path dir, String message, String... extraArgs) {
    List<String> args = new ArrayList<>(identityArgs(dir));
    args.add("commit");
    args.add("-q");
    args.add("--no-verify");
    args.addAll(List.of(extraArgs));
    args.add("-F");
    args.add("-");
    Result result = exec(dir, args, Map.of(), message);
    if (result.exit() != 0) {
      throw new GitException("commit", result.exit(), result.err() + result.out());
    }
    return runIn(dir, "rev-parse", "HEAD");
  }

  private List<String> identityArgs(Path dir) {
    return hasIdentity() ? List.of() : List.of("-c", "user.email=orch@localhost", "-c", "user.name=orch");
  }

  private Result exec(Path dir, List<String> args, Map<String, String> env) {
    return exec(dir, args, env, null);
  }

  private Result exec(Path dir, List<String> args, Map<String, String> env, String stdin) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("GIT_EDITOR", "true");
    builder.environment().put("LC_ALL", "C");
    builder.environment().putAll(env);
    try {
      Path out = Files.createTempFile("orch-git-", ".out");
      Path err = Files.createTempFile("orch-git-", ".err");
      try {
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
          builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        if (stdin != null) {
          try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new GitException(String.join(" ", args), -1, "timed out after " + TIMEOUT_MINUTES + " minutes");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run git " + String.join(" ", args) + " in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitException(String.join(" ", args), -1, "interrupted");
    }
  }
}
