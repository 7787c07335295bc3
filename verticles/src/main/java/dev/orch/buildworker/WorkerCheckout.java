package dev.orch.buildworker;

import dev.orch.git.GitCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A build agent's git side: one bare cache per repository URL, fetching only what a job needs (its ref or commit),
 * and a fresh worktree per job, removed afterwards. Blocking; one repository's cache is changed by one job at a time.
 */
final class WorkerCheckout {
  private final Path cacheDir;
  private final Path worktreeDir;

  WorkerCheckout(Path cacheDir, Path worktreeDir) {
    this.cacheDir = cacheDir;
    this.worktreeDir = worktreeDir;
  }

  /** Fetches the commit into the cache and makes the job's worktree at it; returns the worktree. */
  Path prepare(String url, String ref, String commit, long jobId) {
    Path cache = cacheOf(url);
    synchronized (cache.toString().intern()) {
      try {
        Files.createDirectories(cache);
        Files.createDirectories(worktreeDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      GitCli git = new GitCli(cache);
      if (!Files.exists(cache.resolve("HEAD"))) {
        git.run("init", "--quiet", "--bare");
      }
      if (git.resolve(commit).isEmpty()) {
        String wanted = ref != null && !ref.isBlank() ? ref : commit;
        git.run("fetch", "--quiet", "--no-tags", url, "+" + wanted + ":refs/orch/jobs/" + jobId);
      }
      Path worktree = worktreeDir.resolve("job-" + jobId);
      git.tryRunIn(cache, "worktree", "remove", "--force", worktree.toString());
      git.run("worktree", "add", "--quiet", "--detach", worktree.toString(), commit);
      return worktree;
    }
  }

  /** Worktrees of jobs from before a crash or kill; their caches forget them. */
  void removeLeftovers() {
    try {
      if (Files.isDirectory(worktreeDir)) {
        try (var stale = Files.list(worktreeDir)) {
          for (Path dir : stale.filter(p -> p.getFileName().toString().startsWith("job-")).toList()) {
            deleteTree(dir);
          }
        }
      }
      if (Files.isDirectory(cacheDir)) {
        try (var caches = Files.list(cacheDir)) {
          for (Path cache : caches.filter(p -> p.getFileName().toString().endsWith(".git")).toList()) {
            GitCli git = new GitCli(cache);
            git.tryRunIn(cache, "worktree", "prune");
            for (String ref : git.tryRunIn(cache, "for-each-ref", "--format=%(refname)", "refs/orch/jobs/").out().split("\n")) {
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

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  void remove(String url, long jobId) {
    Path cache = cacheOf(url);
    synchronized (cache.toString().intern()) {
      GitCli git = new GitCli(cache);
      Path worktree = worktreeDir.resolve("job-" + jobId);
      git.tryRunIn(cache, "worktree", "remove", "--force", worktree.toString());
      git.tryRunIn(cache, "worktree", "prune");
      git.tryRunIn(cache, "update-ref", "-d", "refs/orch/jobs/" + jobId);
    }
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
