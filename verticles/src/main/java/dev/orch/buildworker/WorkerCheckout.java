package dev.orch.buildworker;

import dev.orch.contract.GitRefs;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import dev.orch.git.RepositoryLocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A build agent's git side: one bare cache per repository URL, fetching only what a job needs (its ref or commit),
 * and a clean worktree per job.
 *
 * <p>Writing a whole checkout costs about a millisecond per file on some disks, which would dwarf a short job, so a
 * finished job's worktree is scrubbed ({@code git clean -ffdx}, {@code git reset --hard}) and kept as a spare; the next
 * job checks its commit out there, which rewrites only the files that differ. A job therefore never sees what
 * another job left behind, exactly as with a new worktree. Blocking; creating a cache, fetches into it and changes to
 * its worktree list hold the cache's {@link RepositoryLocks repository lock} (also against a second build agent
 * sharing the cache folder), because concurrent {@code git worktree} calls corrupt each other.
 */
final class WorkerCheckout {
  private final Path cacheDir;
  private final Path worktreeDir;
  private final int maxSparesPerCache;
  private final AtomicLong names = new AtomicLong();
  private final Map<Path, Deque<Spare>> spares = new HashMap<>();
  private final Map<Path, GitWorkspace> caches = new HashMap<>();

  /** A scrubbed worktree waiting for a job, and the commit it has checked out. */
  private record Spare(Path worktree, String commit) {
  }

  /** A job's worktree. */
  record Checkout(Path worktree, String commit) {
  }

  WorkerCheckout(Path cacheDir, Path worktreeDir, int maxSparesPerCache) {
    this.cacheDir = cacheDir;
    this.worktreeDir = worktreeDir;
    this.maxSparesPerCache = maxSparesPerCache;
  }

  /** Fetches the commit into the cache and gives the job a clean worktree at it. */
  Checkout prepare(String url, String ref, String commit, long jobId) {
    Path cache = cacheOf(url);
    GitWorkspace workspace = workspaceOf(cache);
    GitCli git = workspace.git();
    Spare spare;
    String full;
    try {
      Files.createDirectories(worktreeDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Held from before the cache exists, so two jobs never both initialise it; the lock creates the folder.
    try (RepositoryLocks.Hold held = RepositoryLocks.jvmWide().hold(cache)) {
      if (!Files.exists(cache.resolve("HEAD"))) {
        new GitCli(cache).run("init", "--quiet", "--bare");
        new GitCli(cache).run("config", "gc.auto", "0");
      }
      // A commit already in the cache needs no ref of its own: the worktree's HEAD keeps it.
      full = git.resolve(commit).orElse(null);
      if (full == null) {
        String wanted = ref != null && !ref.isBlank() ? ref : commit;
        git.run("fetch", "--quiet", "--no-tags", url, "+" + wanted + ":" + jobRef(jobId));
        full = git.resolve(commit).orElseThrow(() -> new IllegalStateException(
            "fetched " + wanted + " from " + url + " but commit " + commit + " is not in it"));
      }
      spare = takeSpare(cache, full);
      if (spare == null) {
        Path worktree = worktreeDir.resolve("wt-" + names.incrementAndGet());
        workspace.addDetached(worktree, full);
        return new Checkout(worktree, full);
      }
    }
    if (!spare.commit().equals(full)) {
      git.runIn(spare.worktree(), "checkout", "--quiet", "--force", "--detach", full);
    }
    return new Checkout(spare.worktree(), full);
  }

  /** A spare already at the commit if there is one (nothing to check out), else the oldest. */
  private synchronized Spare takeSpare(Path cache, String commit) {
    Deque<Spare> kept = sparesOf(cache);
    for (Spare spare : kept) {
      if (spare.commit().equals(commit)) {
        kept.remove(spare);
        return spare;
      }
    }
    return kept.pollFirst();
  }

  /** Scrubs a finished job's worktree and keeps it for the next job, or removes it when enough are kept. */
  void release(String url, long jobId, Checkout checkout) {
    Path cache = cacheOf(url);
    Path worktree = checkout.worktree();
    GitWorkspace workspace = workspaceOf(cache);
    GitCli git = workspace.git();
    boolean clean = Files.isDirectory(worktree)
        && git.tryRunIn(worktree, "reset", "--quiet", "--hard").ok()
        && git.tryRunIn(worktree, "clean", "-ffdxq").ok();
    workspace.exclusively(() -> {
      git.tryRunIn(cache, "update-ref", "-d", jobRef(jobId));
      if (clean && keep(cache, new Spare(worktree, checkout.commit()))) {
        return;
      }
      workspace.remove(worktree);
      workspace.prune();
    });
  }

  /** Worktrees of jobs from before a crash or kill; their caches forget them. */
  void removeLeftovers() {
    try {
      if (Files.isDirectory(worktreeDir)) {
        try (var stale = Files.list(worktreeDir)) {
          for (Path dir : stale.filter(WorkerCheckout::isJobWorktree).toList()) {
            deleteTree(dir);
          }
        }
      }
      if (Files.isDirectory(cacheDir)) {
        try (var caches = Files.list(cacheDir)) {
          for (Path cache : caches.filter(p -> p.getFileName().toString().endsWith(".git")).toList()) {
            GitWorkspace workspace = workspaceOf(cache);
            GitCli git = workspace.git();
            workspace.prune();
            for (String ref : git.tryRunIn(cache, "for-each-ref", "--format=%(refname)", GitRefs.JOBS).out().split("\n")) {
              if (!ref.isBlank()) {
                git.tryRunIn(cache, "update-ref", "-d", ref.trim());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + worktreeDir, e);
    }
  }

  private static boolean isJobWorktree(Path dir) {
    String name = dir.getFileName().toString();
    return name.startsWith("wt-") || name.startsWith("job-");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String jobRef(long jobId) {
    return GitRefs.JOBS + jobId;
  }

  private synchronized boolean keep(Path cache, Spare spare) {
    Deque<Spare> kept = sparesOf(cache);
    if (kept.size() >= maxSparesPerCache) {
      return false;
    }
    kept.addLast(spare);
    return true;
  }

  private synchronized Deque<Spare> sparesOf(Path cache) {
    return spares.computeIfAbsent(cache, c -> new ArrayDeque<>());
  }

  private synchronized GitWorkspace workspaceOf(Path cache) {
    return caches.computeIfAbsent(cache, c -> new GitWorkspace(new GitCli(c)));
  }

  Path cacheOf(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return cacheDir.resolve(HexFormat.of().formatHex(digest, 0, 8) + ".git");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
