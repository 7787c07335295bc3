package dev.orch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.orch.buildpool.BuildPoolSettings;
import dev.orch.buildpool.BuildPoolVerticle;
import dev.orch.buildworker.BuildWorkerSettings;
import dev.orch.buildworker.BuildWorkerVerticle;
import dev.orch.buildworker.SlotPool;
import dev.orch.contract.Addresses;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.git.GitCli;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 replayed: a second clustered Vert.x on 127.0.0.1 joins orch's cluster under its (sniffable) cluster name, as the
 * audit's rogue did, and tries what it did: reach the owners, submit a job, register as a build agent, replay a sealed
 * message. orch runs as it does in production: its owners on a local Vert.x, the agent bus alone in the cluster.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RogueMemberTest {
  static final String SECRET = "rogue-test-" + UUID.randomUUID();
  @TempDir
  Path tmp;
  final String name = "rogue-" + UUID.randomUUID();
  final List<Vertx> closeLast = new ArrayList<>();
  final List<AgentBus> buses = new ArrayList<>();
  final List<JsonObject> reachedOwners = new CopyOnWriteArrayList<>();
  Vertx orch;
  AgentBus orchBus;
  ClusterSettings orchCluster;
  Vertx rogue;
  String commit;

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static <T> T sync(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @BeforeEach
  void orchWithItsAgentBusAndARogue() throws Exception {
    PlanTree repo = PlanTree.create(tmp.resolve("repo")).write("hello.txt", "hello\n");
    GitCli git = new GitCli(repo.root());
    git.run("add", "-A");
    git.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "first");
    commit = git.resolve("HEAD").orElseThrow();

    orch = Vertx.vertx();
    closeLast.add(orch);
    // Stand-ins on the owners' real addresses, registered the way any consumer is: they record what reaches them.
    for (String owner : List.of(Addresses.Scheduler.CMD, Addresses.Executor.CMD, Addresses.Prbot.CMD,
        Addresses.Parser.CMD)) {
      sync(orch.eventBus().<JsonObject>consumer(owner, m -> {
        reachedOwners.add(new JsonObject().put("address", owner));
        m.reply(new JsonObject());
      }).completion());
    }
    var pool = new BuildPoolSettings(repo.root().toString(), tmp.resolve("state/orch.db").toString(),
        tmp.resolve("state/build-jobs").toString(), true, 2, tmp.resolve("local").toString(), 60, 1, 5, 10, true,
        "127.0.0.1", 0, "127.0.0.1", true);
    sync(orch.deployVerticle(new BuildPoolVerticle(pool)));
    int port = freePort();
    orchCluster = new ClusterSettings("127.0.0.1", port, false, name, SECRET, List.of(), 0, null, "", "", "", "");
    orchBus = sync(AgentBus.coordinator(orch, orchCluster, new VertxOptions()));
    buses.add(orchBus);

    // The cluster name travels in clear in Hazelcast's join request: the rogue has it, but not the secret.
    ClusterSettings rogueSettings = new ClusterSettings("127.0.0.1", freePort(), true,
        ClusteredVertx.clusterName(orchCluster), "", List.of("127.0.0.1:" + port), 0, null, "", "", "", "");
    rogue = sync(ClusteredVertx.start(rogueSettings, new VertxOptions()));
    closeLast.add(0, rogue);
    // Joined once the agent address answers it (with a refusal).
    await().atMost(Duration.ofSeconds(30)).until(() -> failure(Addresses.BuildPool.AGENT, "register", new JsonObject())
        .failureType() == ReplyFailure.RECIPIENT_FAILURE);
  }

  @AfterEach
  void close() throws Exception {
    for (AgentBus bus : buses) {
      sync(bus.close());
    }
    for (Vertx vertx : closeLast) {
      sync(vertx.close());
    }
  }

  private ReplyException failure(String address, String action, Object body) throws Exception {
    try {
      Object answer = sync(rogue.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(5000)
          .addHeader(Addresses.ACTION_HEADER, action))).body();
      throw new AssertionError(address + " " + action + " answered the rogue: " + answer);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
  }

  @Test
  void h2_a_rogue_member_cannot_reach_the_scheduler_executor_prbot_parser_or_job_submission() throws Exception {
    for (String[] probe : new String[][] {{Addresses.Scheduler.CMD, "status"}, {Addresses.Executor.CMD, "launch"},
        {Addresses.Prbot.CMD, "merge"}, {Addresses.Parser.CMD, "write-status"}, {Addresses.BuildPool.CMD, "submit"}}) {
      assertThat(failure(probe[0], probe[1], new JsonObject().put("command", "id")).failureType()).as(probe[0])
          .isEqualTo(ReplyFailure.NO_HANDLERS);
    }
    assertThat(reachedOwners).isEmpty();
  }

  @Test
  void h2_agent_actions_without_the_secret_are_refused_and_register_nobody() throws Exception {
    JsonObject register = new JsonObject().put("worker_id", "rogue-worker").put("slots", 64);
    assertThat(failure(Addresses.BuildPool.AGENT, "register", register).failureCode()).isEqualTo(403);
    JsonObject foreign = AgentSeal.of("not-the-cluster-secret", Clock.systemUTC()).seal("register", register);
    assertThat(failure(Addresses.BuildPool.AGENT, "register", foreign).failureCode()).isEqualTo(403);
    // Sealed with the secret but not an agent action: the seal proves the sender, not that anything goes.
    JsonObject submit = AgentSeal.of(SECRET, Clock.systemUTC()).seal("submit", new JsonObject().put("command", "id"));
    assertThat(failure(Addresses.BuildPool.AGENT, "submit", submit).failureCode()).isEqualTo(403);
    assertThat(sync(new BuildPoolClient(orch).status()).workers()).isEmpty();
  }

  @Test
  void h2_a_sniffed_sealed_message_is_refused_when_replayed() throws Exception {
    JsonObject sniffed = AgentSeal.of(SECRET, Clock.systemUTC()).seal("register",
        new JsonObject().put("worker_id", "w-sniffed").put("slots", 1));
    Object first = sync(rogue.eventBus().request(Addresses.BuildPool.AGENT, sniffed.copy(),
        new DeliveryOptions().setSendTimeout(5000))).body();
    assertThat(first).as("sealed replies give nothing away").isInstanceOf(JsonObject.class);
    assertThat(((JsonObject) first).encode()).doesNotContain("heartbeat_interval_secs");
    ReplyException replayed = failure(Addresses.BuildPool.AGENT, "register", sniffed.copy());
    assertThat(replayed.failureCode()).isEqualTo(403);
    assertThat(replayed.getMessage()).contains("replay");
  }

  @Test
  void h2_an_agent_with_the_secret_runs_jobs_and_the_rogue_cannot_command_it() throws Exception {
    Vertx agent = Vertx.vertx();
    closeLast.add(0, agent);
    ClusterSettings agentCluster = new ClusterSettings("127.0.0.1", freePort(), true, name, SECRET,
        List.of("127.0.0.1:" + orchCluster.port()), 0, null, "", "", "", "");
    buses.add(0, sync(AgentBus.agent(agent, agentCluster, new VertxOptions(), "w1")));
    var worker = new BuildWorkerSettings("w1", "127.0.0.1", tmp.resolve("w1/cache").toString(),
        tmp.resolve("w1/jobs").toString(), false, "test");
    sync(agent.deployVerticle(new BuildWorkerVerticle(worker, new SlotPool(2))));
    BuildPoolClient pool = new BuildPoolClient(orch);
    List<Object> overheard = new CopyOnWriteArrayList<>();
    sync(rogue.eventBus().consumer(Addresses.BuildPool.EVT_OUTPUT, m -> overheard.add(m.body())).completion());
    await().atMost(Duration.ofSeconds(30)).until(() -> sync(pool.status()).workers().size() == 1);

    JobView job = sync(pool.submit(new JobRequest(commit, null, "cat hello.txt; echo on-the-agent", 0, "test", null)));
    JobView done = await().atMost(Duration.ofSeconds(60)).until(() -> sync(pool.job(job.jobId())), j -> j.state().done());
    assertThat(done.state()).isEqualTo(JobView.State.SUCCEEDED);
    assertThat(done.worker()).isEqualTo("w1");
    assertThat(sync(pool.output(job.jobId(), "all", 0, 1000)).text()).isEqualTo("hello\non-the-agent\n");
    assertThat(overheard).isEmpty();

    JsonObject run = new JsonObject().put("job_id", 99).put("commit", commit).put("command", "id > /tmp/pwned")
        .put("git_url", "git://127.0.0.1:1/project");
    // The rogue's view of the agent's consumer can lag the orch member's: wait until it reaches one.
    ReplyException refused = await().atMost(Duration.ofSeconds(30))
        .until(() -> failure(Addresses.BuildWorker.cmd("w1"), "run", run), e -> e.failureType() != ReplyFailure.NO_HANDLERS);
    assertThat(refused.failureCode()).as(refused.failureType() + ": " + refused.getMessage()).isEqualTo(403);
  }
}
