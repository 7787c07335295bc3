package dev.orch.agent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.orch.cluster.ClusterSettings;
import dev.orch.config.ConfigException;
import dev.orch.config.TomlKeyLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The build agent's config, as in the reference's {@code /etc/build-agent/config.toml}: the orchestrators it serves
 * ({@code [server]}, or several {@code [[servers]]}), {@code [worker]} (id, slots, the interface it binds), {@code
 * [storage]}, {@code [nix]} and {@code [tls]}. Every problem names the file, line and key; unknown keys are warnings.
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

  /** Command-line values that override the file; null or 0 means "not given". */
  record Overrides(List<String> join, String workerId, int maxJobs, String clusterName, String host, Path secretFile) {
    static final Overrides NONE = new Overrides(null, null, 0, null, null, null);
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
    return new Reader(where, new TomlKeyLines(text), root).read(overrides, defaultId);
  }

  private static final class Reader {
    final String where;
    final TomlKeyLines lines;
    final JsonNode root;
    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    Reader(String where, TomlKeyLines lines, JsonNode root) {
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
              + " give --secret-file FILE (a copy of orch's .orch/cluster-secret) or cluster_secret_file = \"FILE\"");
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
      if (overrides.join() != null && !overrides.join().isEmpty()) {
        String name = overrides.clusterName() != null ? overrides.clusterName() : "orch";
        JsonNode server = root.path("server");
        return List.of(new Server("orch", overrides.join(), name, secret(server, "server", overrides)));
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
      if (node.has("url")) {
        errors.add(at(path + ".url") + ": build agents join orch's clustered event bus, not a WebSocket: write join ="
            + " \"host:5701\" (orch's build_pool.cluster_host and cluster_port)");
      }
      List<String> join = node.path("join").isArray() ? strings(node, path + ".join")
          : List.of(text(node, path + ".join", "").split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList();
      if (join.isEmpty() && !node.has("url")) {
        errors.add(at(path) + ": 'join' is required (orch's host:port, for example \"10.0.0.5:5701\")");
      }
      String clusterName = overrides.clusterName() != null ? overrides.clusterName()
          : text(node, path + ".cluster_name", "orch");
      String name = text(node, path + ".name", join.isEmpty() ? path : join.get(0));
      return new Server(name, join, clusterName, secret(node, path, overrides));
    }

    /** --secret-file, else the server's cluster_secret_file, else its cluster_secret (kept out of error messages). */
    private String secret(JsonNode node, String path, Overrides overrides) {
      if (overrides.secretFile() != null) {
        return readSecret(overrides.secretFile(), "--secret-file");
      }
      String file = text(node, path + ".cluster_secret_file", "");
      if (!file.isBlank()) {
        return readSecret(Path.of(file), at(path + ".cluster_secret_file"));
      }
      return text(node, path + ".cluster_secret", "").strip();
    }

    private String readSecret(Path file, String from) {
      try {
        return dev.orch.cluster.ClusterSecret.read(file);
      } catch (IOException e) {
        errors.add(from + ": " + e.getMessage());
        return "";
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
