package dev.orch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path tmp;
  Path home;
  Path repo;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(tmp.resolve("home"));
    repo = Files.createDirectories(tmp.resolve("work/project"));
    Git.init().setDirectory(repo.toFile()).call().close();
  }

  private ConfigLoader.Loaded load(Path cwd, Map<String, String> env, Path explicit) {
    return new ConfigLoader(env, cwd, home).load(explicit);
  }

  @Test
  void insideALinkedWorktreeTheProjectIsTheMainCheckout() throws IOException {
    Files.writeString(repo.resolve("a.txt"), "a\n");
    var git = new dev.orch.git.GitCli(repo);
    git.run("add", "-A");
    git.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "a");
    Path worktree = repo.resolve(".orch/worktrees/core-E01");
    git.run("worktree", "add", "-q", "-b", "orch/core-E01", worktree.toString());
    ConfigLoader.Loaded loaded = load(worktree, Map.of(), null);
    assertThat(loaded.config().general().projectRoot()).isEqualTo(repo.toAbsolutePath().normalize());
  }

  @Test
  void withoutAnyConfigInsideAGitRepositoryEverythingHasADefault() throws IOException {
    Path sub = Files.createDirectories(repo.resolve("src/main"));
    ConfigLoader.Loaded loaded = load(sub, Map.of(), null);
    OrchConfig config = loaded.config();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(config.source()).isEmpty();
    assertThat(config.general().projectRoot()).isEqualTo(repo.toRealPath());
    assertThat(config.general().plansDir()).isEqualTo(repo.toRealPath().resolve("docs/plans"));
    assertThat(config.general().databasePath()).isEqualTo(repo.toRealPath().resolve(".orch/orch.db"));
    assertThat(config.general().maxParallelAgents()).isEqualTo(3);
    assertThat(config.web().host()).isEqualTo("127.0.0.1");
    assertThat(config.buildPool().gitDaemonListenAddr()).isEqualTo("127.0.0.1");
    assertThat(config.prompts().overrideDir()).isEqualTo(home.resolve(".config/claude-orchestrator/prompts"));
  }

  @Test
  void keysThatMustAgreeAreReportedAtTheKeyToChangeWithItsLine() throws IOException {
    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), """
        [forge]
        kind = "github"

        [build_pool.timeouts]
        heartbeat_interval_secs = 60
        heartbeat_timeout_secs = 60
        job_default_secs = 900
        job_max_secs = 600
        """);
    assertThatThrownBy(() -> load(repo, Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ConfigLoader.PROJECT_FILE + ":6: 'build_pool.timeouts.heartbeat_timeout_secs' (60) must be"
            + " greater than heartbeat_interval_secs (60)")
        .hasMessageContaining(ConfigLoader.PROJECT_FILE + ":7: 'build_pool.timeouts.job_default_secs' (900) must not"
            + " exceed job_max_secs (600)");

    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[forge]\nkind = \"github\"\n");
    assertThatThrownBy(() -> load(repo, Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ConfigLoader.PROJECT_FILE + ":2: forge.kind is github, so 'github.owner' must be set")
        .hasMessageContaining(":2: forge.kind is github, so 'github.repo' must be set")
        .hasMessageContaining(":2: forge.kind is github but there is no token: set github.token, GH_TOKEN or GITHUB_TOKEN");
  }

  @Test
  void outsideAGitRepositoryWithoutProjectRootIsAnError() {
    assertThatThrownBy(() -> load(home, Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("general.project_root")
        .hasMessageContaining("not inside a git repository");
  }

  @Test
  void projectFileInAParentIsFoundBeforeTheUserFile() throws IOException {
    Files.createDirectories(home.resolve(".config/claude-plan-orchestrator"));
    Files.writeString(ConfigLoader.userConfigFile(home), "[general]\nmax_parallel_agents = 7\n");
    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[general]\nmax_parallel_agents = 5\n");
    Path sub = Files.createDirectories(repo.resolve("a/b"));
    OrchConfig config = load(sub, Map.of(), null).config();
    assertThat(config.general().maxParallelAgents()).isEqualTo(5);
    assertThat(config.source()).contains(repo.resolve(ConfigLoader.PROJECT_FILE));
  }

  @Test
  void userFileIsUsedWhenNoProjectFileExists() throws IOException {
    Files.createDirectories(home.resolve(".config/claude-plan-orchestrator"));
    Files.writeString(ConfigLoader.userConfigFile(home), """
        [general]
        project_root = "~/code/energy-erp"
        worktree_dir = "~/.claude-plan-orchestrator/worktrees"
        database_path = "state/orch.db"
        """);
    OrchConfig config = load(tmp, Map.of(), null).config();
    assertThat(config.general().projectRoot()).isEqualTo(home.resolve("code/energy-erp"));
    assertThat(config.general().worktreeDir()).isEqualTo(home.resolve(".claude-plan-orchestrator/worktrees"));
    assertThat(config.general().databasePath()).as("relative paths are relative to the project root")
        .isEqualTo(home.resolve("code/energy-erp/state/orch.db"));
  }

  @Test
  void homeIsTheEnvironmentsHomeNotTheAccountsAndConfigFollowsXdgConfigHome() throws IOException {
    Path otherHome = Files.createDirectories(tmp.resolve("other-home"));
    Files.createDirectories(otherHome.resolve(".config/claude-plan-orchestrator"));
    Files.writeString(otherHome.resolve(".config/claude-plan-orchestrator/config.toml"), """
        [general]
        project_root = "~/code/app"
        max_parallel_agents = 6
        """);
    OrchConfig fromHome = load(tmp, Map.of("HOME", otherHome.toString()), null).config();
    assertThat(fromHome.general().maxParallelAgents()).isEqualTo(6);
    assertThat(fromHome.general().projectRoot()).isEqualTo(otherHome.resolve("code/app"));
    assertThat(fromHome.batch().scheduleFile()).isEqualTo(otherHome.resolve(".config/claude-plan-orchestrator/schedule.toml"));

    Path xdg = Files.createDirectories(tmp.resolve("xdg/claude-plan-orchestrator"));
    Files.writeString(xdg.resolve("config.toml"), "[general]\nproject_root = \"~/code/app\"\nmax_parallel_agents = 3\n");
    OrchConfig fromXdg = load(tmp, Map.of("HOME", otherHome.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()),
        null).config();
    assertThat(fromXdg.general().maxParallelAgents()).isEqualTo(3);
    assertThat(fromXdg.batch().scheduleFile()).as("the reference's ~/.config paths move with XDG_CONFIG_HOME")
        .isEqualTo(tmp.resolve("xdg/claude-plan-orchestrator/schedule.toml"));
    assertThat(fromXdg.prompts().overrideDir()).isEqualTo(tmp.resolve("xdg/claude-orchestrator/prompts"));
    assertThat(fromXdg.prompts().folders()).as("resolved once, with the environment the config was loaded with")
        .containsExactly(otherHome.resolve("code/app/.claude-orchestrator/prompts"),
            tmp.resolve("xdg/claude-orchestrator/prompts"), otherHome.resolve(".config/claude-orchestrator/prompts"));
    assertThat(fromXdg.shell().sshAuthorizedKeys()).as("only ~/.config moves").isEqualTo(otherHome.resolve(".ssh/authorized_keys"));
  }

  @Test
  void aRelativeXdgConfigHomeIsIgnoredAsTheSpecSays() {
    UserDirs dirs = UserDirs.of(Map.of("HOME", "/home/p", "XDG_CONFIG_HOME", "relative/config"), Path.of("/nowhere"));
    assertThat(dirs.configHome()).isEqualTo(Path.of("/home/p/.config"));
    assertThat(dirs.expand("~/.config/x/y.toml")).isEqualTo("/home/p/.config/x/y.toml");
    assertThat(dirs.expand("~/.configure")).isEqualTo("/home/p/.configure");
    assertThat(dirs.expand("~")).isEqualTo("/home/p");
    assertThat(dirs.expand("a/~/b")).isEqualTo("a/~/b");
    assertThat(UserDirs.of(Map.of(), Path.of("/fallback")).home()).isEqualTo(Path.of("/fallback"));
  }

  @Test
  void explicitFileWinsAndMustExist() throws IOException {
    Path file = Files.writeString(tmp.resolve("custom.toml"), "[web]\nport = 3000\n");
    assertThat(load(repo, Map.of(), file).config().general().projectRoot()).as("the current repository")
        .isEqualTo(repo.toRealPath());
    assertThat(load(repo, Map.of(), file).config().web().port()).isEqualTo(3000);
    assertThatThrownBy(() -> load(repo, Map.of(), tmp.resolve("missing.toml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("missing.toml: config file not found");
  }

  @Test
  void environmentOverridesSingleKeys() throws IOException {
    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[general]\nmax_parallel_agents = 5\n");
    OrchConfig config = load(repo, Map.of(
        "ORCH_GENERAL__MAX_PARALLEL_AGENTS", "9",
        "ORCH_BUILD_POOL__LOCAL_FALLBACK__ENABLED", "false",
        "ORCH_WEB__HOST", "0.0.0.0"), null).config();
    assertThat(config.general().maxParallelAgents()).isEqualTo(9);
    assertThat(config.buildPool().localFallback().enabled()).isFalse();
    assertThat(config.web().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void badEnvironmentValueNamesTheVariable() {
    assertThatThrownBy(() -> load(repo, Map.of("ORCH_WEB__PORT", "eighty"), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("environment variable ORCH_WEB__PORT")
        .hasMessageContaining("'web.port' must be an integer");
  }

  @Test
  void unknownKeysAreWarningsWithFileAndLine() throws IOException {
    Path file = Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), """
        [general]
        max_parallel_agent = 4

        [mystery]
        x = 1

        [build_pool]
        websocket_port = 8081
        """);
    ConfigLoader.Loaded loaded = load(repo, Map.of("ORCH_NOPE__THING", "1"), null);
    assertThat(loaded.warnings()).containsExactly(
        file + ":2: unknown key 'general.max_parallel_agent' (ignored); did you mean 'general.max_parallel_agents'?",
        file + ":4: unknown key 'mystery' (ignored)",
        file + ":8: 'build_pool.websocket_port' is no longer used: build agents join orch's clustered event bus;"
            + " see [build_pool] cluster_port",
        "environment variable ORCH_NOPE__THING names no config key (ignored)");
  }

  @Test
  void wrongTypesAndValuesAreErrorsWithKeyFileAndLine() throws IOException {
    Path file = Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), """
        [general]
        max_parallel_agents = "three"

        [web]
        port = 70000

        [notifications]
        desktop = "yes"
        """);
    assertThatThrownBy(() -> load(repo, Map.of(), null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            file + ":2: 'general.max_parallel_agents' must be an integer from 1 to 256, got the string \"three\"",
            file + ":5: 'web.port' must be an integer from 0 to 65535, got 70000",
            file + ":8: 'notifications.desktop' must be true or false, got the string \"yes\""));
  }

  @Test
  void l6_aSecretOfTheWrongTypeIsAnErrorThatNeverRepeatsTheValue() throws IOException {
    Path file = Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), """
        [github]
        token = 1234567890

        [notifications]
        slack_webhook = ["https://hooks.example.invalid/T000/B000/XXXXSECRET"]

        [shell]
        ssh_password = 987654321
        """);
    assertThatThrownBy(() -> load(repo, Map.of(), null))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).containsExactlyInAnyOrder(
              file + ":2: 'github.token' must be a string (the value is not repeated here: it is a secret)",
              file + ":5: 'notifications.slack_webhook' must be a string (the value is not repeated here: it is a secret)",
              file + ":8: 'shell.ssh_password' must be a string (the value is not repeated here: it is a secret)");
          assertThat(e.getMessage()).doesNotContain("1234567890", "XXXXSECRET", "987654321");
        });
  }

  @Test
  void l6_aBrokenLineHoldingASecretIsNamedButNotRepeated() throws IOException {
    Path file = Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[github]\ntoken = ghp_unquotedSECRET42\n");
    assertThatThrownBy(() -> load(repo, Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":2: not valid TOML")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("unquotedSECRET42"));
  }

  @Test
  void tomlSyntaxErrorsNameTheLine() throws IOException {
    Path file = Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[general]\nmax_parallel_agents = = 3\n");
    assertThatThrownBy(() -> load(repo, Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":2: not valid TOML");
  }

  @Test
  void heartbeatTimeoutMustExceedInterval() throws IOException {
    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), """
        [build_pool.timeouts]
        heartbeat_interval_secs = 30
        heartbeat_timeout_secs = 20
        """);
    assertThatThrownBy(() -> load(repo, Map.of(), null)).hasMessageContaining(":3: 'build_pool.timeouts.heartbeat_timeout_secs' (20)");
  }

  @Test
  void referenceReadmeConfigLoadsWithoutWarnings() throws IOException {
    Path file = Files.writeString(tmp.resolve("ref.toml"), """
        [general]
        project_root = "~/code/energy-erp"
        worktree_dir = "~/.claude-plan-orchestrator/worktrees"
        max_parallel_agents = 3
        database_path = "~/.claude-plan-orchestrator/orchestrator.db"

        [claude]
        model = "claude-opus-4-5-20251101"
        max_tokens = 16000

        [notifications]
        desktop = true
        slack_webhook = ""  # Optional: Slack webhook URL

        [web]
        host = "127.0.0.1"
        port = 8080

        [prompts]
        override_dir = "~/.config/claude-orchestrator/prompts"

        [build_pool]
        enabled = true
        git_daemon_port = 9418
        git_daemon_listen_addr = ""

        [build_pool.local_fallback]
        enabled = true
        max_jobs = 2
        worktree_dir = "/tmp/build-pool/local"

        [build_pool.timeouts]
        job_default_secs = 300
        heartbeat_interval_secs = 30
        heartbeat_timeout_secs = 90
        """);
    ConfigLoader.Loaded loaded = load(tmp, Map.of(), file);
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().buildPool().localFallback().worktreeDir()).isEqualTo(Path.of("/tmp/build-pool/local"));
    assertThat(loaded.config().general().databasePath()).isEqualTo(home.resolve(".claude-plan-orchestrator/orchestrator.db"));
  }

  @Test
  void durationsReadTheUsualForms() {
    assertThat(ConfigLoader.parseDuration("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ConfigLoader.parseDuration("8h")).isEqualTo(Duration.ofHours(8));
    assertThat(ConfigLoader.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ConfigLoader.parseDuration("45")).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(() -> ConfigLoader.parseDuration("soon")).hasMessageContaining("duration");
  }

  @Test
  void exampleConfigInTheRepositoryLoadsWithoutWarnings() throws IOException {
    Path example = Path.of("../config/config.toml").toAbsolutePath().normalize();
    ConfigLoader.Loaded loaded = load(repo, Map.of(), example);
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().general().plansDir()).isEqualTo(repo.toRealPath().resolve("docs/plans"));
    OrchConfig defaults = load(repo, Map.of(), null).config();
    assertThat(loaded.config().review()).as("the example shows the built-in review rules").isEqualTo(defaults.review());
    assertThat(loaded.config().checks()).isEqualTo(defaults.checks());
    assertThat(loaded.config().scheduler()).isEqualTo(defaults.scheduler());
  }

  @Test
  void m5_telnet_is_off_unless_asked_for() {
    assertThat(load(repo, Map.of(), null).config().shell().telnetEnabled()).isFalse();
    assertThat(load(repo, Map.of("ORCH_SHELL__TELNET_ENABLED", "true"), null).config().shell().telnetEnabled()).isTrue();
  }

  @Test
  void m4_job_output_and_time_have_ceilings_and_the_default_timeout_stays_under_the_ceiling() throws IOException {
    OrchConfig defaults = load(repo, Map.of(), null).config();
    assertThat(defaults.buildPool().maxJobOutputMib()).isEqualTo(64);
    assertThat(defaults.buildPool().keepJobsMib()).isEqualTo(2048);
    assertThat(defaults.buildPool().timeouts().jobMaxSecs()).isEqualTo(7200);
    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), """
        [build_pool]
        max_job_output_mib = 8
        keep_jobs_mib = 100
        [build_pool.timeouts]
        job_default_secs = 900
        job_max_secs = 600
        """);
    assertThatThrownBy(() -> load(repo, Map.of(), null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("job_default_secs").hasMessageContaining("job_max_secs (600)");
  }

  @Test
  void h2_a_configured_cluster_secret_shorter_than_16_characters_is_refused_without_repeating_it() throws IOException {
    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[build_pool]\ncluster_secret = \"tooshort\"\n");
    assertThatThrownBy(() -> load(repo, Map.of(), null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("build_pool.cluster_secret").hasMessageContaining("at least 16")
        .hasMessageNotContaining("tooshort");
  }

  @Test
  void theLogFormatIsTextUnlessSetToJsonAndAnyOtherValueNamesTheKeyAndLine() throws IOException {
    assertThat(load(repo, Map.of(), null).config().general().logFormat()).isEqualTo("text");
    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[general]\nlog_format = \"json\"\n");
    assertThat(load(repo, Map.of(), null).config().general().logFormat()).isEqualTo("json");

    Files.writeString(repo.resolve(ConfigLoader.PROJECT_FILE), "[general]\nlog_format = \"xml\"\n");
    assertThatThrownBy(() -> load(repo, Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ConfigLoader.PROJECT_FILE + ":2: 'general.log_format' must be one of text, json");
  }
}
