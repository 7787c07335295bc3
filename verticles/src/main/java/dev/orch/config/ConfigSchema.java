package dev.orch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every key orch reads from its TOML config, with defaults. A key missing here is reported as unknown;
 * README.md's config reference lists the same keys. Each key is a typed constant, declared once: {@link OrchConfig}
 * reads its sections through them, so a key's name, type and default are written nowhere else.
 */
final class ConfigSchema {
  static final String ENV_PREFIX = "ORCH_";

  /** Every key in the order written below (README's table follows it); filled as the constants are initialised. */
  private static final List<ConfigKey<?>> DECLARED = new ArrayList<>();

  static final ConfigKey<Path> PROJECT_ROOT = path("general.project_root", null);
  static final ConfigKey<Path> GENERAL_PLANS_DIR = path("general.plans_dir", "${project_root}/docs/plans");
  static final ConfigKey<Path> GENERAL_WORKTREE_DIR = path("general.worktree_dir", "${project_root}/.orch/worktrees");
  static final ConfigKey<Integer> GENERAL_MAX_PARALLEL_AGENTS = integer("general.max_parallel_agents", 3, 1, 256);
  static final ConfigKey<Path> GENERAL_DATABASE_PATH = path("general.database_path", "${project_root}/.orch/orch.db");
  static final ConfigKey<Path> GENERAL_LOG_DIR = path("general.log_dir", "${project_root}/.orch/logs");
  static final ConfigKey<String> GENERAL_LOG_FORMAT = choice("general.log_format", "text", "text", "json");
  static final ConfigKey<String> GENERAL_MAIN_BRANCH = string("general.main_branch", "");
  static final ConfigKey<String> GENERAL_BRANCH_PREFIX = string("general.branch_prefix", "orch/");

  static final ConfigKey<Integer> SCHEDULER_MAX_RETRIES = integer("scheduler.max_retries", 2, 0, 100);
  static final ConfigKey<Duration> SCHEDULER_RETRY_BASE_DELAY = duration("scheduler.retry_base_delay", "30s");
  static final ConfigKey<Duration> SCHEDULER_RETRY_MAX_DELAY = duration("scheduler.retry_max_delay", "10m");
  static final ConfigKey<String> SCHEDULER_FOOTPRINT = choice("scheduler.footprint", "prefer", "strict", "prefer", "off");

  static final ConfigKey<String> CLAUDE_MODEL = string("claude.model", "claude-opus-4-5-20251101");
  static final ConfigKey<Integer> CLAUDE_MAX_TOKENS = integer("claude.max_tokens", 16000, 1, 1_000_000);
  static final ConfigKey<String> CLAUDE_COMMAND = string("claude.command", "claude");
  static final ConfigKey<List<String>> CLAUDE_ARGS = stringList("claude.args", List.of());
  static final ConfigKey<Integer> CLAUDE_MAX_TURNS = integer("claude.max_turns", 60, 1, 10_000);
  static final ConfigKey<String> CLAUDE_PERMISSION_MODE =
      choice("claude.permission_mode", "acceptEdits", "acceptEdits", "bypassPermissions", "default", "plan",
          "dontAsk");
  static final ConfigKey<List<String>> CLAUDE_ALLOWED_TOOLS = stringList("claude.allowed_tools",
      List.of("Bash", "Read", "Edit", "Write", "MultiEdit", "Glob", "Grep", "LS", "TodoWrite", "mcp__orch"));

  static final ConfigKey<List<String>> EXECUTOR_COPY_FILES = stringList("executor.copy_files", List.of());
  static final ConfigKey<String> EXECUTOR_SETUP_COMMAND = string("executor.setup_command", "");
  static final ConfigKey<List<String>> EXECUTOR_ENV = stringList("executor.env", List.of());
  static final ConfigKey<Boolean> EXECUTOR_BUILD_TOOLS = bool("executor.build_tools", true);

