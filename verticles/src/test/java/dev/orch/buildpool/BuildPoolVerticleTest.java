package dev.orch.buildpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.buildworker.BuildWorkerSettings;
import dev.orch.buildworker.BuildWorkerVerticle;
import dev.orch.buildworker.SlotPool;
import dev.orch.contract.Addresses;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.JobOutput;
import dev.orch.contract.JobProgress;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.PoolStatus;
import dev.orch.git.GitCli;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator with a real SQLite file, a real repository served by its git daemon, real shell commands, and build
 * agents as verticles in the same Vert.x (the bus is the same one the cluster extends across hosts).
 */
@ExtendWith(VertxExtension.class)
class BuildPoolVerticleTest {
  @TempDir
  Path tmp;
  PlanTree repo;
  String commit;
  BuildPoolClient pool;

  @BeforeEach
  void project(Vertx vertx) {
    repo = PlanTree.create(tmp.resolve("repo")).write("hello.txt", "hello from the commit\n");
    GitCli git = new GitCli(repo.root());
    git.run("add", "-A");
    git.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "first");
    commit = git.resolve("HEAD").orElseThrow();
    pool = new BuildPoolClient(vertx);
  }

  private BuildPoolSettings settings(boolean localFallback, boolean gitDaemon) {
    return new BuildPoolSettings(repo.root().toString(), tmp.resolve("state/orch.db").toString(),
        tmp.resolve("state/build-jobs").toString(), localFallback, 2, tmp.resolve("local").toString(), 60, 1, 2, 3,
        gitDaemon, "127.0.0.1", 0, "127.0.0.1", true);
  }

  private static <T> T sync(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static String deploy(Vertx vertx, io.vertx.core.Deployable verticle) throws Exception {
    return sync(vertx.deployVerticle(verticle));
  }

  private String deployWorker(Vertx vertx, String id, SlotPool slots) throws Exception {
    var worker = new BuildWorkerSettings(id, "127.0.0.1", tmp.resolve(id + "/cache").toString(),
        tmp.resolve(id + "/jobs").toString(), false, "test");
    return deploy(vertx, new BuildWorkerVerticle(worker, slots));
  }

  private JobView submit(String command, int timeoutSecs) throws Exception {
    return sync(pool.submit(new JobRequest(commit, null, command, timeoutSecs, "test", null)));
  }

  /** Follows the job to its end the way the MCP server does, returning all of its output. */
  private String followToEnd(long jobId) throws Exception {
    StringBuilder out = new StringBuilder();
    long offset = 0;
    while (true) {
      JobProgress progress = sync(pool.follow(jobId, offset, 1 << 20, 5_000));
      out.append(progress.text());
      offset = progress.nextOffset();
      if (progress.finished()) {
        return out.toString();
      }
    }
  }

  private JobView awaitDone(long jobId) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> sync(pool.job(jobId)), job -> job.state().done());
  }

  @Test
  void withNoAgentJobsRunLocallyAtTheirCommitAndStreamTheirOutput(Vertx vertx) throws Exception {
    deploy(vertx, new BuildPoolVerticle(settings(true, false)));
    List<JobOutput> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.BuildPool.EVT_OUTPUT, m -> events.add(JobOutput.fromJson(m.body())));

    JobView ok = submit("cat hello.txt; echo second line; sleep 0.3; echo to stderr >&2", 0);
    assertThat(ok.timeoutSecs()).isEqualTo(60);
    assertThat(followToEnd(ok.jobId())).isEqualTo("hello from the commit\nsecond line\nto stderr\n");
    JobView done = sync(pool.job(ok.jobId()));
    assertThat(done.state()).isEqualTo(JobView.State.SUCCEEDED);
    assertThat(done.worker()).isEqualTo("local");
    assertThat(done.exitCode()).isZero();
    assertThat(sync(pool.output(ok.jobId(), "stderr", 0, 1000)).text()).isEqualTo("to stderr\n");
    assertThat(sync(pool.output(ok.jobId(), "stdout", 0, 1000)).text()).isEqualTo("hello from the commit\nsecond line\n");
    List<JobOutput> streamed = events.stream().filter(e -> e.jobId() == ok.jobId()).toList();
    assertThat(String.join("", streamed.stream().map(JobOutput::text).toList())).isEqualTo(followToEnd(ok.jobId()));
    assertThat(streamed.get(0).offset()).isZero();

    JobView failing = submit("echo about to fail; exit 3", 0);
    assertThat(followToEnd(failing.jobId())).isEqualTo("about to fail\n");
    JobView failed = sync(pool.job(failing.jobId()));
    assertThat(failed.state()).isEqualTo(JobView.State.FAILED);
    assertThat(failed.exitCode()).isEqualTo(3);
    await().untilAsserted(() -> assertThat(tmp.resolve("local")).isEmptyDirectory());
  }

  @Test
  void aJobPastItsTimeoutIsStoppedAndACancelledOneToo(Vertx vertx) throws Exception {
    deploy(vertx, new BuildPoolVerticle(settings(true, false)));
    long started = System.nanoTime();
    JobView slow = submit("echo started; sleep 30", 1);
    JobView timedOut = awaitDone(slow.jobId());
    assertThat(timedOut.state()).isEqualTo(JobView.State.TIMED_OUT);
    assertThat(timedOut.reason()).contains("1 s");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));

    JobView other = submit("echo waiting; sleep 30", 0);
    await().until(() -> sync(pool.follow(other.jobId(), 0, 100, 1000)).text(), text -> text.contains("waiting"));
    sync(pool.cancel(other.jobId()));
    assertThat(awaitDone(other.jobId()).state()).isEqualTo(JobView.State.CANCELLED);
  }

  @Test
  void queuedJobsSurviveARestartAndRunAfterIt(Vertx vertx) throws Exception {
    String first = deploy(vertx, new BuildPoolVerticle(settings(false, false)));
    JobView a = submit("echo a", 0);
    JobView b = submit("echo b", 0);
    assertThat(sync(pool.status()).queuedJobs()).isEqualTo(2);
    sync(vertx.undeploy(first));

    deploy(vertx, new BuildPoolVerticle(settings(true, false)));
    assertThat(followToEnd(a.jobId())).isEqualTo("a\n");
    assertThat(followToEnd(b.jobId())).isEqualTo("b\n");
    assertThat(sync(pool.jobs(10))).extracting(JobView::state).containsOnly(JobView.State.SUCCEEDED);
  }

  @Test
  void jobsGoToTheAgentWithTheMostFreeSlotsAndFetchTheCommitOverTheGitDaemon(Vertx vertx) throws Exception {
    deploy(vertx, new BuildPoolVerticle(settings(true, true)));
    deployWorker(vertx, "w1", new SlotPool(1));
    deployWorker(vertx, "w2", new SlotPool(3));
    await().until(() -> sync(pool.status()).workers().size() == 2);

    JobView first = submit("cat hello.txt; pwd; sleep 2", 0);
    JobView second = submit("echo on the second", 0);
    assertThat(followToEnd(first.jobId())).startsWith("hello from the commit\n").contains("/w2/jobs/wt-");
    assertThat(sync(pool.job(first.jobId())).worker()).isEqualTo("w2");
    assertThat(followToEnd(second.jobId())).isEqualTo("on the second\n");
    assertThat(sync(pool.job(second.jobId())).state()).isEqualTo(JobView.State.SUCCEEDED);
    PoolStatus status = sync(pool.status());
    assertThat(status.localFallbackActive()).isFalse();
    assertThat(status.gitDaemon()).startsWith("git://127.0.0.1:");
  }

  @Test
  void aJobNeverSeesWhatTheJobBeforeItLeftInItsWorktree(Vertx vertx) throws Exception {
    deploy(vertx, new BuildPoolVerticle(settings(true, true)));
    deployWorker(vertx, "w1", new SlotPool(1));
    await().until(() -> sync(pool.status()).workers().size() == 1);

    JobView dirty = submit("pwd; echo changed > hello.txt; mkdir -p target; touch target/x junk.txt", 0);
    String firstDir = followToEnd(dirty.jobId()).strip();
    JobView next = submit("pwd; cat hello.txt; ls -A | grep -v '^.git$' | sort | tr '\\n' ' '", 0);
    String[] lines = followToEnd(next.jobId()).split("\n");

    assertThat(lines[0]).as("the scrubbed worktree is reused").isEqualTo(firstDir);
    assertThat(lines[1]).isEqualTo("hello from the commit");
    assertThat(lines[2].strip()).doesNotContain("junk.txt", "target");
  }

  @Test
  void anAgentThatGoesAwayMidJobHasItsJobRunElsewhere(Vertx vertx) throws Exception {
    deploy(vertx, new BuildPoolVerticle(settings(true, true)));
    String w1 = deployWorker(vertx, "w1", new SlotPool(4));
    await().until(() -> sync(pool.status()).workers().size() == 1);
    JobView job = submit("echo run; sleep 2; echo end", 0);
    await().until(() -> sync(pool.follow(job.jobId(), 0, 100, 1000)).text(), text -> text.contains("run"));
    assertThat(sync(pool.job(job.jobId())).worker()).isEqualTo("w1");
    deployWorker(vertx, "w2", new SlotPool(4));
    sync(vertx.undeploy(w1));

    JobView done = await().atMost(Duration.ofSeconds(60)).until(() -> sync(pool.job(job.jobId())),
        j -> j.state().done());
    assertThat(done.state()).isEqualTo(JobView.State.SUCCEEDED);
    assertThat(done.worker()).isEqualTo("w2");
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(followToEnd(job.jobId())).contains("went away").endsWith("run\nend\n");
  }

  @Test
  void oneAgentSharesItsSlotsBetweenTwoCoordinators(Vertx vertx) throws Exception {
    SlotPool shared = new SlotPool(2);
    deploy(vertx, new BuildPoolVerticle(settings(false, true)));
    deployWorker(vertx, "w1", shared);
    Vertx otherOrch = Vertx.vertx();
    try {
      Path otherState = tmp.resolve("other");
      var otherSettings = new BuildPoolSettings(repo.root().toString(), otherState.resolve("orch.db").toString(),
          otherState.resolve("build-jobs").toString(), false, 2, otherState.resolve("local").toString(), 60, 30, 90, 3,
          true, "127.0.0.1", 0, "127.0.0.1", true);
      deploy(otherOrch, new BuildPoolVerticle(otherSettings));
      var worker = new BuildWorkerSettings("w1", "127.0.0.1", tmp.resolve("w1/cache").toString(),
          tmp.resolve("w1/jobs-other").toString(), false, "other");
      deploy(otherOrch, new BuildWorkerVerticle(worker, shared));
      BuildPoolClient other = new BuildPoolClient(otherOrch);
      await().until(() -> sync(pool.status()).workers().size() == 1 && sync(other.status()).workers().size() == 1);

      JobView a = submit("sleep 2; echo a", 0);
      JobView b = submit("sleep 2; echo b", 0);
      await().until(() -> shared.free() == 0);
      JobView c = sync(other.submit(new JobRequest(commit, null, "echo c", 0, "test", null)));
      // The other coordinator learns the agent is full from it straight away (not at the next heartbeat), so c waits
      // for a slot: it starts only after a ends, and on its first attempt (no dispatch to the full agent was refused).
      JobView cDone = await().atMost(Duration.ofSeconds(30)).until(() -> sync(other.job(c.jobId())), j -> j.state().done());
      assertThat(cDone.state()).isEqualTo(JobView.State.SUCCEEDED);
      assertThat(cDone.worker()).isEqualTo("w1");
      assertThat(cDone.attempts()).isEqualTo(1);
      assertThat(cDone.startedAt()).isGreaterThanOrEqualTo(awaitDone(a.jobId()).endedAt() - 100);
      assertThat(awaitDone(b.jobId()).state()).isEqualTo(JobView.State.SUCCEEDED);
    } finally {
      sync(otherOrch.close());
    }
  }
}
