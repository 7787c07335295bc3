package dev.orch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.testkit.TestCerts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Hazelcast clusters on 127.0.0.1, two nodes in this JVM. */
class ClusteredVertxTest {
  @TempDir
  Path tmp;
  final List<Vertx> nodes = new ArrayList<>();
  final String name = "test-" + UUID.randomUUID();

  @AfterEach
  void close() throws Exception {
    for (Vertx node : nodes) {
      sync(node.close());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static <T> T sync(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  Vertx node(int port, List<String> members, String secret, TestCerts.Stores stores) throws Exception {
    ClusterSettings settings = new ClusterSettings("127.0.0.1", port, false, name, secret, members, 0, null,
        stores == null ? "" : stores.keyStore().toString(), TestCerts.PASSWORD,
        stores == null ? "" : stores.trustStore().toString(), TestCerts.PASSWORD);
    Vertx vertx = sync(ClusteredVertx.start(settings, new VertxOptions()));
    nodes.add(vertx);
    return vertx;
  }

  static Object ask(Vertx from, String address) throws Exception {
    return ask(from, address, 5000);
  }

  static Object ask(Vertx from, String address, long timeoutMillis) throws Exception {
    return sync(from.eventBus().request(address, "ping", new DeliveryOptions().setSendTimeout(timeoutMillis))).body();
  }

  @Test
  void twoNodesShareOneBus() throws Exception {
    int port = freePort();
    Vertx coordinator = node(port, List.of(), "", null);
    sync(coordinator.eventBus().consumer("echo", m -> m.reply("pong from coordinator")).completion());
    Vertx agent = node(freePort(), List.of("127.0.0.1:" + port), "", null);
    assertThat(ask(agent, "echo")).isEqualTo("pong from coordinator");
  }

  @Test
  void withTlsOnlyNodesWithATrustedCertificateTalk() throws Exception {
    TestCerts ours = TestCerts.authority(tmp.resolve("ours"));
    int port = freePort();
    Vertx coordinator = node(port, List.of(), "", ours.node("orch"));
    sync(coordinator.eventBus().consumer("echo", m -> m.reply("pong")).completion());
    Vertx agent = node(freePort(), List.of("127.0.0.1:" + port), "", ours.node("worker-1"));
    assertThat(ask(agent, "echo")).isEqualTo("pong");

    // Same cluster name and no secret, so Hazelcast lets it in, but our authority never signed its certificate: no
    // message passes.
    Vertx other = node(freePort(), List.of("127.0.0.1:" + port), "", ours.stranger("intruder"));
    assertThatThrownBy(() -> ask(other, "echo", 3000)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(e.failureType()).isIn(ReplyFailure.TIMEOUT, ReplyFailure.NO_HANDLERS));
  }

  @Test
  void aNodeWithoutTheSecretIsNotLetIn() throws Exception {
    int port = freePort();
    Vertx coordinator = node(port, List.of(), "s3cret", null);
    sync(coordinator.eventBus().consumer("echo", m -> m.reply("pong")).completion());
    Vertx member = node(freePort(), List.of("127.0.0.1:" + port), "s3cret", null);
    assertThat(ask(member, "echo")).isEqualTo("pong");
    Vertx stranger = node(freePort(), List.of("127.0.0.1:" + port), "guess", null);
    assertThatThrownBy(() -> ask(stranger, "echo", 3000)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }

  @Test
  void reachableFromElsewhereWithoutTlsIsRefused() {
    ClusterSettings open = new ClusterSettings("0.0.0.0", 5701, false, "orch", "", List.of("10.0.0.2:5701"), 0, null, "",
        "", "", "");
    assertThat(open.problems("build_pool.")).anySatisfy(p -> assertThat(p).contains("build_pool.tls.key_store"))
        .anySatisfy(p -> assertThat(p).contains("build_pool.advertise_host"));
    assertThat(new ClusterSettings(null, 5701, false, null, null, List.of("host:99999x"), 0, null, null, null, null, null)
        .problems("")).singleElement().asString().contains("'host:99999x'");
  }
}
