package dev.orch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @TempDir
  Path tmp;

  private Path file(String toml) throws IOException {
    return Files.writeString(tmp.resolve("config.toml"), toml);
  }

  @Test
  void theReferenceLayoutWithOneServer() throws IOException {
    AgentConfig config = AgentConfig.load(file("""
        [server]
        join = "10.0.0.5:5701"
        cluster_secret = "s"

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
      assertThat(s.secret()).isEqualTo("s");
      assertThat(s.clusterName()).isEqualTo("orch");
    });
    assertThat(config.gitCacheDir()).isEqualTo(Path.of("/var/cache/x"));
    assertThat(config.prewarmPackages()).containsExactly("nixpkgs#rustc", "nixpkgs#cargo");
  }

  @Test
  void theExampleConfigLoadsWithoutAWarning() {
    AgentConfig example = AgentConfig.load(Path.of("../config/build-agent.toml"), AgentConfig.Overrides.NONE, "h");
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

        [[servers]]
        join = "127.0.0.1:5801"
        name = "project-b"
        cluster_name = "b"
        """);
    AgentConfig config = AgentConfig.load(file, AgentConfig.Overrides.NONE, "host-a");
    assertThat(config.workerId()).isEqualTo("host-a");
    assertThat(config.maxJobs()).isEqualTo(4);
    assertThat(config.servers()).extracting(AgentConfig.Server::name).containsExactly("project-a", "project-b");
    assertThat(config.servers().get(1).clusterName()).isEqualTo("b");

    AgentConfig flagged = AgentConfig.load(file, new AgentConfig.Overrides(List.of("127.0.0.1:6000"), "w9", 8, "c", null),
        "host-a");
    assertThat(flagged.servers()).singleElement().satisfies(s -> assertThat(s.join()).containsExactly("127.0.0.1:6000"));
    assertThat(flagged.workerId()).isEqualTo("w9");
    assertThat(flagged.maxJobs()).isEqualTo(8);
  }

  @Test
  void mistakesNameTheFileLineAndKey() throws IOException {
    Path file = file("""
        [server]
        url = "ws://coordinator:8081/ws"

        [worker]
        max_jobs = "four"
        colour = "blue"
        """);
    assertThatThrownBy(() -> AgentConfig.load(file, AgentConfig.Overrides.NONE, "h"))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(file + ":2: server.url").contains("join ="));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(file + ":5: worker.max_jobs"));
          assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains(":6: worker.colour: unknown key"));
        });
    assertThatThrownBy(() -> AgentConfig.load(null, AgentConfig.Overrides.NONE, "h"))
        .hasMessageContaining("--join");
    assertThatThrownBy(() -> AgentConfig.load(file("[worker]\nhost = \"0.0.0.0\"\n[server]\njoin = \"h:1\"\n"),
        AgentConfig.Overrides.NONE, "h")).isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("tls.key_store")));
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
    assertThat(service.status()).isZero();
    assertThat(service.uninstall()).isZero();
    assertThat(tmp.resolve("units/build-agent.service")).doesNotExist();
    assertThat(text.toString()).contains("systemctl is not available");
  }
}
