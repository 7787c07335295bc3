package dev.orch.agent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.orch.cluster.ClusterSettings;
import dev.orch.config.ConfigException;
import dev.orch.config.ConfigLoader;
import dev.orch.config.TomlKeyLines;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The build agent's config, as in the reference's {@code /etc/build-agent/config.toml}: the orchestrators it serves
 * ({@code [server]}, or several {@code [[servers]]}), {@code [worker]} (id, slots, the interface it binds), {@code
 * [storage]}, {@code [nix]} and {@code [tls]}. Every problem names the file, line and key; unknown keys are warnings.
 * The reference's WebSocket {@code url} (and {@code --server URL}) becomes the cluster member orch runs on that URL's
 * host, at orch's cluster port ({@link #ORCH_CLUSTER_PORT_ENV}, else orch's default), with a warning saying so.
 */
record AgentConfig(String workerId, int maxJobs, String host, int clusterPort, String advertiseHost, List<Server> servers,
    Path gitCacheDir, Path worktreeDir, boolean useNix, List<String> prewarmPackages, Tls tls, List<String> warnings) {

  /** One orchestrator: the cluster members to join (host:port), its cluster's name and secret, a name for the logs. */
  record Server(String name, List<String> join, String clusterName, String secret) {
  }

  record Tls(String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {
    static final Tls NONE = new Tls("", "", "", "");
  }

  private static final Map<String, Set<String>> KNOWN = Map.of(
      "server", Set.of("join", "name", "cluster_name", "cluster_secret", "cluster_secret_file", "url"),
      "servers", Set.of("join", "name", "cluster_name", "cluster_secret", "cluster_secret_file", "url"),
      "worker", Set.of("id", "max_jobs", "host", "cluster_port", "advertise_host"),
      "storage", Set.of("git_cache_dir", "worktree_dir"),
      "nix", Set.of("enabled", "prewarm_packages"),
      "tls", Set.of("key_store", "key_store_password", "key_store_password_file", "trust_store", "trust_store_password",
          "trust_store_password_file"));

  /**
   * Command-line values that override the file; null or 0 means "not given". {@code servers}: the reference's
   * {@code --server URL}s, one orchestrator each. {@code orchClusterPort}: the value of {@link #ORCH_CLUSTER_PORT_ENV},
   * the port a URL's host is joined at when orch's is not the default.
   */
  record Overrides(List<String> join, String workerId, int maxJobs, String clusterName, String host, Path secretFile,
      List<String> servers, String orchClusterPort) {
    static final Overrides NONE = new Overrides(null, null, 0, null, null, null, null, null);
  }

  /** orch's own override of build_pool.cluster_port, read by the agent too for the reference's URLs. */
  static final String ORCH_CLUSTER_PORT_ENV = "ORCH_BUILD_POOL__CLUSTER_PORT";

  /** The file beside the config that holds the cluster secret when the config names none (a reference config). */
  static final String SECRET_BESIDE_CONFIG = "cluster-secret";

  /** The port orch's cluster listens on unless its build_pool.cluster_port says otherwise. */
  static int defaultOrchClusterPort() {
    return ConfigLoader.defaults(Path.of("/")).buildPool().cluster().port();
  }

  static AgentConfig load(Path file, Overrides overrides, String defaultId) {
    String text = "";
    String where = file == null ? "(no config file)" : file.toString();
    if (file != null) {
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(List.of(where + ": cannot read: " + e.getMessage()));
      }
    }
    JsonNode root;
    try {
      root = text.isBlank() ? new TomlMapper().createObjectNode() : new TomlMapper().readTree(text);
    } catch (JacksonException e) {
      String line = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? ":" + e.getLocation().getLineNr() : "";
      throw new ConfigException(List.of(where + line + ": not valid TOML: " + e.getOriginalMessage()));
    }
    return new Reader(file, where, new TomlKeyLines(text), root).read(overrides, defaultId);
  }

  private static final class Reader {
    final Path file;
    final String where;
    final TomlKeyLines lines;
    final JsonNode root;
    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** Where a reference URL's host is joined (read when the first URL is). */
    int orchPort;
    String orchPortFrom;

    Reader(Path file, String where, TomlKeyLines lines, JsonNode root) {
      this.file = file;
      this.where = where;
      this.lines = lines;
      this.root = root;
    }

    String at(String key) {
      int line = lines.lineOf(key);
      return where + (line > 0 ? ":" + line : "") + ": " + key;
    }

    AgentConfig read(Overrides overrides, String defaultId) {
      checkKnown();
      JsonNode worker = root.path("worker");
      String id = overrides.workerId() != null ? overrides.workerId() : text(worker, "worker.id", "");
      id = id.isBlank() ? defaultId : id;
      if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
        errors.add(at("worker.id") + ": '" + id + "' must be letters, digits, '.', '_' or '-' (at most 63)");
      }
      int maxJobs = overrides.maxJobs() > 0 ? overrides.maxJobs() : integer(worker, "worker.max_jobs", 4, 1, 1024);
      String host = overrides.host() != null ? overrides.host() : text(worker, "worker.host", "127.0.0.1");
      int clusterPort = integer(worker, "worker.cluster_port", 5702, 1, 65535);
      String advertise = text(worker, "worker.advertise_host", "");
      JsonNode storage = root.path("storage");
      Path cache = Path.of(text(storage, "storage.git_cache_dir", "/var/cache/build-agent/repos"));
      Path worktrees = Path.of(text(storage, "storage.worktree_dir", "/tmp/build-agent/jobs"));
      JsonNode nix = root.path("nix");
      boolean useNix = bool(nix, "nix.enabled", true);
      List<String> prewarm = strings(nix, "nix.prewarm_packages");
      JsonNode tlsNode = root.path("tls");
      Tls tls = new Tls(text(tlsNode, "tls.key_store", ""), password(tlsNode, "tls.key_store_password"),
          text(tlsNode, "tls.trust_store", ""), password(tlsNode, "tls.trust_store_password"));
      List<Server> servers = servers(overrides);
      if (servers.isEmpty()) {
        errors.add(where + ": no orchestrator to serve: give --join host:port, or [server] join = \"host:port\"");
      }
      for (Server server : servers) {
        if (server.secret().isEmpty()) {
          errors.add(where + ": " + server.name() + ": no cluster secret; every message to orch must be sealed with it:"
              + " give --secret-file FILE (a copy of orch's .orch/cluster-secret), cluster_secret_file = \"FILE\", or put"
              + " it in " + SECRET_BESIDE_CONFIG + " beside the config file");
        }
        ClusterSettings cluster = new ClusterSettings(host, clusterPort, true, server.clusterName(), server.secret(),
            server.join(), 0, advertise, tls.keyStore(), tls.keyStorePassword(), tls.trustStore(), tls.trustStorePassword());
        cluster.problems("").forEach(p -> errors.add(where + ": " + p.replace("cluster_host", "worker.host")
            .replace("advertise_host", "worker.advertise_host").replace("cluster_members", "join")));
      }
      if (!errors.isEmpty()) {
        throw new ConfigException(errors.stream().distinct().toList(), warnings);
      }
      return new AgentConfig(id, maxJobs, host, clusterPort, advertise, servers, cache, worktrees, useNix, prewarm, tls,
          List.copyOf(warnings));
    }

    private List<Server> servers(Overrides overrides) {
      boolean joinGiven = overrides.join() != null && !overrides.join().isEmpty();
      boolean serversGiven = overrides.servers() != null && !overrides.servers().isEmpty();
      if (joinGiven || serversGiven) {
        String name = overrides.clusterName() != null ? overrides.clusterName() : "orch";
        JsonNode server = root.path("server");
        String secret = secret(server, "server", overrides);
        List<Server> out = new ArrayList<>();
        if (joinGiven) {
          out.add(new Server("orch", overrides.join(), name, secret));
        }
        for (String url : serversGiven ? overrides.servers() : List.<String>of()) {
          String member = memberAt(url, "--server", overrides);
          if (member != null) {
            out.add(new Server(url, List.of(member), name, secret));
          }
        }
        return out;
      }
      List<Server> out = new ArrayList<>();
      if (root.has("server")) {
        out.add(server(root.get("server"), "server", overrides));
      }
      JsonNode many = root.path("servers");
      if (!many.isMissingNode() && !many.isArray()) {
        errors.add(at("servers") + ": must be a list of [[servers]] tables");
      }
      for (int i = 0; many.isArray() && i < many.size(); i++) {
        out.add(server(many.get(i), "servers[" + i + "]", overrides));
      }
      return out;
    }

    private Server server(JsonNode node, String path, Overrides overrides) {
      List<String> join = node.path("join").isArray() ? strings(node, path + ".join")
          : List.of(text(node, path + ".join", "").split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList();
      String url = text(node, path + ".url", "");
      if (node.has("url") && !join.isEmpty()) {
        warnings.add(at(path + ".url") + ": ignored: 'join' says where orch's cluster is");
      } else if (node.has("url")) {
        String member = memberAt(url, at(path + ".url"), overrides);
        join = member == null ? List.of() : List.of(member);
      } else if (join.isEmpty()) {
        errors.add(at(path) + ": 'join' is required (orch's host:port, for example \"10.0.0.5:5701\")");
      }
      String clusterName = overrides.clusterName() != null ? overrides.clusterName()
          : text(node, path + ".cluster_name", "orch");
      // As in the reference: the name is for the logs, and the URL stands in for a missing one.
      String name = text(node, path + ".name", !url.isBlank() ? url : join.isEmpty() ? path : join.get(0));
      return new Server(name, join, clusterName, secret(node, path, overrides));
    }

    /**
     * The reference's WebSocket URL ({@code ws://host:8081/ws}) as the cluster member orch runs at that host: orch has
     * no WebSocket for agents, so only the host carries over, with orch's cluster port. Null (and an error
     * naming {@code key}) when the URL is not one.
     */
    private String memberAt(String url, String key, Overrides overrides) {
      if (orchPort == 0) {
        orchPort(overrides);
      }
      int port = orchPort;
      String hint = " (the orchestrator's address, such as ws://10.0.0.5:8081/ws; or write join = \"HOST:" + port + "\")";
      URI uri;
      try {
        uri = new URI(url.strip());
      } catch (URISyntaxException e) {
        errors.add(key + ": '" + withoutCredentials(url) + "' is not a URL: " + e.getReason() + hint);
        return null;
      }
      if (uri.getUserInfo() != null) {
        // The URL also names the server in the logs: it must not carry a password there.
        errors.add(key + ": credentials in the URL are not used; remove them (the cluster secret is what lets the"
            + " agent in)");
        return null;
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!List.of("ws", "wss", "http", "https").contains(scheme) || uri.getHost() == null || uri.getHost().isBlank()) {
        errors.add(key + ": '" + withoutCredentials(url) + "' is not a ws://, wss://, http:// or https:// URL with a host"
            + hint);
        return null;
      }
      String member = uri.getHost() + ":" + port;
      warnings.add(key + " " + url + " -> joining orch's cluster at " + member + " (" + orchPortFrom + ");"
          + " the URL's port and path are ignored; write join = \"" + member + "\" to say so, or another port if orch's"
          + " build_pool.cluster_port differs");
      return member;
    }

    /** A URL too malformed to parse may still hold {@code user:password@}: never echo that part. */
    private static String withoutCredentials(String url) {
      return url.replaceAll("(?<=//)[^/?#]*@", "***@");
    }

    private void orchPort(Overrides overrides) {
      String given = overrides.orchClusterPort();
      orchPort = defaultOrchClusterPort();
      orchPortFrom = "orch's default build_pool.cluster_port";
      if (given != null && !given.isBlank()) {
        try {
          int port = Integer.parseInt(given.strip());
          if (port < 1 || port > 65535) {
            throw new NumberFormatException();
          }
          orchPort = port;
          orchPortFrom = "build_pool.cluster_port from " + ORCH_CLUSTER_PORT_ENV;
        } catch (NumberFormatException e) {
          errors.add(ORCH_CLUSTER_PORT_ENV + ": must be a port number from 1 to 65535, not '" + given + "'");
        }
      }
    }

    /**
     * --secret-file, else the server's cluster_secret_file, else its cluster_secret (kept out of error messages), else
     * the file cluster-secret beside the config: a reference config names no secret.
     */
    private String secret(JsonNode node, String path, Overrides overrides) {
      if (overrides.secretFile() != null) {
        return readSecret(overrides.secretFile(), "--secret-file");
      }
      String named = text(node, path + ".cluster_secret_file", "");
      if (!named.isBlank()) {
        return readSecret(Path.of(named), at(path + ".cluster_secret_file"));
      }
      String inline = text(node, path + ".cluster_secret", "").strip();
      Path beside = file == null ? null : file.toAbsolutePath().resolveSibling(SECRET_BESIDE_CONFIG);
      if (inline.isEmpty() && beside != null && Files.isRegularFile(beside)) {
        return readSecret(beside, where + ": " + path + " (its secret from " + SECRET_BESIDE_CONFIG + " beside it)");
      }
      return inline;
    }

    private String readSecret(Path file, String from) {
      try {
        String secret = dev.orch.cluster.ClusterSecret.read(file);
        warnIfShared(file, from);
        return secret;
      } catch (IOException e) {
        errors.add(from + ": " + e.getMessage());
        return "";
      }
    }

    /**
     * A copy of orch's owner-only secret should be readable by the agent's user only. Unlike orch with its own copy,
     * the agent leaves the mode alone and warns: a person put this file there, perhaps owned by another user.
     */
    private void warnIfShared(Path file, String from) throws IOException {
      if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
        return;
      }
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
        warnings.add(from + ": " + file + " holds the cluster secret but is " + PosixFilePermissions.toString(mode)
            + ", not for its owner only; chmod 600 " + file);
      }
    }

    /** A TLS password, given inline or (better: it stays out of the config and the Nix store) as {@code <key>_file}. */
    private String password(JsonNode node, String key) {
      String file = text(node, key + "_file", "");
      if (file.isBlank()) {
        return text(node, key, "");
      }
      try {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        errors.add(at(key + "_file") + ": cannot read " + file + ": " + e.getMessage());
        return "";
      }
    }

    private void checkKnown() {
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String section = it.next();
        Set<String> keys = KNOWN.get(section);
        if (keys == null) {
          warnings.add(at(section) + ": unknown section (ignored)");
          continue;
        }
        JsonNode node = root.get(section);
        List<JsonNode> tables = node.isArray() ? iterate(node) : List.of(node);
        for (JsonNode table : tables) {
          for (Iterator<String> keyIt = table.fieldNames(); keyIt.hasNext(); ) {
            String key = keyIt.next();
            if (!keys.contains(key)) {
              warnings.add(at(section + "." + key) + ": unknown key (ignored)");
            }
          }
        }
      }
    }

    private static List<JsonNode> iterate(JsonNode array) {
      List<JsonNode> out = new ArrayList<>();
      array.forEach(out::add);
      return out;
    }

    private String text(JsonNode node, String key, String fallback) {
      JsonNode value = node.path(last(key));
      if (value.isMissingNode() || value.isNull()) {
        return fallback;
      }
      if (!value.isTextual()) {
        errors.add(at(key) + ": must be a string, not " + value);
        return fallback;
      }
      return value.asText();
    }

    private int integer(JsonNode node, String key, int fallback, int min, int max) {
      JsonNode value = node.path(last(key));
      if (value.isMissingNode()) {
        return fallback;
      }
      if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
        errors.add(at(key) + ": must be a whole number from " + min + " to " + max + ", not " + value);
        return fallback;
      }
      return value.asInt();
    }

    private boolean bool(JsonNode node, String key, boolean fallback) {
      JsonNode value = node.path(last(key));
      if (value.isMissingNode()) {
        return fallback;
      }
      if (!value.isBoolean()) {
        errors.add(at(key) + ": must be true or false, not " + value);
        return fallback;
      }
      return value.asBoolean();
    }

    private List<String> strings(JsonNode node, String key) {
      JsonNode value = node.path(last(key));
      if (value.isMissingNode()) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      if (!value.isArray()) {
        errors.add(at(key) + ": must be a list of strings");
        return out;
      }
      value.forEach(item -> {
        if (item.isTextual()) {
          out.add(item.asText());
        } else {
          errors.add(at(key) + ": must be a list of strings, not " + item);
        }
      });
      return out;
    }

    private static String last(String key) {
      return key.substring(key.lastIndexOf('.') + 1);
    }
  }
}
