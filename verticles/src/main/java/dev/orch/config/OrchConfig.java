package dev.orch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * orch's configuration, one typed record per TOML section, built once at start by {@link ConfigLoader}.
 * {@code source} is the file it came from, empty when orch runs on defaults alone.
 */
public record OrchConfig(
    Optional<Path> source,
    General general,
    Scheduler scheduler,
    Claude claude,
    Executor executor,
    Observer observer,
    Forge forge,
    GitHub github,
    Checks checks,
    Review review,
    Notifications notifications,
    Web web,
    Prompts prompts,
    BuildPool buildPool,
    Shell shell,
    Batch batch) {

  /** {@code mainBranch} is empty when orch should detect it. */
  public record General(Path projectRoot, Path plansDir, Path worktreeDir, int maxParallelAgents, Path databasePath,
      Path logDir, String mainBranch, String branchPrefix) {
    static General from(ConfigValues v) {
      return new General(v.path("general.project_root"), v.path("general.plans_dir"), v.path("general.worktree_dir"),
          v.integer("general.max_parallel_agents"), v.path("general.database_path"), v.path("general.log_dir"),
          v.string("general.main_branch"), v.string("general.branch_prefix"));
    }

    /** Where orch keeps its own small files (the run lock, the running instance's address): beside the database. */
    public Path stateDir() {
      return databasePath.toAbsolutePath().getParent();
    }
  }

  public record Scheduler(int maxRetries, Duration retryBaseDelay, Duration retryMaxDelay) {
    static Scheduler from(ConfigValues v) {
      return new Scheduler(v.integer("scheduler.max_retries"), v.duration("scheduler.retry_base_delay"),
          v.duration("scheduler.retry_max_delay"));
    }

    public Scheduler withMaxRetries(int retries) {
      return new Scheduler(retries, retryBaseDelay, retryMaxDelay);
    }
  }

  public record Claude(String model, int maxTokens, String command, List<String> args, int maxTurns, String permissionMode,
      List<String> allowedTools) {
    static Claude from(ConfigValues v) {
      return new Claude(v.string("claude.model"), v.integer("claude.max_tokens"), v.string("claude.command"),
          v.strings("claude.args"), v.integer("claude.max_turns"), v.string("claude.permission_mode"),
          v.strings("claude.allowed_tools"));
    }
  }

  /**
   * {@code buildTools}: each agent gets orch's build tools (build, test, lint, ...) over MCP. {@code env}: what agents,
   * checks, setup commands and build jobs get from orch's environment beyond the allow-list
   * ({@link dev.orch.process.ChildEnvironment}).
   */
  public record Executor(List<String> copyFiles, String setupCommand, boolean buildTools, List<String> env) {
    static Executor from(ConfigValues v) {
      return new Executor(v.strings("executor.copy_files"), v.string("executor.setup_command"),
          v.bool("executor.build_tools"), v.strings("executor.env"));
    }

    @Override
    public String toString() {
      // A NAME=value entry's value stays out of logs: it may be a credential the project's builds need.
      return "Executor[copyFiles=" + copyFiles + ", setupCommand=" + setupCommand + ", buildTools=" + buildTools + ", env="
          + env.stream().map(e -> e.contains("=") ? e.substring(0, e.indexOf('=')) + "=(set)" : e).toList() + "]";
    }

    /** The environment of the processes orch starts for the project, without any of {@code secretValues}. */
    public dev.orch.process.ChildEnvironment childEnvironment(List<String> secretValues) {
      return new dev.orch.process.ChildEnvironment(env, secretValues);
    }
  }

  /** Costs of 0 mean no limit. */
  public record Observer(Duration idleTimeout, Duration runTimeout, double maxCostUsdPerTask, double maxCostUsdPerDay) {
    static Observer from(ConfigValues v) {
      return new Observer(v.duration("observer.idle_timeout"), v.duration("observer.run_timeout"),
          v.decimal("observer.max_cost_usd_per_task"), v.decimal("observer.max_cost_usd_per_day"));
    }
  }

  public record Forge(String kind, String mergeMethod, String updateMethod) {
    static Forge from(ConfigValues v) {
      return new Forge(v.string("forge.kind"), v.string("forge.merge_method"), v.string("forge.update_method"));
    }
  }

  /**
   * The GitHub forge: the repository, the API (api.github.com, or a GitHub Enterprise or test server), the token
   * (this key, else GH_TOKEN, else GITHUB_TOKEN), the git remote to push to, and how often open pull requests'
   * checks are polled (all in one place).
   */
  public record GitHub(String owner, String repo, String apiUrl, String token, String remote, Duration pollInterval) {
    static GitHub from(ConfigValues v, Map<String, String> env) {
      String token = v.string("github.token");
      if (token.isBlank()) {
        token = env.getOrDefault("GH_TOKEN", env.getOrDefault("GITHUB_TOKEN", ""));
      }
      return new GitHub(v.string("github.owner"), v.string("github.repo"), v.string("github.api_url"), token,
          v.string("github.remote"), v.duration("github.poll_interval"));
    }

    @Override
    public String toString() {
      return "GitHub[" + owner + "/" + repo + " at " + apiUrl + ", token " + (token.isBlank() ? "missing" : "(set)") + "]";
    }
  }

  /** Commands run against a pull request's head before it may merge; none configured means no checks. */
  public record Checks(List<String> commands, Duration timeout, int maxFixRounds, int outputBudgetChars) {
    static Checks from(ConfigValues v) {
      return new Checks(v.strings("checks.commands"), v.duration("checks.timeout"), v.integer("checks.max_fix_rounds"),
          v.integer("checks.output_budget_chars"));
    }
  }

  /** Review routing: per category, path globs and patterns on added or removed lines; large changes; the plan's flag. */
  public record Review(int maxChangedLines, Map<String, Category> categories) {
    public record Category(List<String> paths, List<String> patterns) {
    }

    static Review from(ConfigValues v) {
      Map<String, Category> categories = new LinkedHashMap<>();
      for (String name : List.of("security", "architecture", "migrations")) {
        categories.put(name, new Category(v.strings("review." + name + ".paths"), v.strings("review." + name + ".patterns")));
      }
      return new Review(v.integer("review.max_changed_lines"), categories);
    }
  }

  /** Where each kind of event goes; {@code desktopCommand} empty means notify-send (Linux) or osascript (macOS). */
  public record Notifications(boolean desktop, String slackWebhook, String desktopCommand, List<String> desktopEvents,
      List<String> slackEvents) {
    static Notifications from(ConfigValues v) {
      return new Notifications(v.bool("notifications.desktop"), v.string("notifications.slack_webhook"),
          v.string("notifications.desktop_command"), v.strings("notifications.desktop_events"),
          v.strings("notifications.slack_events"));
    }

    @Override
    public String toString() {
      return "Notifications[desktop=" + desktop + ", slackWebhook=" + (slackWebhook.isEmpty() ? "" : "(set)") + "]";
    }
  }

  /** Scheduled batches: where schedule.toml is, and whether a batch's running tasks stop when its time is up. */
  public record Batch(Path scheduleFile, boolean stopAtDeadline) {
    static Batch from(ConfigValues v) {
      return new Batch(v.path("batch.schedule_file"), v.string("batch.at_deadline").equals("stop"));
    }
  }

  /**
   * The shell: telnet on 127.0.0.1 only (it has no login); SSH on {@code sshHost} with a password or a key from
   * {@code sshAuthorizedKeys}; {@code hostKey} empty means a key made on first start in the state folder.
   */
  public record Shell(boolean telnetEnabled, int telnetPort, boolean sshEnabled, String sshHost, int sshPort, String sshUser,
      String sshPassword, Path sshAuthorizedKeys, String hostKey) {
    static Shell from(ConfigValues v) {
      return new Shell(v.bool("shell.telnet_enabled"), v.integer("shell.telnet_port"), v.bool("shell.ssh_enabled"),
          v.string("shell.ssh_host"), v.integer("shell.ssh_port"), v.string("shell.ssh_user"), v.string("shell.ssh_password"),
          v.path("shell.ssh_authorized_keys"), v.string("shell.host_key"));
    }

    @Override
    public String toString() {
      return "Shell[telnet=" + telnetEnabled + ":" + telnetPort + ", ssh=" + sshEnabled + " " + sshUser + "@" + sshHost + ":"
          + sshPort + ", password=" + (sshPassword.isEmpty() ? "" : "(set)") + ", authorizedKeys=" + sshAuthorizedKeys + "]";
    }
  }

  /**
   * {@code requireToken}: also on loopback, for hosts other people log in to; {@code allowedHosts}: more names the
   * Host header may carry (a reverse proxy's, a machine name) besides web.host and the loopback names.
   */
  public record Web(String host, int port, String token, boolean requireToken, List<String> allowedHosts) {
    static Web from(ConfigValues v) {
      return new Web(v.string("web.host"), v.integer("web.port"), v.string("web.token"), v.bool("web.require_token"),
          v.strings("web.allowed_hosts"));
    }

    @Override
    public String toString() {
      return "Web[host=" + host + ", port=" + port + ", token=" + (token.isEmpty() ? "" : "(set)") + ", requireToken="
          + requireToken + ", allowedHosts=" + allowedHosts + "]";
    }
  }

  public record Prompts(Path overrideDir) {
    static Prompts from(ConfigValues v) {
      return new Prompts(v.path("prompts.override_dir"));
    }
  }

  /**
   * The build pool: {@code enabled} makes orch join a Hazelcast-clustered event bus (so build agents on other hosts can
   * join) and serve the git daemon; without it jobs run here (the local fallback). TLS stores are PKCS#12 files; empty
   * means no TLS.
   */
  public record BuildPool(boolean enabled, int gitDaemonPort, String gitDaemonListenAddr, LocalFallback localFallback,
      Timeouts timeouts, Cluster cluster, int keepJobs, String preset, Map<String, String> commands, int mcpPort,
      int maxJobOutputMib, int keepJobsMib) {
    static BuildPool from(ConfigValues v) {
      Map<String, String> commands = new LinkedHashMap<>();
      for (String kind : List.of("build", "test", "lint")) {
        commands.put(kind, v.string("build_pool.commands." + kind));
      }
      return new BuildPool(v.bool("build_pool.enabled"), v.integer("build_pool.git_daemon_port"),
          v.string("build_pool.git_daemon_listen_addr"),
          new LocalFallback(v.bool("build_pool.local_fallback.enabled"), v.integer("build_pool.local_fallback.max_jobs"),
              v.path("build_pool.local_fallback.worktree_dir")),
          new Timeouts(v.integer("build_pool.timeouts.job_default_secs"),
              v.integer("build_pool.timeouts.heartbeat_interval_secs"),
              v.integer("build_pool.timeouts.heartbeat_timeout_secs"), v.integer("build_pool.timeouts.job_max_secs")),
          new Cluster(v.string("build_pool.cluster_host"), v.integer("build_pool.cluster_port"),
              v.string("build_pool.cluster_name"), v.string("build_pool.cluster_secret"), v.strings("build_pool.cluster_members"),
              v.integer("build_pool.eventbus_port"), v.string("build_pool.advertise_host"),
              v.string("build_pool.tls.key_store"), v.string("build_pool.tls.key_store_password"),
              v.string("build_pool.tls.trust_store"), v.string("build_pool.tls.trust_store_password")),
          v.integer("build_pool.keep_jobs"), v.string("build_pool.preset"), commands, v.integer("build_pool.mcp_port"),
          v.integer("build_pool.max_job_output_mib"), v.integer("build_pool.keep_jobs_mib"));
    }
  }

  /** How the clustered event bus binds and whom it joins; passwords and the secret stay out of toString. */
  public record Cluster(String host, int port, String name, String secret, List<String> members, int eventBusPort,
      String advertiseHost, String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {
    public boolean tls() {
      return !keyStore.isBlank();
    }

    /** The coordinator's node: it keeps its port (agents are told to join it there) rather than moving up. */
    public dev.orch.cluster.ClusterSettings settings() {
      return new dev.orch.cluster.ClusterSettings(host, port, false, name, secret, members, eventBusPort, advertiseHost,
          keyStore, keyStorePassword, trustStore, trustStorePassword);
    }

    @Override
    public String toString() {
      return settings().toString();
    }
  }

  public record LocalFallback(boolean enabled, int maxJobs, Path worktreeDir) {
  }

  public record Timeouts(int jobDefaultSecs, int heartbeatIntervalSecs, int heartbeatTimeoutSecs, int jobMaxSecs) {
  }

  /**
   * The values of every secret setting (tokens, the webhook, passwords, the cluster secret), wherever they came from:
   * the processes orch starts never get a variable holding one (H4).
   */
  public List<String> secretValues() {
    return java.util.stream.Stream.of(github.token(), web.token(), notifications.slackWebhook(), shell.sshPassword(),
            buildPool.cluster().secret(), buildPool.cluster().keyStorePassword(), buildPool.cluster().trustStorePassword())
        .filter(v -> v != null && !v.isBlank()).distinct().toList();
  }

  /** The environment for agents, checks, setup commands and build jobs: the allow-list and {@code executor.env}. */
  public dev.orch.process.ChildEnvironment childEnvironment() {
    return executor.childEnvironment(secretValues());
  }

  /**
   * For the compact constructors of verticles' settings, which validate and never default (each default is written
   * once, in {@link ConfigSchema}): a missing value names its key.
   */
  public static <T> T required(String key, T value) {
    if (value == null) {
      throw new IllegalArgumentException("config key '" + key + "' is missing");
    }
    return value;
  }

  /** Like {@link #required}, for a number or duration that must be above zero. */
  public static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("config key '" + key + "' must be greater than 0, got " + value);
    }
    return value;
  }

  static OrchConfig from(Optional<Path> source, ConfigValues v, Map<String, String> env) {
    return new OrchConfig(source, General.from(v), Scheduler.from(v), Claude.from(v), Executor.from(v), Observer.from(v),
        Forge.from(v), GitHub.from(v, env), Checks.from(v), Review.from(v), Notifications.from(v), Web.from(v), Prompts.from(v), BuildPool.from(v),
        Shell.from(v), Batch.from(v));
  }
}
