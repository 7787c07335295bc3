package dev.orch.cluster;

import java.util.List;
import java.util.Set;

/**
 * How one node joins orch's clustered event bus. {@code host} is the interface both Hazelcast and the event bus bind
 * to (nothing else is bound); {@code members} are the {@code host:port} addresses it asks to join (empty: it starts a
 * cluster, as the coordinator does); {@code secret} is what every message between orch and its agents is sealed with
 * ({@link AgentSeal}; a digest of it also becomes part of the cluster name); the key and trust stores (PKCS#12) switch on event-bus TLS with client certificates, so only
 * nodes holding a trusted certificate exchange messages.
 */
public record ClusterSettings(String host, int port, boolean portAutoIncrement, String name, String secret,
    List<String> members, int eventBusPort, String publicHost, String keyStore, String keyStorePassword, String trustStore,
    String trustStorePassword) {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

  public ClusterSettings {
    host = host == null || host.isBlank() ? "127.0.0.1" : host;
    name = name == null || name.isBlank() ? "orch" : name;
    secret = secret == null ? "" : secret;
    members = members == null ? List.of() : List.copyOf(members);
    publicHost = publicHost == null || publicHost.isBlank() ? host : publicHost;
    keyStore = keyStore == null ? "" : keyStore;
    keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
    trustStore = trustStore == null ? "" : trustStore;
    trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
  }

  public ClusterSettings withSecret(String newSecret) {
    return new ClusterSettings(host, port, portAutoIncrement, name, newSecret, members, eventBusPort, publicHost, keyStore,
        keyStorePassword, trustStore, trustStorePassword);
  }

  public boolean tls() {
    return !keyStore.isBlank();
  }

  public boolean anyInterface() {
    return "0.0.0.0".equals(host);
  }

  public boolean loopbackOnly() {
    return LOOPBACK.contains(host);
  }

  /** Problems that stop a node from starting, each naming its setting; {@code prefix} is where the settings live. */
  public List<String> problems(String prefix) {
    List<String> out = new java.util.ArrayList<>();
    if (!loopbackOnly() && !tls()) {
      out.add(prefix + "cluster_host is " + host + ", which other machines can reach: set " + prefix + "tls.key_store and "
          + prefix + "tls.trust_store so only nodes with a trusted certificate can talk to it");
    }
    if (anyInterface() && "0.0.0.0".equals(publicHost)) {
      out.add(prefix + "cluster_host is 0.0.0.0: set " + prefix + "advertise_host to the address other nodes reach this one at");
    }
    if (tls() && trustStore.isBlank()) {
      out.add(prefix + "tls.trust_store is required with " + prefix + "tls.key_store (it says whose certificates to accept)");
    }
    ClusterSecret.problem(secret, prefix + "cluster_secret").ifPresent(out::add);
    for (String member : members) {
      if (!member.matches("[^:\\s]+(:\\d{1,5})?")) {
        out.add(prefix + "cluster_members: '" + member + "' is not host or host:port");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "ClusterSettings[" + name + " on " + host + ":" + port + ", members " + members + ", tls " + tls()
        + ", secret " + (secret.isEmpty() ? "none" : "set") + "]";
  }
}