  static final ConfigKey<Duration> OBSERVER_IDLE_TIMEOUT = duration("observer.idle_timeout", "10m");
  static final ConfigKey<Duration> OBSERVER_RUN_TIMEOUT = duration("observer.run_timeout", "60m");
  static final ConfigKey<Double> OBSERVER_MAX_COST_USD_PER_TASK = decimal("observer.max_cost_usd_per_task", 0);
  static final ConfigKey<Double> OBSERVER_MAX_COST_USD_PER_DAY = decimal("observer.max_cost_usd_per_day", 0);
  static final ConfigKey<Double> OBSERVER_MAX_SPEND_PER_HOUR = decimal("observer.max_spend_per_hour", 0);

  static final ConfigKey<String> FORGE_KIND = choice("forge.kind", "local", "local", "github");
  static final ConfigKey<String> FORGE_MERGE_METHOD =
      choice("forge.merge_method", "squash", "squash", "merge", "rebase");
  static final ConfigKey<String> FORGE_UPDATE_METHOD = choice("forge.update_method", "rebase", "rebase", "merge");

  static final ConfigKey<String> GITHUB_OWNER = string("github.owner", "");
  static final ConfigKey<String> GITHUB_REPO = string("github.repo", "");
  static final ConfigKey<String> GITHUB_API_URL = string("github.api_url", "https://api.github.com");
  static final ConfigKey<String> GITHUB_TOKEN = string("github.token", "");
  static final ConfigKey<String> GITHUB_REMOTE = string("github.remote", "origin");
  static final ConfigKey<Duration> GITHUB_POLL_INTERVAL = duration("github.poll_interval", "150s");

  static final ConfigKey<List<String>> CHECKS_COMMANDS = stringList("checks.commands", List.of());
  static final ConfigKey<Duration> CHECKS_TIMEOUT = duration("checks.timeout", "30m");
  static final ConfigKey<Integer> CHECKS_MAX_FIX_ROUNDS = integer("checks.max_fix_rounds", 2, 0, 20);
  static final ConfigKey<Integer> CHECKS_OUTPUT_BUDGET_CHARS =
      integer("checks.output_budget_chars", 4000, 200, 200_000);

  static final ConfigKey<Integer> REVIEW_MAX_CHANGED_LINES = integer("review.max_changed_lines", 400, 1, 10_000_000);
  static final ConfigKey<List<String>> REVIEW_SECURITY_PATHS =
      globList("review.security.paths", List.of("**/auth/**", "**/*auth*", "**/security/**",
          "**/*crypto*", "**/*secret*", "**/*credential*", "**/*password*", "**/*token*", "**/*permission*",
          "**/*session*", "**/.env*", "**/*.pem", "**/*.key"));
  static final ConfigKey<List<String>> REVIEW_SECURITY_PATTERNS = regexList("review.security.patterns", List.of(
      "(?i)\\b(password|passwd|secret|api[_-]?key|private[_-]?key|access[_-]?token|bearer|jwt|oauth|hmac)\\b",
      "(?i)\\b(authenticat\\w*|authori[sz]\\w*|encrypt\\w*|decrypt\\w*|cipher|keystore|truststore)\\b",
      "(?i)\\b(chmod|setuid|sudo|permissions?|session(id|s)?)\\b"));
  static final ConfigKey<List<String>> REVIEW_ARCHITECTURE_PATHS =
      globList("review.architecture.paths", List.of("**/pom.xml", "**/build.gradle*", "**/settings.gradle*",
          "**/go.mod", "**/Cargo.toml", "**/package.json", "**/pyproject.toml", "**/requirements*.txt", "**/Gemfile",
          "**/api/**", "**/public/**"));
  static final ConfigKey<List<String>> REVIEW_ARCHITECTURE_PATTERNS =
      regexList("review.architecture.patterns", List.of("<dependency>", "^\\s*\"[@\\w./-]+\"\\s*:\\s*\"[~^]?\\d",
          "^\\s*(implementation|api|compile)\\s*[\\(\"']", "^\\s*require\\s+[\\w./-]+\\s+v\\d"));
  static final ConfigKey<List<String>> REVIEW_MIGRATIONS_PATHS =
      globList("review.migrations.paths", List.of("**/migrations/**", "**/migration/**", "**/db/migrate/**",
          "**/*.sql"));
  static final ConfigKey<List<String>> REVIEW_MIGRATIONS_PATTERNS =
      regexList("review.migrations.patterns", List.of("(?i)\\b(create|alter|drop)\\s+table\\b"));

