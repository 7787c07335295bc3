package dev.orch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every key orch reads from its TOML config, with defaults. A key missing here is reported as unknown;
 * README.md's config reference lists the same keys.
 */
final class ConfigSchema {
  static final String ENV_PREFIX = "ORCH_";
  static final String PROJECT_ROOT = "general.project_root";

  /**
   * Keys whose values are credentials: an error about one never repeats the value (it would land in a terminal, a
   * log or a CI transcript), and the environment of agents and checks never carries them.
   */
  static final Set<String> SECRET_KEYS = Set.of("github.token", "web.token", "notifications.slack_webhook",
      "shell.ssh_password", "build_pool.cluster_secret", "build_pool.tls.key_store_password",
      "build_pool.tls.trust_store_password");

  private static final Map<String, ConfigKey> KEYS = index(
    ConfigKey.path(PROJECT_ROOT, null),
    ConfigKey.path("general.plans_dir", "${project_root}/docs/plans"),
    ConfigKey.path("general.worktree_dir", "${project_root}/.orch/worktrees"),
    ConfigKey.integer("general.max_parallel_agents", 3, 1, 256),
    ConfigKey.path("general.database_path", "${project_root}/.orch/orch.db"),
    ConfigKey.path("general.log_dir", "${project_root}/.orch/logs"),
    ConfigKey.string("general.main_branch", ""),
    ConfigKey.string("general.branch_prefix", "orch/"),

    ConfigKey.integer("scheduler.max_retries", 2, 0, 100),
    ConfigKey.duration("scheduler.retry_base_delay", "30s"),
    ConfigKey.duration("scheduler.retry_max_delay", "10m"),

    ConfigKey.string("claude.model", "claude-opus-4-5-20251101"),
    ConfigKey.integer("claude.max_tokens", 16000, 1, 1_000_000),
    ConfigKey.string("claude.command", "claude"),
    ConfigKey.stringList("claude.args", List.of()),
    ConfigKey.integer("claude.max_turns", 60, 1, 10_000),
    ConfigKey.choice("claude.permission_mode", "acceptEdits", "acceptEdits", "bypassPermissions", "default", "plan",
        "dontAsk"),
    ConfigKey.stringList("claude.allowed_tools",
        List.of("Bash", "Read", "Edit", "Write", "MultiEdit", "Glob", "Grep", "LS", "TodoWrite", "mcp__orch")),

    ConfigKey.stringList("executor.copy_files", List.of()),
    ConfigKey.string("executor.setup_command", ""),
    ConfigKey.stringList("executor.env", List.of()),
    ConfigKey.bool("executor.build_tools", true),

    ConfigKey.duration("observer.idle_timeout", "10m"),
    ConfigKey.duration("observer.run_timeout", "60m"),
    ConfigKey.decimal("observer.max_cost_usd_per_task", 0),
    ConfigKey.decimal("observer.max_cost_usd_per_day", 0),

    ConfigKey.choice("forge.kind", "local", "local", "github"),
    ConfigKey.choice("forge.merge_method", "squash", "squash", "merge", "rebase"),
    ConfigKey.choice("forge.update_method", "rebase", "rebase", "merge"),

    ConfigKey.string("github.owner", ""),
    ConfigKey.string("github.repo", ""),
    ConfigKey.string("github.api_url", "https://api.github.com"),
    ConfigKey.string("github.token", ""),
    ConfigKey.string("github.remote", "origin"),
    ConfigKey.duration("github.poll_interval", "150s"),

    ConfigKey.stringList("checks.commands", List.of()),
    ConfigKey.duration("checks.timeout", "30m"),
    ConfigKey.integer("checks.max_fix_rounds", 2, 0, 20),
    ConfigKey.integer("checks.output_budget_chars", 4000, 200, 200_000),

    ConfigKey.integer("review.max_changed_lines", 400, 1, 10_000_000),
    ConfigKey.globList("review.security.paths", List.of("**/auth/**", "**/*auth*", "**/security/**",
        "**/*crypto*", "**/*secret*", "**/*credential*", "**/*password*", "**/*token*", "**/*permission*",
        "**/*session*", "**/.env*", "**/*.pem", "**/*.key")),
    ConfigKey.regexList("review.security.patterns", List.of(
        "(?i)\\b(password|passwd|secret|api[_-]?key|private[_-]?key|access[_-]?token|bearer|jwt|oauth|hmac)\\b",
        "(?i)\\b(authenticat\\w*|authori[sz]\\w*|encrypt\\w*|decrypt\\w*|cipher|keystore|truststore)\\b",
        "(?i)\\b(chmod|setuid|sudo|permissions?|session(id|s)?)\\b")),
    ConfigKey.globList("review.architecture.paths", List.of("**/pom.xml", "**/build.gradle*", "**/settings.gradle*",
        "**/go.mod", "**/Cargo.toml", "**/package.json", "**/pyproject.toml", "**/requirements*.txt", "**/Gemfile",
        "**/api/**", "**/public/**")),
    ConfigKey.regexList("review.architecture.patterns", List.of("<dependency>", "^\\s*\"[@\\w./-]+\"\\s*:\\s*\"[~^]?\\d",
        "^\\s*(implementation|api|compile)\\s*[\\(\"']", "^\\s*require\\s+[\\w./-]+\\s+v\\d")),
    ConfigKey.globList("review.migrations.paths", List.of("**/migrations/**", "**/migration/**", "**/db/migrate/**",
        "**/*.sql")),
    ConfigKey.regexList("review.migrations.patterns", List.of("(?i)\\b(create|alter|drop)\\s+table\\b")),

    ConfigKey.bool("notifications.desktop", false),
    ConfigKey.string("notifications.slack_webhook", ""),
    ConfigKey.string("notifications.desktop_command", ""),
    ConfigKey.stringList("notifications.desktop_events", List.of("task_failed", "task_stuck", "pr_flagged",
        "batch_finished")),
    ConfigKey.stringList("notifications.slack_events", List.of("task_complete", "task_failed", "task_stuck",
        "pr_flagged", "batch_finished")),

    ConfigKey.string("web.host", "127.0.0.1"),
    ConfigKey.integer("web.port", 8080, 0, 65535),
    ConfigKey.string("web.token", ""),
    ConfigKey.bool("web.require_token", false),
    ConfigKey.stringList("web.allowed_hosts", List.of()),
    ConfigKey.path("batch.schedule_file", "~/.config/claude-plan-orchestrator/schedule.toml"),
    ConfigKey.choice("batch.at_deadline", "finish", "finish", "stop"),
    ConfigKey.bool("shell.telnet_enabled", false),
    ConfigKey.integer("shell.telnet_port", 5000, 0, 65535),
    ConfigKey.bool("shell.ssh_enabled", false),
    ConfigKey.string("shell.ssh_host", "127.0.0.1"),
    ConfigKey.integer("shell.ssh_port", 5022, 0, 65535),
    ConfigKey.string("shell.ssh_user", "orch"),
    ConfigKey.string("shell.ssh_password", ""),
    ConfigKey.path("shell.ssh_authorized_keys", "~/.ssh/authorized_keys"),
    ConfigKey.string("shell.host_key", ""),

    ConfigKey.path("prompts.override_dir", "~/.config/claude-orchestrator/prompts"),

    ConfigKey.bool("build_pool.enabled", false),
    ConfigKey.retired("build_pool.websocket_port",
        "build agents join orch's clustered event bus; see [build_pool] cluster_port"),
    ConfigKey.integer("build_pool.git_daemon_port", 9418, 0, 65535),
    ConfigKey.string("build_pool.git_daemon_listen_addr", "127.0.0.1"),
    ConfigKey.string("build_pool.cluster_host", "127.0.0.1"),
    ConfigKey.integer("build_pool.cluster_port", 5701, 0, 65535),
    ConfigKey.string("build_pool.cluster_name", "orch"),
    ConfigKey.string("build_pool.cluster_secret", ""),
    ConfigKey.integer("build_pool.mcp_port", 0, 0, 65535),
    ConfigKey.stringList("build_pool.cluster_members", List.of()),
    ConfigKey.integer("build_pool.eventbus_port", 0, 0, 65535),
    ConfigKey.string("build_pool.advertise_host", ""),
    ConfigKey.string("build_pool.tls.key_store", ""),
    ConfigKey.string("build_pool.tls.key_store_password", ""),
    ConfigKey.string("build_pool.tls.trust_store", ""),
    ConfigKey.string("build_pool.tls.trust_store_password", ""),
    ConfigKey.integer("build_pool.keep_jobs", 200, 1, 100_000),
    ConfigKey.integer("build_pool.keep_jobs_mib", 2048, 1, 1024 * 1024),
    ConfigKey.integer("build_pool.max_job_output_mib", 64, 1, 64 * 1024),
    ConfigKey.choice("build_pool.preset", "auto", "auto", "maven", "gradle", "cargo", "npm", "go", "make"),
    ConfigKey.string("build_pool.commands.build", ""),
    ConfigKey.string("build_pool.commands.test", ""),
    ConfigKey.string("build_pool.commands.lint", ""),
    ConfigKey.bool("build_pool.local_fallback.enabled", true),
    ConfigKey.integer("build_pool.local_fallback.max_jobs", 2, 1, 256),
    ConfigKey.path("build_pool.local_fallback.worktree_dir", "${project_root}/.orch/build-pool"),
    ConfigKey.integer("build_pool.timeouts.job_default_secs", 300, 1, 7 * 24 * 3600),
    ConfigKey.integer("build_pool.timeouts.job_max_secs", 7200, 1, 7 * 24 * 3600),
    ConfigKey.integer("build_pool.timeouts.heartbeat_interval_secs", 30, 1, 3600),
    ConfigKey.integer("build_pool.timeouts.heartbeat_timeout_secs", 90, 1, 3 * 3600));

  private ConfigSchema() {
  }

  /** Built once, in the order written above (README's table follows it); nothing changes it afterwards. */
  private static Map<String, ConfigKey> index(ConfigKey... keys) {
    Map<String, ConfigKey> byPath = new LinkedHashMap<>();
    for (ConfigKey key : keys) {
      if (byPath.put(key.path(), key) != null) {
        throw new IllegalStateException("config key listed twice: " + key.path());
      }
    }
    return Collections.unmodifiableMap(byPath);
  }

  static Optional<ConfigKey> key(String path) {
    return Optional.ofNullable(KEYS.get(path));
  }

  static List<ConfigKey> keys() {
    return List.copyOf(KEYS.values());
  }

  /** True when {@code path} is a table that holds known keys ({@code build_pool}, {@code build_pool.timeouts}). */
  static boolean isSection(String path) {
    String prefix = path + ".";
    return KEYS.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }
}
