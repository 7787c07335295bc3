package dev.orch.buildpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.git.GitCli;
import dev.orch.testkit.PlanTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The build pool's limits: what its git daemon serves (L1), how much output and time a job gets (M4). */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BuildPoolLimitsTest {
  @TempDir
  Path tmp;

  record Result(int exit, String out) {
  }

  static Result git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "protocol.version=2"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), out);
  }

  @Test
  void l1_the_git_daemon_serves_only_the_ref_made_for_a_running_job_and_lists_nothing() throws Exception {
    PlanTree repo = PlanTree.create(tmp.resolve("repo")).write("hello.txt", "hello\n");
    GitCli project = new GitCli(repo.root());
    project.run("add", "-A");
    project.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "first");
    String jobCommit = project.resolve("HEAD").orElseThrow();
    repo.write(".env", "SECRET_API_KEY=sk-test-canary\n");
    project.run("add", "-A");
    project.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "snapshot");
    String snapshot = project.resolve("HEAD").orElseThrow();
    project.run("update-ref", "refs/orch/snapshots/" + snapshot, snapshot);
    project.run("branch", "orch/mod-E01", snapshot);
    project.run("reset", "--quiet", "--hard", jobCommit);

    GitDaemonServer daemon = GitDaemonServer.start(repo.root(), "127.0.0.1", 0);
    try {
      String url = "git://127.0.0.1:" + daemon.port() + "/" + GitDaemonServer.NAME;
      Path agent = tmp.resolve("agent");
      assertThat(git(tmp, "init", "--quiet", "--bare", agent.toString()).exit()).isZero();

      Result listed = git(agent, "ls-remote", url);
      assertThat(listed.out()).doesNotContain(snapshot, "orch/mod-E01", "refs/heads");
      Result listedV0 = git(agent, "-c", "protocol.version=0", "ls-remote", url);
      assertThat(listedV0.out()).doesNotContain(snapshot, "orch/mod-E01", "refs/heads");

      String ref = daemon.expose(jobCommit);
      assertThat(ref).matches("refs/orch/jobs/[0-9a-f]{32}");
      Result fetched = git(agent, "fetch", "--quiet", "--no-tags", url, "+" + ref + ":refs/job");
      assertThat(fetched.exit()).as(fetched.out()).isZero();
      assertThat(git(agent, "rev-parse", "refs/job").out().strip()).isEqualTo(jobCommit);

      assertThat(git(agent, "fetch", "--quiet", "--no-tags", url, "+refs/heads/orch/mod-E01:refs/branch").exit())
          .isNotZero();
      assertThat(git(agent, "fetch", "--quiet", "--no-tags", url, "+refs/orch/snapshots/" + snapshot + ":refs/s").exit())
          .isNotZero();
      assertThat(git(agent, "fetch", "--quiet", "--no-tags", url, snapshot).exit()).isNotZero();
      assertThat(git(agent, "cat-file", "-e", snapshot).exit()).as("the snapshot with .env never arrived").isNotZero();

      daemon.withdraw(ref);
      assertThat(git(agent, "fetch", "--quiet", "--no-tags", url, "+" + ref + ":refs/again").exit()).isNotZero();
    } finally {
      daemon.stop();
    }
  }
  private static <T> T sync(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private String committedRepo() throws Exception {
    PlanTree repo = PlanTree.create(tmp.resolve("repo")).write("hello.txt", "hello\n");
    GitCli git = new GitCli(repo.root());
    git.run("add", "-A");
    git.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "first");
    return git.resolve("HEAD").orElseThrow();
  }

  private BuildPoolSettings limited(int maxJobSecs, long maxOutputBytes) {
    return new BuildPoolSettings(tmp.resolve("repo").toString(), tmp.resolve("state/orch.db").toString(),
        tmp.resolve("state/build-jobs").toString(), true, 2, tmp.resolve("local").toString(), 60, 1, 2, 3, false,
        "127.0.0.1", 0, "127.0.0.1", true, dev.orch.process.ChildEnvironment.allowListOnly(), maxJobSecs, maxOutputBytes,
        1L << 30);
  }

  @Test
  void m4_a_job_printing_past_max_job_output_is_cut_marked_truncated_and_streamed_in_events_of_at_most_64k()
      throws Exception {
    String commit = committedRepo();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      sync(vertx.deployVerticle(new BuildPoolVerticle(limited(7200, 256 * 1024))));
      List<dev.orch.contract.JobOutput> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      sync(vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(dev.orch.contract.Addresses.BuildPool.EVT_OUTPUT,
          m -> events.add(dev.orch.contract.JobOutput.fromJson(m.body()))).completion());
      var pool = new dev.orch.contract.BuildPoolClient(vertx);
      var job = sync(pool.submit(new dev.orch.contract.JobRequest(commit, null,
          "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo the-end", 0, "test", null)));
      var done = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
          .until(() -> sync(pool.job(job.jobId())), j -> j.state().done());
      assertThat(done.state()).isEqualTo(dev.orch.contract.JobView.State.SUCCEEDED);
      assertThat(done.outputTruncated()).isTrue();
      assertThat(done.outputBytes()).isBetween(256L * 1024, 256L * 1024 + 200);
      String kept = sync(pool.output(job.jobId(), "all", 0, 1 << 20)).text();
      assertThat(kept.length()).as("kept").isBetween(256 * 1024, 256 * 1024 + 200);
      assertThat(kept.substring(256 * 1024 - 10)).contains("[orch: output cut here").doesNotContain("the-end");
      assertThat(events).allSatisfy(e -> assertThat(e.text().length()).isLessThanOrEqualTo(64 * 1024));
      assertThat(String.join("", events.stream().map(dev.orch.contract.JobOutput::text).toList())).isEqualTo(kept);
      assertThat(sync(pool.jobs(5))).singleElement().satisfies(j -> assertThat(j.outputTruncated()).isTrue());
    } finally {
      sync(vertx.close());
    }
  }

  @Test
  void m4_a_timeout_past_job_max_secs_is_held_to_it() throws Exception {
    String commit = committedRepo();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      sync(vertx.deployVerticle(new BuildPoolVerticle(limited(120, 1 << 20))));
      var pool = new dev.orch.contract.BuildPoolClient(vertx);
      var huge = sync(pool.submit(new dev.orch.contract.JobRequest(commit, null, "true", Integer.MAX_VALUE, "t", null)));
      assertThat(huge.timeoutSecs()).isEqualTo(120);
      var usual = sync(pool.submit(new dev.orch.contract.JobRequest(commit, null, "true", 0, "t", null)));
      assertThat(usual.timeoutSecs()).isEqualTo(60);
      // Both run here; closing while one still checks out would pull the repository away from under it.
      for (long id : new long[] {huge.jobId(), usual.jobId()}) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
            .until(() -> sync(pool.job(id)).state().done());
      }
    } finally {
      sync(vertx.close());
    }
  }
}
