package dev.orch.bench;

import dev.orch.buildpool.BuildPoolSettings;
import dev.orch.buildpool.BuildPoolVerticle;
import dev.orch.cluster.ClusterSettings;
import dev.orch.cluster.AgentBus;
import dev.orch.contract.Addresses;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.JobOutput;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The build pool's figures on loopback: this JVM is the coordinator on a real Hazelcast cluster, with its git daemon;
 * two build agents (build-agent.jar) run as processes with 4 slots each. Measures submit-to-first-output latency on the
 * warm pool, the output streaming rate, incremental fetch against a full clone per job, and the throughput of 200
 * {@code sleep 1} jobs against the ideal of 25 s.
 * Usage: BuildPoolBench BUILD_AGENT_JAR [latency_runs=50] [throughput_jobs=200] [stream_mb=100]
 */
public final class BuildPoolBench {
  private BuildPoolBench() {
  }

  public static void main(String[] args) throws Exception {
    Path agentJar = Path.of(args[0]).toAbsolutePath();
    int latencyRuns = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int throughputJobs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int streamMb = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    Path work = Files.createTempDirectory("orch-pool-bench-");
    List<Process> agents = new ArrayList<>();
    Vertx vertx = null;
    AgentBus agentBus = null;
    try {
      Path repo = work.resolve("repo");
      git(work, "init", "-q", "-b", "main", repo.toString());
      git(repo, "config", "user.name", "bench");
      git(repo, "config", "user.email", "bench@orch.invalid");
      int files = generateProject(repo);
      String commit = git(repo, "rev-parse", "HEAD");

      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      String name = "bench-" + UUID.randomUUID();
      String secret = java.util.UUID.randomUUID().toString();
      Path secretFile = Files.writeString(work.resolve("cluster-secret"), secret);
      ClusterSettings cluster = new ClusterSettings("127.0.0.1", port, false, name, secret, List.of(), 0, null, "", "", "", "");
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
      agentBus = await(AgentBus.coordinator(vertx, cluster, new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4)));
      var settings = new BuildPoolSettings(repo.toString(), work.resolve("state/orch.db").toString(),
          work.resolve("state/jobs").toString(), false, 2, work.resolve("local").toString(), 600, 2, 10, 1000, true,
          "127.0.0.1", 0, "127.0.0.1", true);
      await(vertx.deployVerticle(new BuildPoolVerticle(settings)));
      BuildPoolClient pool = new BuildPoolClient(vertx);
      Events events = new Events(vertx);

      Path agentConfig = Files.writeString(work.resolve("agent.toml"), "[storage]\ngit_cache_dir = \"" + work.resolve("agents/cache")
          + "\"\nworktree_dir = \"" + work.resolve("agents/jobs") + "\"\n");
      for (String id : List.of("b1", "b2")) {
        agents.add(new ProcessBuilder(javaBinary(), "-XX:+UseSerialGC", "-jar", agentJar.toString(), "--config",
            agentConfig.toString(), "--join", "127.0.0.1:" + port, "--cluster-name", name, "--secret-file", secretFile.toString(), "--id", id, "--jobs", "4")
            .redirectErrorStream(true).redirectOutput(work.resolve("agent-" + id + ".log").toFile()).start());
      }
      long joinStart = System.nanoTime();
      while (await(pool.status()).workers().size() < 2) {
        if (System.nanoTime() - joinStart > TimeUnit.SECONDS.toNanos(120)) {
          throw new IllegalStateException("the agents did not join; see " + work);
        }
        Thread.sleep(100);
      }
      System.out.printf("agents joined in %d ms; project: %d files%n", millis(joinStart), files);

      // Warm-up: every agent has the commit in its cache and its JIT has run the job path.
      List<Long> warm = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        warm.add(submit(pool, commit, "echo warm", 0).jobId());
      }
      for (long id : warm) {
        events.done(id).get(120, TimeUnit.SECONDS);
      }

