package dev.orch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @TempDir
  Path tmp;

  private Path file(String toml) throws IOException {
    return Files.writeString(tmp.resolve("config.toml"), toml);
  }

  private Path secretFile() {
    try {
      return ownerOnly(tmp.resolve("cluster-secret"), "a-secret-from-a-file\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A secret file as it should be (0600), whatever the umask. */
  private static Path ownerOnly(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static AgentConfig.Overrides secretFileOnly(Path secretFile) {
    return new AgentConfig.Overrides(null, null, 0, null, null, secretFile, null, null);
  }

  private AgentConfig.Overrides withSecretFile() {
    return secretFileOnly(secretFile());
  }

  @Test
  void h2_an_agent_without_a_cluster_secret_refuses_to_start() throws IOException {
    Path config = file("[server]\njoin = \"127.0.0.1:5701\"\n");
    assertThatThrownBy(() -> AgentConfig.load(config, AgentConfig.Overrides.NONE, "h"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains("no cluster secret").contains("--secret-file")));
    assertThatThrownBy(() -> AgentConfig.load(file("[server]\njoin = \"h:1\"\ncluster_secret = \"short\"\n"),
        AgentConfig.Overrides.NONE, "h")).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains("cluster_secret must be at least 16").doesNotContain("short\"")));
  }

  @Test
  void h2_the_secret_comes_from_secret_file_or_cluster_secret_file_and_tls_passwords_from_files() throws IOException {
    Path fromFile = ownerOnly(tmp.resolve("from-config"), "secret-named-in-the-config\n");
    Path password = Files.writeString(tmp.resolve("store-password"), "changeit\n");
    Path config = file("[server]\njoin = \"127.0.0.1:5701\"\ncluster_secret_file = \"" + fromFile + "\"\n"
        + "[tls]\nkey_store_password_file = \"" + password + "\"\n");
    AgentConfig loaded = AgentConfig.load(config, AgentConfig.Overrides.NONE, "h");
    assertThat(loaded.servers()).singleElement().satisfies(s -> assertThat(s.secret()).isEqualTo("secret-named-in-the-config"));
    assertThat(loaded.tls().keyStorePassword()).isEqualTo("changeit");
    assertThat(loaded.warnings()).isEmpty();
    AgentConfig flagged = AgentConfig.load(config, withSecretFile(), "h");
    assertThat(flagged.servers()).singleElement().satisfies(s -> assertThat(s.secret()).isEqualTo("a-secret-from-a-file"));
    Path missing = tmp.resolve("missing");
    assertThatThrownBy(() -> AgentConfig.load(config, secretFileOnly(missing), "h"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).startsWith("--secret-file").contains(missing.toString())));
  }

  @Test
  void theReferenceLayoutWithOneServer() throws IOException {
    AgentConfig config = AgentConfig.load(file("""
        [server]
        join = "10.0.0.5:5701"
        cluster_secret = "sixteen-or-more-characters"

        [worker]
        id = "worker-1"
        max_jobs = 6

        [storage]
        git_cache_dir = "/var/cache/x"
        worktree_dir = "/tmp/x"

        [nix]
        prewarm_packages = ["nixpkgs#rustc", "nixpkgs#cargo"]
        """), AgentConfig.Overrides.NONE, "host-a");
    assertThat(config.workerId()).isEqualTo("worker-1");
    assertThat(config.maxJobs()).isEqualTo(6);
    assertThat(config.servers()).singleElement().satisfies(s -> {
      assertThat(s.join()).containsExactly("10.0.0.5:5701");
      assertThat(s.secret()).isEqualTo("sixteen-or-more-characters");
      assertThat(s.clusterName()).isEqualTo("orch");
    });
    assertThat(config.gitCacheDir()).isEqualTo(Path.of("/var/cache/x"));
    assertThat(config.prewarmPackages()).containsExactly("nixpkgs#rustc", "nixpkgs#cargo");
  }

  @Test
  void theExampleConfigLoadsWithoutAWarning() {
    AgentConfig example = AgentConfig.load(Path.of("../config/build-agent.toml"), withSecretFile(), "h");
    assertThat(example.warnings()).isEmpty();
    assertThat(example.workerId()).isEqualTo("h");
    assertThat(example.servers()).singleElement().satisfies(s -> assertThat(s.join()).containsExactly("127.0.0.1:5701"));
  }

  @Test
  void severalOrchestratorsAndFlagsThatWin() throws IOException {
    Path file = file("""
        [[servers]]
        join = ["127.0.0.1:5701", "127.0.0.1:5702"]
        name = "project-a"
        cluster_secret = "the-secret-of-project-a"

        [[servers]]
        join = "127.0.0.1:5801"
        name = "project-b"
        cluster_name = "b"
        cluster_secret = "the-secret-of-project-b"
        """);
    AgentConfig config = AgentConfig.load(file, AgentConfig.Overrides.NONE, "host-a");
    assertThat(config.workerId()).isEqualTo("host-a");
    assertThat(config.maxJobs()).isEqualTo(4);
    assertThat(config.servers()).extracting(AgentConfig.Server::name).containsExactly("project-a", "project-b");
    assertThat(config.servers().get(1).clusterName()).isEqualTo("b");

    AgentConfig flagged = AgentConfig.load(file, new AgentConfig.Overrides(List.of("127.0.0.1:6000"), "w9", 8, "c", null,
        secretFile(), null, null), "host-a");
    assertThat(flagged.servers()).singleElement().satisfies(s -> assertThat(s.join()).containsExactly("127.0.0.1:6000"));
    assertThat(flagged.workerId()).isEqualTo("w9");
    assertThat(flagged.maxJobs()).isEqualTo(8);
  }

  @Test
  void mistakesNameTheFileLineAndKey() throws IOException {
    Path file = file("""
        [server]
        join = 5701

        [worker]
        max_jobs = "four"
        colour = "blue"
        """);
    assertThatThrownBy(() -> AgentConfig.load(file, AgentConfig.Overrides.NONE, "h"))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(file + ":2: server.join: must be a string"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(file + ":5: worker.max_jobs"));
          assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains(":6: worker.colour: unknown key"));
        });
    assertThatThrownBy(() -> AgentConfig.load(null, AgentConfig.Overrides.NONE, "h"))
        .hasMessageContaining("--join");
    assertThatThrownBy(() -> AgentConfig.load(file("[worker]\nhost = \"0.0.0.0\"\n[server]\njoin = \"h:1\"\n"),
        AgentConfig.Overrides.NONE, "h")).isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("tls.key_store")));
  }

  /** The reference's own single-orchestrator example, as its README gives it. */
  private static final String REFERENCE_SINGLE = """
      # Single orchestrator (legacy format, still supported)
      [server]
      url = "ws://coordinator-host:8081/ws"

      [worker]
      id = "worker-1"      # Defaults to hostname
      max_jobs = 4         # Concurrent build jobs

      [storage]
      git_cache_dir = "/var/cache/build-agent/repos"
      worktree_dir = "/tmp/build-agent/jobs"

      [nix]
      # Prewarm nix store on startup with common packages
      # This speeds up first job by pre-downloading toolchains
      prewarm_packages = [
        "nixpkgs#rustc",
        "nixpkgs#cargo",
        "nixpkgs#clippy",
        "nixpkgs#rustfmt"
      ]
      """;

  /** The reference's multi-orchestrator example. */
  private static final String REFERENCE_MULTI = """
      # Multiple orchestrators - agent connects to all simultaneously
      [[servers]]
      url = "ws://orchestrator1:8081/ws"
      name = "project-a"  # Optional, for logging

      [[servers]]
      url = "ws://orchestrator2:8081/ws"
      name = "project-b"

      [[servers]]
      url = "ws://orchestrator3:8081/ws"
      # name is optional, defaults to URL in logs

      [worker]
      id = "shared-worker"
      max_jobs = 8         # Total capacity shared across all orchestrators

      [storage]
      git_cache_dir = "/var/cache/build-agent/repos"
      worktree_dir = "/tmp/build-agent/jobs"
      """;

  @Test
  void theReferenceServerUrlJoinsOrchsClusterOnItsHostWithOneWarningSayingWhatWasAssumed() throws IOException {
    Path config = file(REFERENCE_SINGLE);
    int port = AgentConfig.defaultOrchClusterPort();
    AgentConfig loaded = AgentConfig.load(config, withSecretFile(), "h");
    assertThat(loaded.servers()).singleElement().satisfies(s -> {
      assertThat(s.join()).containsExactly("coordinator-host:" + port);
      assertThat(s.name()).isEqualTo("ws://coordinator-host:8081/ws");
      assertThat(s.secret()).isEqualTo("a-secret-from-a-file");
    });
    assertThat(loaded.workerId()).isEqualTo("worker-1");
    assertThat(loaded.maxJobs()).isEqualTo(4);
    assertThat(loaded.prewarmPackages()).containsExactly("nixpkgs#rustc", "nixpkgs#cargo", "nixpkgs#clippy", "nixpkgs#rustfmt");
    assertThat(loaded.warnings()).singleElement().asString()
        .startsWith(config + ":3: server.url ws://coordinator-host:8081/ws -> joining orch's cluster at coordinator-host:"
            + port)
        .contains("the URL's port and path are ignored");
    assertThat(port).as("orch's default build_pool.cluster_port").isEqualTo(5701);
  }

  @Test
  void eachReferenceServersEntryIsItsOwnOrchestratorNamedAsTheReferenceNamesIt() throws IOException {
    Path config = file(REFERENCE_MULTI);
    int port = AgentConfig.defaultOrchClusterPort();
    AgentConfig loaded = AgentConfig.load(config, withSecretFile(), "h");
    assertThat(loaded.servers()).extracting(AgentConfig.Server::name)
        .containsExactly("project-a", "project-b", "ws://orchestrator3:8081/ws");
    assertThat(loaded.servers()).extracting(AgentConfig.Server::join).containsExactly(
        List.of("orchestrator1:" + port), List.of("orchestrator2:" + port), List.of("orchestrator3:" + port));
    assertThat(loaded.workerId()).isEqualTo("shared-worker");
    assertThat(loaded.maxJobs()).isEqualTo(8);
    assertThat(loaded.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).contains("servers[").contains(".url ws://"));
  }

  @Test
  void theSecretOfAReferenceConfigComesFromClusterSecretBesideIt() throws IOException {
    Path config = file(REFERENCE_SINGLE);
    assertThatThrownBy(() -> AgentConfig.load(config, AgentConfig.Overrides.NONE, "h"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains("no cluster secret").contains("cluster-secret beside the config")));
    Path beside = ownerOnly(tmp.resolve(AgentConfig.SECRET_BESIDE_CONFIG), "the-secret-beside-the-config\n");
    AgentConfig loaded = AgentConfig.load(config, AgentConfig.Overrides.NONE, "h");
    assertThat(loaded.servers()).singleElement().satisfies(s -> assertThat(s.secret()).isEqualTo("the-secret-beside-the-config"));
    assertThat(loaded.warnings()).noneSatisfy(w -> assertThat(w).contains("chmod"));

    Files.setPosixFilePermissions(beside, PosixFilePermissions.fromString("rw-r-----"));
    AgentConfig shared = AgentConfig.load(config, AgentConfig.Overrides.NONE, "h");
    assertThat(shared.servers()).singleElement().satisfies(s -> assertThat(s.secret()).isEqualTo("the-secret-beside-the-config"));
    assertThat(shared.warnings()).filteredOn(w -> w.contains("chmod")).singleElement().asString()
        .startsWith(config + ": server (its secret from cluster-secret beside it): " + beside + " holds the cluster secret"
            + " but is rw-r-----, not for its owner only; chmod 600 " + beside);
  }

  @Test
  void aSecretFileOthersMayReadIsWarnedAboutWhereverItIsNamed() throws IOException {
    Path secret = secretFile();
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw----r--"));
    AgentConfig loaded = AgentConfig.load(file("[server]\njoin = \"127.0.0.1:5701\"\n"), secretFileOnly(secret), "h");
    assertThat(loaded.warnings()).singleElement().asString()
        .isEqualTo("--secret-file: " + secret + " holds the cluster secret but is rw----r--, not for its owner only;"
            + " chmod 600 " + secret);
  }

  @Test
  void credentialsInAUrlAreAnErrorNamingTheKeyAndAreNeverEchoed() throws IOException {
    Path config = file("[server]\nurl = \"wss://user:hunter2-token@coordinator-host:8081/ws\"\n");
    assertThatThrownBy(() -> AgentConfig.load(config, withSecretFile(), "h"))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).isEqualTo(config + ":2: server.url: credentials in the"
              + " URL are not used; remove them (the cluster secret is what lets the agent in)"));
          assertThat(String.join("\n", e.problems()) + e.warnings()).doesNotContain("hunter2");
        });
    assertThatThrownBy(() -> AgentConfig.load(null, new AgentConfig.Overrides(null, null, 0, null, null, secretFile(),
        List.of("ws://user:hunter2-token@coordinator:8081/ws"), null), "h"))
        .hasMessageContaining("--server: credentials in the URL are not used").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> AgentConfig.load(null, new AgentConfig.Overrides(null, null, 0, null, null, secretFile(),
        List.of("ws://user:hunter2 token@bad host/ws"), null), "h"))
        .hasMessageContaining("--server: 'ws://***@bad host/ws' is not a URL").hasMessageNotContaining("hunter2");
  }

  @Test
  void theReferencesServerFlagJoinsLikeItsUrlAndWinsOverTheFile() throws IOException {
    Path config = file(REFERENCE_MULTI);
    int port = AgentConfig.defaultOrchClusterPort();
    AgentConfig loaded = AgentConfig.load(config, new AgentConfig.Overrides(null, "worker-1", 4, null, null, secretFile(),
        List.of("ws://coordinator:8081/ws"), null), "h");
    assertThat(loaded.servers()).singleElement().satisfies(s -> {
      assertThat(s.join()).containsExactly("coordinator:" + port);
      assertThat(s.name()).isEqualTo("ws://coordinator:8081/ws");
    });
    assertThat(loaded.warnings()).singleElement().asString().startsWith("--server ws://coordinator:8081/ws -> joining");

    AgentConfig elsewhere = AgentConfig.load(file(REFERENCE_SINGLE), new AgentConfig.Overrides(null, null, 0, null, null,
        secretFile(), null, "5801"), "h");
    assertThat(elsewhere.servers()).singleElement().satisfies(s -> assertThat(s.join()).containsExactly("coordinator-host:5801"));
    assertThat(elsewhere.warnings()).singleElement().asString().contains("from " + AgentConfig.ORCH_CLUSTER_PORT_ENV);
    assertThatThrownBy(() -> AgentConfig.load(file(REFERENCE_SINGLE), new AgentConfig.Overrides(null, null, 0, null, null,
        secretFile(), null, "80000"), "h")).hasMessageContaining(AgentConfig.ORCH_CLUSTER_PORT_ENV + ": must be a port");
  }

  @Test
  void theAgentsCommandLineTakesTheReferencesServerFlag() {
    BuildAgentMain main = new BuildAgentMain();
    new picocli.CommandLine(main).parseArgs("--server", "ws://coordinator:8081/ws", "--id", "worker-1", "--jobs", "4");
    assertThat(main.servers).containsExactly("ws://coordinator:8081/ws");
    assertThat(main.id).isEqualTo("worker-1");
    assertThat(main.jobs).isEqualTo(4);
  }

  @Test
  void aBadUrlIsAnErrorNamingItsKeyAndJoinWinsOverAUrl() throws IOException {
    Path config = file("[server]\nurl = \"coordinator-host\"\n\n[[servers]]\nurl = \"ws://bad host/ws\"\n");
    assertThatThrownBy(() -> AgentConfig.load(config, withSecretFile(), "h"))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(config + ":2: server.url: 'coordinator-host'"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(config + ":5: servers[0].url: 'ws://bad host/ws'"));
        });
    assertThatThrownBy(() -> AgentConfig.load(null, new AgentConfig.Overrides(null, null, 0, null, null, secretFile(),
        List.of("ftp://h/x"), null), "h")).hasMessageContaining("--server: 'ftp://h/x'");
    AgentConfig both = AgentConfig.load(file("[server]\nurl = \"ws://a:8081/ws\"\njoin = \"b:5801\"\n"), withSecretFile(), "h");
    assertThat(both.servers()).singleElement().satisfies(s -> assertThat(s.join()).containsExactly("b:5801"));
    assertThat(both.warnings()).singleElement().asString().contains("server.url: ignored");
  }

  @Test
  void theServiceUnitRunsThisJarWithItsConfig() throws Exception {
    Path config = file("[server]\njoin = \"h:1\"\n");
    StringWriter text = new StringWriter();
    SystemdService service = new SystemdService(tmp.resolve("units"), false, new PrintWriter(text, true));
    assertThat(service.status()).isEqualTo(3);
    assertThat(service.install(Path.of("/usr/bin/java"), Path.of("/opt/build-agent.jar"), config, "builder")).isZero();
    String unit = Files.readString(tmp.resolve("units/build-agent.service"));
    assertThat(unit).contains("ExecStart=/usr/bin/java -XX:+UseSerialGC -jar /opt/build-agent.jar --config " + config)
        .contains("Restart=always").contains("User=builder").contains("WantedBy=multi-user.target");
    assertThat(unit).as("L10: what it writes is its own").contains("UMask=0077");
    assertThat(service.status()).isZero();
    assertThat(service.uninstall()).isZero();
    assertThat(tmp.resolve("units/build-agent.service")).doesNotExist();
    assertThat(text.toString()).contains("systemctl is not available");
  }

  /**
   * L10: the shipped unit and NixOS module hand the secret and TLS passwords over as systemd credentials, never as
   * text in a world-readable file, an argument or the Nix store.
   */
  @Test
  void l10_the_packaging_passes_secrets_as_credentials_and_writes_owner_only() throws Exception {
    Path nix = Path.of("..", "nix");
    String unit = Files.readString(nix.resolve("build-agent.service"));
    assertThat(unit).contains("LoadCredential=cluster-secret:")
        .contains("--secret-file ${CREDENTIALS_DIRECTORY}/cluster-secret").contains("UMask=0077")
        .contains("RuntimeDirectoryMode=0700").doesNotContainPattern("(?m)^ExecStart=.*cluster_secret");
    String module = Files.readString(nix.resolve("build-agent.nix"));
    assertThat(module).contains("LoadCredential").contains("--secret-file \"$CREDENTIALS_DIRECTORY/cluster-secret\"")
        .contains("UMask = \"0077\"").contains("RuntimeDirectoryMode = \"0700\"")
        .contains("key_store_password_file").doesNotContainPattern("\\bsed\\b");
  }
}
