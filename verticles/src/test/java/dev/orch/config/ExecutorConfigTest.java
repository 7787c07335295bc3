package dev.orch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's config: nothing is copied into worktrees by default (H1); executor.env cannot hand out secrets (H4). */
class ExecutorConfigTest {
  @TempDir
  Path tmp;

  @BeforeEach
  void repository() throws Exception {
    Git.init().setDirectory(tmp.toFile()).call().close();
  }

  private OrchConfig load(String toml, Map<String, String> env) throws Exception {
    Path file = tmp.resolve(ConfigLoader.PROJECT_FILE);
    Files.writeString(file, toml);
    return new ConfigLoader(env, tmp, tmp).load(null).config();
  }

  @Test
  void h1_nothingIsCopiedIntoWorktreesByDefault() throws Exception {
    OrchConfig config = load("", Map.of());
    assertThat(config.executor().copyFiles()).isEmpty();
    assertThat(config.executor().env()).isEmpty();
  }

  @Test
  void h4_executorEnvNamingATokenOrOrchVariableIsAConfigErrorNamingTheField() {
    assertThatThrownBy(() -> load("[executor]\nenv = [\"JAVA_HOME\", \"GITHUB_TOKEN\", \"ORCH_*\"]\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ConfigLoader.PROJECT_FILE + ":2: 'executor.env' entry 2: \"GITHUB_TOKEN\" would pass on")
        .hasMessageContaining("'executor.env' entry 3: \"ORCH_*\"");
  }

  @Test
  void h4_executorEnvSettingASecretsValueIsRefusedWithoutRepeatingIt() {
    assertThatThrownBy(() -> load("[executor]\nenv = [\"HOOK=https://hooks.example.invalid/SECRETPART\"]\n"
        + "[notifications]\nslack_webhook = \"https://hooks.example.invalid/SECRETPART\"\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'executor.env' entry 1: sets HOOK to the value of a secret setting")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRETPART"));
  }

  @Test
  void h4_secretValuesComeFromEverySecretSettingWhereverItWasGiven() throws Exception {
    String clusterSecret = "cluster-secret-0123456789";
    OrchConfig config = load("[executor]\nenv = [\"JAVA_HOME\"]\n[web]\ntoken = \"web-token-1234\"\n",
        Map.of("GITHUB_TOKEN", "ghp_from_env", "ORCH_BUILD_POOL__CLUSTER_SECRET", clusterSecret));
    assertThat(config.secretValues()).containsExactlyInAnyOrder("ghp_from_env", "web-token-1234", clusterSecret);
    assertThat(config.childEnvironment().entries()).containsExactly("JAVA_HOME");
    assertThat(config.childEnvironment().from(Map.of("JAVA_HOME", "/jdk", "X", clusterSecret, "PATH", clusterSecret)))
        .containsOnlyKeys("JAVA_HOME");
  }
}