      List<Double> firstOutput = new ArrayList<>();
      List<Double> trueDone = new ArrayList<>();
      for (int i = 0; i < latencyRuns; i++) {
        long start = System.nanoTime();
        JobView echo = submit(pool, commit, "echo first", 0);
        events.firstOutput(echo.jobId()).get(60, TimeUnit.SECONDS);
        firstOutput.add((System.nanoTime() - start) / 1e6);
        events.done(echo.jobId()).get(60, TimeUnit.SECONDS);
        start = System.nanoTime();
        JobView nothing = submit(pool, commit, "true", 0);
        events.done(nothing.jobId()).get(60, TimeUnit.SECONDS);
        trueDone.add((System.nanoTime() - start) / 1e6);
      }
      System.out.printf("| submit to first output, `echo first` (%d runs) | %s |%n", latencyRuns, stats(firstOutput));
      System.out.printf("| submit to job done, `true` (%d runs) | %s |%n", latencyRuns, stats(trueDone));

      long bytes = (long) streamMb * 1024 * 1024;
      String line = "x".repeat(99);
      long streamStart = System.nanoTime();
      JobView stream = submit(pool, commit, "yes " + line + " | head -c " + bytes, 0);
      long firstAt = events.firstOutput(stream.jobId()).get(120, TimeUnit.SECONDS);
      JobView streamed = events.done(stream.jobId()).get(600, TimeUnit.SECONDS);
      long doneAt = System.nanoTime();
      long received = events.bytes(stream.jobId());
      System.out.printf("| output streaming, %d MB in 100-byte lines on %s | %.1f MB/s (first output to end); %.1f MB/s"
          + " (submit to end); %d bytes received, job says %d |%n", streamMb, streamed.worker(),
          received / 1048576.0 / ((doneAt - firstAt) / 1e9), received / 1048576.0 / ((doneAt - streamStart) / 1e9), received,
          streamed.outputBytes());

      fetchVersusClone(work, repo, settingsGitUrl(pool));

