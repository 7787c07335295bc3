package dev.orch.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H4: what orch's children get from its environment: the allow-list and executor.env, never tokens or secrets. */
class ChildEnvironmentTest {
  static final Map<String, String> ORCH_ENV = Map.ofEntries(Map.entry("PATH", "/usr/bin:/bin"), Map.entry("HOME", "/home/me"),
      Map.entry("USER", "me"), Map.entry("LANG", "C.UTF-8"), Map.entry("LC_ALL", "C"), Map.entry("TERM", "xterm"),
      Map.entry("ANTHROPIC_API_KEY", "sk-ant-agent"), Map.entry("CLAUDE_CONFIG_DIR", "/home/me/.claude"),
      Map.entry("GITHUB_TOKEN", "ghp_canary"), Map.entry("GH_TOKEN", "ghp_canary2"), Map.entry("ORCH_WEB__TOKEN", "webtoken"),
      Map.entry("ORCH_NOTIFICATIONS__SLACK_WEBHOOK", "https://hooks.slack.invalid/T/B/X"),
      Map.entry("AWS_SECRET_ACCESS_KEY", "aws"), Map.entry("JAVA_HOME", "/opt/jdk"), Map.entry("MAVEN_OPTS", "-Xmx1g"),
      Map.entry("NPM_CONFIG_CACHE", "/tmp/npm"), Map.entry("MY_HOOK", "https://hooks.slack.invalid/T/B/X"),
      Map.entry("DEPLOY_PASSWORD", "cluster-secret-value"));

  @Test
  void h4_onlyTheAllowListPassesByDefault() {
    Map<String, String> child = ChildEnvironment.allowListOnly().from(ORCH_ENV);
    assertThat(child.keySet()).containsExactlyInAnyOrder("PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM",
        "ANTHROPIC_API_KEY", "CLAUDE_CONFIG_DIR");
  }

  @Test
  void h4_executorEnvAddsNamesPrefixesAndFixedValuesButNeverTokensOrSecrets() {
    ChildEnvironment env = new ChildEnvironment(List.of("JAVA_HOME", "MAVEN_*", "NPM_CONFIG_CACHE=/cache/npm", "MY_HOOK",
        "DEPLOY_PASSWORD", "CI=true"), List.of("https://hooks.slack.invalid/T/B/X", "cluster-secret-value"));
    Map<String, String> child = env.from(ORCH_ENV);
    assertThat(child).containsEntry("JAVA_HOME", "/opt/jdk").containsEntry("MAVEN_OPTS", "-Xmx1g")
        .containsEntry("NPM_CONFIG_CACHE", "/cache/npm").containsEntry("CI", "true")
        .doesNotContainKeys("GITHUB_TOKEN", "GH_TOKEN", "ORCH_WEB__TOKEN", "ORCH_NOTIFICATIONS__SLACK_WEBHOOK",
            "AWS_SECRET_ACCESS_KEY")
        .as("a configured secret's value under another name").doesNotContainKeys("MY_HOOK", "DEPLOY_PASSWORD");
    assertThat(env.toString()).doesNotContain("cluster-secret-value", "hooks.slack").contains("NPM_CONFIG_CACHE=(set)");
  }

  @Test
  void h4_entriesThatWouldHandOutTokensAreRefusedWithTheReason() {
    assertThat(List.of("GITHUB_TOKEN", "GH_TOKEN", "gh_token", "ORCH_WEB__TOKEN", "ORCH_*", "OR*", "GH*", "GITHUB_*",
        "ORCH_X=1", "GH_TOKEN=abc"))
        .allSatisfy(entry -> assertThat(ChildEnvironment.forbidden(entry)).as(entry).isPresent());
    assertThat(ChildEnvironment.forbidden("1BAD")).hasValueSatisfying(why -> assertThat(why).contains("NAME, PREFIX*"));
    assertThat(List.of("JAVA_HOME", "MAVEN_*", "CI=true", "GOPATH", "DISABLE_AUTOUPDATER"))
        .allSatisfy(entry -> assertThat(ChildEnvironment.forbidden(entry)).as(entry).isEmpty());
  }

  @Test
  void h4_aRealJobProcessSeesOnlyItsEnvironment(@TempDir Path tmp) throws Exception {
    // orch's own environment is what the JVM running this test has; the child must not see anything outside the list.
    List<String> out = new CopyOnWriteArrayList<>();
    JobProcess job = JobProcess.start("env", tmp, false, new ChildEnvironment(List.of("ORCH_TEST_MARKER_NONE=x", "CI=yes"),
        List.of()), (stream, text) -> out.add(text));
    assertThat(job.exit().get(30, TimeUnit.SECONDS)).isZero();
    List<String> names = String.join("", out).lines().map(line -> line.substring(0, Math.max(0, line.indexOf('='))))
        .filter(n -> !n.isEmpty()).toList();
    assertThat(names).contains("CI").doesNotContain("ORCH_TEST_MARKER_NONE", "GITHUB_TOKEN", "GH_TOKEN")
        .allSatisfy(name -> assertThat(ChildEnvironment.BASE.contains(name) || name.equals("CI") || name.equals("PWD")
            || name.equals("SHLVL") || name.equals("_") || name.startsWith("LC_") || name.startsWith("ANTHROPIC_")
            || name.startsWith("CLAUDE_")).as(name).isTrue());
    Files.writeString(tmp.resolve("unused"), "", StandardCharsets.UTF_8);
  }
}
