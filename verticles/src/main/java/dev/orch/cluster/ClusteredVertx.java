package dev.orch.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Vert.x whose event bus spans every node of an orch cluster (the coordinator and its build agents), on Hazelcast
 * with TCP-IP discovery only: no multicast, no cloud auto-detection, bound to one interface, joining at once rather
 * than after Hazelcast's default wait of several seconds.
 */
final class ClusteredVertx {
  private ClusteredVertx() {
  }

  static Future<Vertx> start(ClusterSettings settings, VertxOptions options) {
    EventBusOptions bus = options.getEventBusOptions().setHost(settings.host()).setPort(settings.eventBusPort())
        .setClusterPublicHost(settings.publicHost());
    if (settings.tls()) {
      bus.setSsl(true)
          .setKeyCertOptions(new PfxOptions().setPath(settings.keyStore()).setPassword(settings.keyStorePassword()))
          .setTrustOptions(new PfxOptions().setPath(settings.trustStore()).setPassword(settings.trustStorePassword()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(settings)))
        .buildClustered();
  }

  static Config hazelcast(ClusterSettings settings) {
    // loadConfig keeps the map settings Vert.x's own cluster maps rely on.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName(settings));
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Members exchange only Vert.x's own registry entries; a member sending other Java-serialised objects (a gadget
    // chain) is refused before they are built.
    JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
    filter.getWhitelist().addPrefixes("io.vertx.", "com.hazelcast.", "java.lang.", "java.util.", "java.time.");
    config.getSerializationConfig().setJavaSerializationFilterConfig(filter);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A node that vanishes (kill -9, a pulled cable) leaves the cluster within seconds, not after the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(settings.portAutoIncrement()).setPortCount(100);
    network.setPublicAddress(settings.publicHost());
    if (!settings.anyInterface()) {
      network.getInterfaces().setEnabled(true).addInterface(settings.host());
      config.setProperty("hazelcast.local.localAddress", settings.host());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(settings.members());
    return config;
  }

  /** The cluster's name, with a digest of the secret when there is one (Hazelcast turns away other names). */
  static String clusterName(ClusterSettings settings) {
    if (settings.secret().isEmpty()) {
      return settings.name();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((settings.name() + "\n" + settings.secret()).getBytes(StandardCharsets.UTF_8));
      return settings.name() + "-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
