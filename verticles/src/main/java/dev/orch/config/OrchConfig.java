package dev.orch.config;

import static dev.orch.config.ConfigSchema.*;

import dev.orch.footprint.FootprintMode;
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

  /**
   * {@code mainBranch} is empty when orch should detect it. {@code logFormat}: how orch's own log lines look, "text" or
   * "json" (run logs in {@code logDir} are the agents' own output, whatever this says).
   */
  public record General(Path projectRoot, Path plansDir, Path worktreeDir, int maxParallelAgents, Path databasePath,
      Path logDir, String mainBranch, String branchPrefix, String logFormat) {
    static General from(ConfigValues v) {
      return new General(v.get(PROJECT_ROOT), v.get(GENERAL_PLANS_DIR), v.get(GENERAL_WORKTREE_DIR),
          v.get(GENERAL_MAX_PARALLEL_AGENTS), v.get(GENERAL_DATABASE_PATH), v.get(GENERAL_LOG_DIR),
          v.get(GENERAL_MAIN_BRANCH), v.get(GENERAL_BRANCH_PREFIX), v.get(GENERAL_LOG_FORMAT));
    }

    public General withDatabasePath(Path path) {
      return new General(projectRoot, plansDir, worktreeDir, maxParallelAgents, path, logDir, mainBranch, branchPrefix,
          logFormat);
    }

    public General withMaxParallelAgents(int agents) {
      return new General(projectRoot, plansDir, worktreeDir, agents, databasePath, logDir, mainBranch, branchPrefix,
          logFormat);
    }

    /** Where orch keeps its own small files (the run lock, the running instance's address): beside the database. */
    public Path stateDir() {
      return databasePath.toAbsolutePath().getParent();
    }
  }

  /** {@code footprint}: how far tasks that may touch the same files are kept from running together. */
  public record Scheduler(int maxRetries, Duration retryBaseDelay, Duration retryMaxDelay, FootprintMode footprint) {
    static Scheduler from(ConfigValues v) {
      return new Scheduler(v.get(SCHEDULER_MAX_RETRIES), v.get(SCHEDULER_RETRY_BASE_DELAY),
          v.get(SCHEDULER_RETRY_MAX_DELAY), FootprintMode.fromWire(v.get(SCHEDULER_FOOTPRINT)));
    }

    public Scheduler withMaxRetries(int retries) {
      return new Scheduler(retries, retryBaseDelay, retryMaxDelay, footprint);
    }

    public Scheduler withFootprint(FootprintMode mode) {
      return new Scheduler(maxRetries, retryBaseDelay, retryMaxDelay, mode);
    }
  }

  public record Claude(String model, int maxTokens, String command, List<String> args, int maxTurns, String permissionMode,
      List<String> allowedTools) {
    static Claude from(ConfigValues v) {
      return new Claude(v.get(CLAUDE_MODEL), v.get(CLAUDE_MAX_TOKENS), v.get(CLAUDE_COMMAND),
          v.get(CLAUDE_ARGS), v.get(CLAUDE_MAX_TURNS), v.get(CLAUDE_PERMISSION_MODE),
          v.get(CLAUDE_ALLOWED_TOOLS));
    }
  }

  /**
   * {@code buildTools}: each agent gets orch's build tools (build, test, lint, ...) over MCP. {@code env}: what agents,
   * checks, setup commands and build jobs get from orch's environment beyond the allow-list
   * ({@link dev.orch.process.ChildEnvironment}).
   */
  public record Executor(List<String> copyFiles, String setupCommand, boolean buildTools, List<String> env) {
    static Executor from(ConfigValues v) {
      return new Executor(v.get(EXECUTOR_COPY_FILES), v.get(EXECUTOR_SETUP_COMMAND),
          v.get(EXECUTOR_BUILD_TOOLS), v.get(EXECUTOR_ENV));
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
  public record Observer(Duration idleTimeout, Duration runTimeout, double maxCostUsdPerTask, double maxCostUsdPerDay,
      double maxSpendPerHour) {
    static Observer from(ConfigValues v) {
      return new Observer(v.get(OBSERVER_IDLE_TIMEOUT), v.get(OBSERVER_RUN_TIMEOUT),
          v.get(OBSERVER_MAX_COST_USD_PER_TASK), v.get(OBSERVER_MAX_COST_USD_PER_DAY), v.get(OBSERVER_MAX_SPEND_PER_HOUR));
    }
  }

  public record Forge(String kind, String mergeMethod, String updateMethod) {
    static Forge from(ConfigValues v) {
      return new Forge(v.get(FORGE_KIND), v.get(FORGE_MERGE_METHOD), v.get(FORGE_UPDATE_METHOD));
    }
  }

  /**
   * The GitHub forge: the repository, the API (api.github.com, or a GitHub Enterprise or test server), the token
   * (this key, else GH_TOKEN, else GITHUB_TOKEN), the git remote to push to, and how often open pull requests'
   * checks are polled (all in one place).
   */
  public record GitHub(String owner, String repo, String apiUrl, String token, String remote, Duration pollInterval) {
    static GitHub from(ConfigValues v, Map<String, String> env) {
      String token = v.get(GITHUB_TOKEN);
      if (token.isBlank()) {
        token = env.getOrDefault("GH_TOKEN", env.getOrDefault("GITHUB_TOKEN", ""));
      }
      return new GitHub(v.get(GITHUB_OWNER), v.get(GITHUB_REPO), v.get(GITHUB_API_URL), token,
          v.get(GITHUB_REMOTE), v.get(GITHUB_POLL_INTERVAL));
    }

    @Override
    public String toString() {
      return "GitHub[" + owner + "/" + repo + " at " + apiUrl + ", token " + (token.isBlank() ? "missing" : "(set)") + "]";
    }
  }

  /** Commands run against a pull request's head before it may merge; none configured means no checks. */
  public record Checks(List<String> commands, Duration timeout, int maxFixRounds, int outputBudgetChars) {
    static Checks from(ConfigValues v) {
      return new Checks(v.get(CHECKS_COMMANDS), v.get(CHECKS_TIMEOUT), v.get(CHECKS_MAX_FIX_ROUNDS),
          v.get(CHECKS_OUTPUT_BUDGET_CHARS));
    }
  }

  /** Review routing: per category, path globs and patterns on added or removed lines; large changes; the plan's flag. */
  public record Review(int maxChangedLines, Map<String, Category> categories) {
    public record Category(List<String> paths, List<String> patterns) {
    }

    static Review from(ConfigValues v) {
      Map<String, Category> categories = new LinkedHashMap<>();
      category(categories, v, REVIEW_SECURITY_PATHS, REVIEW_SECURITY_PATTERNS);
      category(categories, v, REVIEW_ARCHITECTURE_PATHS, REVIEW_ARCHITECTURE_PATTERNS);
      category(categories, v, REVIEW_MIGRATIONS_PATHS, REVIEW_MIGRATIONS_PATTERNS);
      return new Review(v.get(REVIEW_MAX_CHANGED_LINES), categories);
    }

    /** A category is named by its keys' table: review.security.paths belongs to "security". */
    private static void category(Map<String, Category> categories, ConfigValues v, ConfigKey<List<String>> paths,
        ConfigKey<List<String>> patterns) {
      categories.put(paths.path().split("\\.")[1], new Category(v.get(paths), v.get(patterns)));
    }
  }

  /** Where each kind of event goes; {@code desktopCommand} empty means notify-send (Linux) or osascript (macOS). */
  public record Notifications(boolean desktop, String slackWebhook, String desktopCommand, List<String> desktopEvents,
      List<String> slackEvents) {
    static Notifications from(ConfigValues v) {
      return new Notifications(v.get(NOTIFICATIONS_DESKTOP), v.get(NOTIFICATIONS_SLACK_WEBHOOK),
          v.get(NOTIFICATIONS_DESKTOP_COMMAND), v.get(NOTIFICATIONS_DESKTOP_EVENTS),
          v.get(NOTIFICATIONS_SLACK_EVENTS));
    }

    @Override
    public String toString() {
      return "Notifications[desktop=" + desktop + ", slackWebhook=" + (slackWebhook.isEmpty() ? "" : "(set)") + "]";
    }
  }

  /** Scheduled batches: where schedule.toml is, and whether a batch's running tasks stop when its time is up. */
  public record Batch(Path scheduleFile, boolean stopAtDeadline) {
    static Batch from(ConfigValues v) {
      return new Batch(v.get(BATCH_SCHEDULE_FILE), v.get(BATCH_AT_DEADLINE).equals("stop"));
    }
  }

  /**
   * The shell: telnet on 127.0.0.1 only (it has no login); SSH on {@code sshHost} with a password or a key from
   * {@code sshAuthorizedKeys}; {@code hostKey} empty means a key made on first start in the state folder.
   */
  public record Shell(boolean telnetEnabled, int telnetPort, boolean sshEnabled, String sshHost, int sshPort, String sshUser,
      String sshPassword, Path sshAuthorizedKeys, String hostKey) {
    static Shell from(ConfigValues v) {
      return new Shell(v.get(SHELL_TELNET_ENABLED), v.get(SHELL_TELNET_PORT), v.get(SHELL_SSH_ENABLED),
          v.get(SHELL_SSH_HOST), v.get(SHELL_SSH_PORT), v.get(SHELL_SSH_USER), v.get(SHELL_SSH_PASSWORD),
          v.get(SHELL_SSH_AUTHORIZED_KEYS), v.get(SHELL_HOST_KEY));
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
      return new Web(v.get(WEB_HOST), v.get(WEB_PORT), v.get(WEB_TOKEN), v.get(WEB_REQUIRE_TOKEN),
          v.get(WEB_ALLOWED_HOSTS));
    }

    public Web withPort(int newPort) {
      return new Web(host, newPort, token, requireToken, allowedHosts);
    }

    @Override
    public String toString() {
      return "Web[host=" + host + ", port=" + port + ", token=" + (token.isEmpty() ? "" : "(set)") + ", requireToken="
          + requireToken + ", allowedHosts=" + allowedHosts + "]";
    }
  }

  /**
   * {@code folders}: where overrides are looked for, in order ({@link PromptFolders#of}), resolved once here so the
   * parts of orch that read prompts need not read the environment.
   */
  public record Prompts(Path overrideDir, List<Path> folders) {
    public Prompts {
      folders = List.copyOf(folders);
    }

    static Prompts from(ConfigValues v, UserDirs dirs) {
      Path overrideDir = v.get(PROMPTS_OVERRIDE_DIR);
      return new Prompts(overrideDir, PromptFolders.of(v.get(PROJECT_ROOT), overrideDir, dirs));
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
      // Each command is named by its key's last part: build_pool.commands.build is "build".
      for (ConfigKey<String> key : List.of(BUILD_POOL_COMMANDS_BUILD, BUILD_POOL_COMMANDS_TEST,
          BUILD_POOL_COMMANDS_LINT)) {
        commands.put(key.leaf(), v.get(key));
      }
      return new BuildPool(v.get(BUILD_POOL_ENABLED), v.get(BUILD_POOL_GIT_DAEMON_PORT),
          v.get(BUILD_POOL_GIT_DAEMON_LISTEN_ADDR),
          new LocalFallback(v.get(BUILD_POOL_LOCAL_FALLBACK_ENABLED), v.get(BUILD_POOL_LOCAL_FALLBACK_MAX_JOBS),
              v.get(BUILD_POOL_LOCAL_FALLBACK_WORKTREE_DIR)),
          new Timeouts(v.get(BUILD_POOL_TIMEOUTS_JOB_DEFAULT_SECS),
              v.get(BUILD_POOL_TIMEOUTS_HEARTBEAT_INTERVAL_SECS),
              v.get(BUILD_POOL_TIMEOUTS_HEARTBEAT_TIMEOUT_SECS), v.get(BUILD_POOL_TIMEOUTS_JOB_MAX_SECS)),
          new Cluster(v.get(BUILD_POOL_CLUSTER_HOST), v.get(BUILD_POOL_CLUSTER_PORT),
              v.get(BUILD_POOL_CLUSTER_NAME), v.get(BUILD_POOL_CLUSTER_SECRET), v.get(BUILD_POOL_CLUSTER_MEMBERS),
              v.get(BUILD_POOL_EVENTBUS_PORT), v.get(BUILD_POOL_ADVERTISE_HOST),
              v.get(BUILD_POOL_TLS_KEY_STORE), v.get(BUILD_POOL_TLS_KEY_STORE_PASSWORD),
              v.get(BUILD_POOL_TLS_TRUST_STORE), v.get(BUILD_POOL_TLS_TRUST_STORE_PASSWORD)),
          v.get(BUILD_POOL_KEEP_JOBS), v.get(BUILD_POOL_PRESET), commands, v.get(BUILD_POOL_MCP_PORT),
          v.get(BUILD_POOL_MAX_JOB_OUTPUT_MIB), v.get(BUILD_POOL_KEEP_JOBS_MIB));
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

  /** The same config with another [web] section (a command-line option over the file's value). */
  public OrchConfig withWeb(Web newWeb) {
    return new OrchConfig(source, general, scheduler, claude, executor, observer, forge, github, checks, review,
        notifications, newWeb, prompts, buildPool, shell, batch);
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

  static OrchConfig from(Optional<Path> source, ConfigValues v, Map<String, String> env, UserDirs dirs) {
    return new OrchConfig(source, General.from(v), Scheduler.from(v), Claude.from(v), Executor.from(v), Observer.from(v),
        Forge.from(v), GitHub.from(v, env), Checks.from(v), Review.from(v), Notifications.from(v), Web.from(v), Prompts.from(v, dirs), BuildPool.from(v),
        Shell.from(v), Batch.from(v));
  }
}