  static final ConfigKey<Boolean> NOTIFICATIONS_DESKTOP = bool("notifications.desktop", false);
  static final ConfigKey<String> NOTIFICATIONS_SLACK_WEBHOOK = string("notifications.slack_webhook", "");
  static final ConfigKey<String> NOTIFICATIONS_DESKTOP_COMMAND = string("notifications.desktop_command", "");
  static final ConfigKey<List<String>> NOTIFICATIONS_DESKTOP_EVENTS =
      stringList("notifications.desktop_events", List.of("task_failed", "task_stuck", "pr_flagged",
          "batch_finished", "plan_parked", "plan_resumed"));
  static final ConfigKey<List<String>> NOTIFICATIONS_SLACK_EVENTS =
      stringList("notifications.slack_events", List.of("task_complete", "task_failed", "task_stuck",
          "pr_flagged", "batch_finished", "plan_parked", "plan_resumed"));

  static final ConfigKey<String> WEB_HOST = string("web.host", "127.0.0.1");
  static final ConfigKey<Integer> WEB_PORT = integer("web.port", 8080, 0, 65535);
  static final ConfigKey<String> WEB_TOKEN = string("web.token", "");
  static final ConfigKey<Boolean> WEB_REQUIRE_TOKEN = bool("web.require_token", false);
  static final ConfigKey<List<String>> WEB_ALLOWED_HOSTS = stringList("web.allowed_hosts", List.of());

  static final ConfigKey<Path> BATCH_SCHEDULE_FILE =
      path("batch.schedule_file", "~/.config/claude-plan-orchestrator/schedule.toml");
  static final ConfigKey<String> BATCH_AT_DEADLINE = choice("batch.at_deadline", "finish", "finish", "stop");

  static final ConfigKey<Boolean> SHELL_TELNET_ENABLED = bool("shell.telnet_enabled", false);
  static final ConfigKey<Integer> SHELL_TELNET_PORT = integer("shell.telnet_port", 5000, 0, 65535);
  static final ConfigKey<Boolean> SHELL_SSH_ENABLED = bool("shell.ssh_enabled", false);
  static final ConfigKey<String> SHELL_SSH_HOST = string("shell.ssh_host", "127.0.0.1");
  static final ConfigKey<Integer> SHELL_SSH_PORT = integer("shell.ssh_port", 5022, 0, 65535);
  static final ConfigKey<String> SHELL_SSH_USER = string("shell.ssh_user", "orch");
  static final ConfigKey<String> SHELL_SSH_PASSWORD = string("shell.ssh_password", "");
  static final ConfigKey<Path> SHELL_SSH_AUTHORIZED_KEYS = path("shell.ssh_authorized_keys", "~/.ssh/authorized_keys");
  static final ConfigKey<String> SHELL_HOST_KEY = string("shell.host_key", "");

  static final ConfigKey<Path> PROMPTS_OVERRIDE_DIR =
      path("prompts.override_dir", "~/.config/claude-orchestrator/prompts");