      long throughputStart = System.nanoTime();
      List<Long> sleeps = new ArrayList<>();
      for (int i = 0; i < throughputJobs; i++) {
        sleeps.add(submit(pool, commit, "sleep 1", 0).jobId());
      }
      Map<String, Integer> perWorker = new java.util.TreeMap<>();
      for (long id : sleeps) {
        JobView done = events.done(id).get(600, TimeUnit.SECONDS);
        perWorker.merge(done.worker(), 1, Integer::sum);
      }
      double seconds = (System.nanoTime() - throughputStart) / 1e9;
      double ideal = Math.ceil(throughputJobs / 8.0);
      System.out.printf("| %d `sleep 1` jobs on 2 agents x 4 slots | %.1f s (ideal %.0f s, %.0f%% of ideal); per agent %s |%n",
          throughputJobs, seconds, ideal, 100 * ideal / seconds, perWorker);
    } finally {
      for (Process agent : agents) {
        agent.destroy();
      }
      for (Process agent : agents) {
        agent.waitFor(20, TimeUnit.SECONDS);
        agent.destroyForcibly();
      }
      if (agentBus != null) {
        agentBus.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (System.getenv("KEEP") == null) {
        deleteTree(work);
      } else {
        System.out.println("kept " + work);
      }
    }
  }

  /**
   * What each job costs to get the code: a full clone and checkout (what a build farm without a cache does) against the
   * agents' way, a fetch of only the new commit into a warm bare cache plus a worktree. Both against the git daemon.
   */
  private static void fetchVersusClone(Path work, Path repo, String url) throws Exception {
    int rounds = 5;
    Path cache = work.resolve("fetch-bench/cache.git");
    git(work, "init", "-q", "--bare", cache.toString());
    String head = git(repo, "rev-parse", "HEAD");
    git(cache, "fetch", "-q", "--no-tags", url, "+" + head + ":refs/orch/jobs/0");
    List<Double> clones = new ArrayList<>();
    List<Double> fetches = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      Files.writeString(repo.resolve("src/changed-" + i + ".txt"), "change " + i + "\n");
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "change " + i);
      String commit = git(repo, "rev-parse", "HEAD");
      Path clone = work.resolve("fetch-bench/clone-" + i);
      long start = System.nanoTime();
      git(work, "clone", "-q", "--no-tags", url, clone.toString());
      git(clone, "checkout", "-q", "--detach", commit);
      clones.add((System.nanoTime() - start) / 1e6);
      Path worktree = work.resolve("fetch-bench/worktree-" + i);
      start = System.nanoTime();
      git(cache, "fetch", "-q", "--no-tags", url, "+" + commit + ":refs/orch/jobs/" + i);
      git(cache, "worktree", "add", "-q", "--detach", worktree.toString(), commit);
      fetches.add((System.nanoTime() - start) / 1e6);
      git(cache, "worktree", "remove", "--force", worktree.toString());
      deleteTree(clone);
    }
    long size = Files.walk(repo.resolve(".git")).filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    System.out.printf("| code for a job: full clone + checkout (%d runs; .git %.1f MB) | %s |%n", rounds, size / 1048576.0,
        stats(clones));
    System.out.printf("| code for a job: fetch of the new commit into the warm cache + worktree (%d runs) | %s |%n", rounds,
        stats(fetches));
  }

  private static String settingsGitUrl(BuildPoolClient pool) throws Exception {
    return await(pool.status()).gitDaemon();
  }

  /** A project of some size: 2,000 source files in 40 folders, about 12 MB, over 10 commits. */
  private static int generateProject(Path repo) throws Exception {
    java.util.Random random = new java.util.Random(7);
    int files = 0;
    for (int commit = 0; commit < 10; commit++) {
      for (int i = 0; i < 200; i++) {
        Path file = repo.resolve("src/pkg" + (files % 40) + "/File" + files + ".java");
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder();
        while (text.length() < 6000) {
          text.append("  // ").append(Long.toHexString(random.nextLong())).append(' ').append(random.nextInt()).append('\n');
        }
        Files.writeString(file, text);
        files++;
      }
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "commit " + commit);
    }
    return files;
  }

  private static JobView submit(BuildPoolClient pool, String commit, String command, int timeout) throws Exception {
    return await(pool.submit(new JobRequest(commit, null, command, timeout, "bench", null)));
  }

  /** Job events from the bus, by job: when the first output came, how many bytes, and the end. */
  private static final class Events {
    private final Map<Long, CompletableFuture<Long>> first = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<JobView>> done = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> bytes = new ConcurrentHashMap<>();

    Events(Vertx vertx) {
      vertx.eventBus().<JsonObject>consumer(Addresses.BuildPool.EVT_OUTPUT, m -> {
        long now = System.nanoTime();
        JobOutput output = JobOutput.fromJson(m.body());
        firstOutput(output.jobId()).complete(now);
        bytes.computeIfAbsent(output.jobId(), k -> new AtomicLong()).addAndGet(
            output.text().getBytes(StandardCharsets.UTF_8).length);
      });
      vertx.eventBus().<JsonObject>consumer(Addresses.BuildPool.EVT_JOB, m -> {
        JobView job = JobView.fromJson(m.body());
        if (job.state().done()) {
          done(job.jobId()).complete(job);
        }
      });
    }

    CompletableFuture<Long> firstOutput(long id) {
      return first.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    CompletableFuture<JobView> done(long id) {
      return done.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    long bytes(long id) {
      return bytes.getOrDefault(id, new AtomicLong()).get();
    }
  }

  static String stats(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format("min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms", sorted.get(0), sorted.get(sorted.size() / 2),
        sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.9))), sorted.get(sorted.size() - 1));
  }

  private static long millis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
    }
    return out.strip();
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