  static final ConfigKey<Boolean> BUILD_POOL_ENABLED = bool("build_pool.enabled", false);
  static final ConfigKey<Void> BUILD_POOL_WEBSOCKET_PORT = retired("build_pool.websocket_port",
      "build agents join orch's clustered event bus; see [build_pool] cluster_port");
  static final ConfigKey<Integer> BUILD_POOL_GIT_DAEMON_PORT = integer("build_pool.git_daemon_port", 9418, 0, 65535);
  static final ConfigKey<String> BUILD_POOL_GIT_DAEMON_LISTEN_ADDR =
      string("build_pool.git_daemon_listen_addr", "127.0.0.1");
  static final ConfigKey<String> BUILD_POOL_CLUSTER_HOST = string("build_pool.cluster_host", "127.0.0.1");
  static final ConfigKey<Integer> BUILD_POOL_CLUSTER_PORT = integer("build_pool.cluster_port", 5701, 0, 65535);
  static final ConfigKey<String> BUILD_POOL_CLUSTER_NAME = string("build_pool.cluster_name", "orch");
  static final ConfigKey<String> BUILD_POOL_CLUSTER_SECRET = string("build_pool.cluster_secret", "");
  static final ConfigKey<Integer> BUILD_POOL_MCP_PORT = integer("build_pool.mcp_port", 0, 0, 65535);
  static final ConfigKey<List<String>> BUILD_POOL_CLUSTER_MEMBERS = stringList("build_pool.cluster_members", List.of());
  static final ConfigKey<Integer> BUILD_POOL_EVENTBUS_PORT = integer("build_pool.eventbus_port", 0, 0, 65535);
  static final ConfigKey<String> BUILD_POOL_ADVERTISE_HOST = string("build_pool.advertise_host", "");
  static final ConfigKey<String> BUILD_POOL_TLS_KEY_STORE = string("build_pool.tls.key_store", "");
  static final ConfigKey<String> BUILD_POOL_TLS_KEY_STORE_PASSWORD = string("build_pool.tls.key_store_password", "");
  static final ConfigKey<String> BUILD_POOL_TLS_TRUST_STORE = string("build_pool.tls.trust_store", "");
  static final ConfigKey<String> BUILD_POOL_TLS_TRUST_STORE_PASSWORD =
      string("build_pool.tls.trust_store_password", "");
  static final ConfigKey<Integer> BUILD_POOL_KEEP_JOBS = integer("build_pool.keep_jobs", 200, 1, 100_000);
  static final ConfigKey<Integer> BUILD_POOL_KEEP_JOBS_MIB = integer("build_pool.keep_jobs_mib", 2048, 1, 1024 * 1024);
  static final ConfigKey<Integer> BUILD_POOL_MAX_JOB_OUTPUT_MIB =
      integer("build_pool.max_job_output_mib", 64, 1, 64 * 1024);
  static final ConfigKey<String> BUILD_POOL_PRESET =
      choice("build_pool.preset", "auto", "auto", "maven", "gradle", "cargo", "npm", "go", "make");
  static final ConfigKey<String> BUILD_POOL_COMMANDS_BUILD = string("build_pool.commands.build", "");
  static final ConfigKey<String> BUILD_POOL_COMMANDS_TEST = string("build_pool.commands.test", "");
  static final ConfigKey<String> BUILD_POOL_COMMANDS_LINT = string("build_pool.commands.lint", "");
  static final ConfigKey<Boolean> BUILD_POOL_LOCAL_FALLBACK_ENABLED = bool("build_pool.local_fallback.enabled", true);
  static final ConfigKey<Integer> BUILD_POOL_LOCAL_FALLBACK_MAX_JOBS =
      integer("build_pool.local_fallback.max_jobs", 2, 1, 256);
  static final ConfigKey<Path> BUILD_POOL_LOCAL_FALLBACK_WORKTREE_DIR =
      path("build_pool.local_fallback.worktree_dir", "${project_root}/.orch/build-pool");
  static final ConfigKey<Integer> BUILD_POOL_TIMEOUTS_JOB_DEFAULT_SECS =
      integer("build_pool.timeouts.job_default_secs", 300, 1, 7 * 24 * 3600);
  static final ConfigKey<Integer> BUILD_POOL_TIMEOUTS_JOB_MAX_SECS =
      integer("build_pool.timeouts.job_max_secs", 7200, 1, 7 * 24 * 3600);
  static final ConfigKey<Integer> BUILD_POOL_TIMEOUTS_HEARTBEAT_INTERVAL_SECS =
      integer("build_pool.timeouts.heartbeat_interval_secs", 30, 1, 3600);
  static final ConfigKey<Integer> BUILD_POOL_TIMEOUTS_HEARTBEAT_TIMEOUT_SECS =
      integer("build_pool.timeouts.heartbeat_timeout_secs", 90, 1, 3 * 3600);

  /**
   * Keys whose values are credentials: an error about one never repeats the value (it would land in a terminal, a
   * log or a CI transcript), and the environment of agents and checks never carries them.
   */
  static final Set<ConfigKey<String>> SECRET_KEYS = Set.of(GITHUB_TOKEN, WEB_TOKEN, NOTIFICATIONS_SLACK_WEBHOOK,
      SHELL_SSH_PASSWORD, BUILD_POOL_CLUSTER_SECRET, BUILD_POOL_TLS_KEY_STORE_PASSWORD,
      BUILD_POOL_TLS_TRUST_STORE_PASSWORD);

  private static final Map<String, ConfigKey<?>> KEYS = index(DECLARED);

  private ConfigSchema() {
  }

  private static <T> ConfigKey<T> declare(ConfigKey<T> key) {
    DECLARED.add(key);
    return key;
  }

  private static ConfigKey<String> string(String path, String defaultValue) {
    return declare(ConfigKey.string(path, defaultValue));
  }

  private static ConfigKey<Path> path(String path, String defaultValue) {
    return declare(ConfigKey.path(path, defaultValue));
  }

  private static ConfigKey<Integer> integer(String path, int defaultValue, long min, long max) {
    return declare(ConfigKey.integer(path, defaultValue, min, max));
  }

  private static ConfigKey<Double> decimal(String path, double defaultValue) {
    return declare(ConfigKey.decimal(path, defaultValue));
  }

  private static ConfigKey<Boolean> bool(String path, boolean defaultValue) {
    return declare(ConfigKey.bool(path, defaultValue));
  }

  private static ConfigKey<String> choice(String path, String defaultValue, String... choices) {
    return declare(ConfigKey.choice(path, defaultValue, choices));
  }

  private static ConfigKey<List<String>> stringList(String path, List<String> defaultValue) {
    return declare(ConfigKey.stringList(path, defaultValue));
  }

  private static ConfigKey<List<String>> regexList(String path, List<String> defaultValue) {
    return declare(ConfigKey.regexList(path, defaultValue));
  }

  private static ConfigKey<List<String>> globList(String path, List<String> defaultValue) {
    return declare(ConfigKey.globList(path, defaultValue));
  }

  private static ConfigKey<Duration> duration(String path, String defaultValue) {
    return declare(ConfigKey.duration(path, defaultValue));
  }

  private static ConfigKey<Void> retired(String path, String why) {
    return declare(ConfigKey.retired(path, why));
  }

  /** Built once, in the order written above; nothing changes it afterwards. */
  private static Map<String, ConfigKey<?>> index(List<ConfigKey<?>> keys) {
    Map<String, ConfigKey<?>> byPath = new LinkedHashMap<>();
    for (ConfigKey<?> key : keys) {
      if (byPath.put(key.path(), key) != null) {
        throw new IllegalStateException("config key listed twice: " + key.path());
      }
    }
    return Collections.unmodifiableMap(byPath);
  }

  static Optional<ConfigKey<?>> key(String path) {
    return Optional.ofNullable(KEYS.get(path));
  }

  static List<ConfigKey<?>> keys() {
    return List.copyOf(KEYS.values());
  }

  /** True when {@code path} is a table that holds known keys ({@code build_pool}, {@code build_pool.timeouts}). */
  static boolean isSection(String path) {
    String prefix = path + ".";
    return KEYS.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }
}
