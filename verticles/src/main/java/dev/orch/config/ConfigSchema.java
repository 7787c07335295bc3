package dev.orch.config;

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

  private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

  /**
   * Keys whose values are credentials: an error about one never repeats the value (it would land in a terminal, a
   * log or a CI transcript), and the environment of agents and checks never carries them.
   */
  static final Set<String> SECRET_KEYS = Set.of("github.token", "web.token", "notifications.slack_webhook",
      "shell.ssh_password", "build_pool.cluster_secret", "build_pool.tls.key_store_password",
      "build_pool.tls.trust_store_password");

  static {
    add(ConfigKey.path(PROJECT_ROOT, null));
    add(ConfigKey.path("general.plans_dir", "${project_root}/docs/plans"));
    add(ConfigKey.path("general.worktree_dir", "${project_root}/.orch/worktrees"));
    add(ConfigKey.integer("general.max_parallel_agents", 3, 1, 256));
    add(ConfigKey.path("general.database_path", "${project_root}/.orch/orch.db"));
    add(ConfigKey.path("general.log_dir", "${project_root}/.orch/logs"));
    add(ConfigKey.string("general.main_branch", ""));
    add(ConfigKey.string("general.branch_prefix", "orch/"));

    add(ConfigKey.integer("scheduler.max_retries", 2, 0, 100));
    add(ConfigKey.duration("scheduler.retry_base_delay", "30s"));
    add(ConfigKey.duration("scheduler.retry_max_delay", "10m"));

    add(ConfigKey.string("claude.model", "claude-opus-4-5-20251101"));
    add(ConfigKey.integer("claude.max_tokens", 16000, 1, 1_000_000));
    add(ConfigKey.string("claude.command", "claude"));
    add(ConfigKey.stringList("claude.args", List.of()));
    add(ConfigKey.integer("claude.max_turns", 60, 1, 10_000));
    add(ConfigKey.choice("claude.permission_mode", "acceptEdits", "acceptEdits", "bypassPermissions", "default", "plan",
        "dontAsk"));
    add(ConfigKey.stringList("claude.allowed_tools",
        List.of("Bash", "Read", "Edit", "Write", "MultiEdit", "Glob", "Grep", "LS", "TodoWrite", "mcp__orch")));

    add(ConfigKey.stringList("executor.copy_files", List.of()));
    add(ConfigKey.string("executor.setup_command", ""));
    add(ConfigKey.stringList("executor.env", List.of()));
    add(ConfigKey.bool("executor.build_tools", true));

    add(ConfigKey.duration("observer.idle_timeout", "10m"));
    add(ConfigKey.duration("observer.run_timeout", "60m"));
    add(ConfigKey.decimal("observer.max_cost_usd_per_task", 0));
    add(ConfigKey.decimal("observer.max_cost_usd_per_day", 0));

    add(ConfigKey.choice("forge.kind", "local", "local", "github"));
    add(ConfigKey.choice("forge.merge_method", "squash", "squash", "merge", "rebase"));
    add(ConfigKey.choice("forge.update_method", "rebase", "rebase", "merge"));

    add(ConfigKey.string("github.owner", ""));
    add(ConfigKey.string("github.repo", ""));
    add(ConfigKey.string("github.api_url", "https://api.github.com"));
    add(ConfigKey.string("github.token", ""));
    add(ConfigKey.string("github.remote", "origin"));
    add(ConfigKey.duration("github.poll_interval", "150s"));

    add(ConfigKey.stringList("checks.commands", List.of()));
    add(ConfigKey.duration("checks.timeout", "30m"));
    add(ConfigKey.integer("checks.max_fix_rounds", 2, 0, 20));
    add(ConfigKey.integer("checks.output_budget_chars", 4000, 200, 200_000));

    add(ConfigKey.integer("review.max_changed_lines", 400, 1, 10_000_000));
    add(ConfigKey.globList("review.security.paths", List.of("**/auth/**", "**/*auth*", "**/security/**",
        "**/*crypto*", "**/*secret*", "**/*credential*", "**/*password*", "**/*token*", "**/*permission*",
        "**/*session*", "**/.env*", "**/*.pem", "**/*.key")));
    add(ConfigKey.regexList("review.security.patterns", List.of(
        "(?i)\\b(password|passwd|secret|api[_-]?key|private[_-]?key|access[_-]?token|bearer|jwt|oauth|hmac)\\b",
        "(?i)\\b(authenticat\\w*|authori[sz]\\w*|encrypt\\w*|decrypt\\w*|cipher|keystore|truststore)\\b",
        "(?i)\\b(chmod|setuid|sudo|permissions?|session(id|s)?)\\b")));
    add(ConfigKey.globList("review.architecture.paths", List.of("**/pom.xml", "**/build.gradle*", "**/settings.gradle*",
        "**/go.mod", "**/Cargo.toml", "**/package.json", "**/pyproject.toml", "**/requirements*.txt", "**/Gemfile",
        "**/api/**", "**/public/**")));
    add(ConfigKey.regexList("review.architecture.patterns", List.of("<dependency>", "^\\s*\"[@\\w./-]+\"\\s*:\\s*\"[~^]?\\d",
        "^\\s*(implementation|api|compile)\\s*[\\(\"']", "^\\s*require\\s+[\\w./-]+\\s+v\\d")));
    add(ConfigKey.globList("review.migrations.paths", List.of("**/migrations/**", "**/migration/**", "**/db/migrate/**",
        "**/*.sql")));
    add(ConfigKey.regexList("review.migrations.patterns", List.of("(?i)\\b(create|alter|drop)\\s+table\\b")));

    add(ConfigKey.bool("notifications.desktop", false));
    add(ConfigKey.string("notifications.slack_webhook", ""));
    add(ConfigKey.string("notifications.desktop_command", ""));
    add(ConfigKey.stringList("notifications.desktop_events", List.of("task_failed", "task_stuck", "pr_flagged",
        "batch_finished")));
    add(ConfigKey.stringList("notifications.slack_events", List.of("task_complete", "task_failed", "task_stuck",
        "pr_flagged", "batch_finished")));

    add(ConfigKey.string("web.host", "127.0.0.1"));
    add(ConfigKey.integer("web.port", 8080, 0, 65535));
    add(ConfigKey.string("web.token", ""));
    add(ConfigKey.bool("web.require_token", false));
    add(ConfigKey.stringList("web.allowed_hosts", List.of()));
    add(ConfigKey.path("batch.schedule_file", "~/.config/claude-plan-orchestrator/schedule.toml"));
    add(ConfigKey.choice("batch.at_deadline", "finish", "finish", "stop"));
    add(ConfigKey.bool("shell.telnet_enabled", false));
    add(ConfigKey.integer("shell.telnet_port", 5000, 0, 65535));
    add(ConfigKey.bool("shell.ssh_enabled", false));
    add(ConfigKey.string("shell.ssh_host", "127.0.0.1"));
    add(ConfigKey.integer("shell.ssh_port", 5022, 0, 65535));
    add(ConfigKey.string("shell.ssh_user", "orch"));
    add(ConfigKey.string("shell.ssh_password", ""));
    add(ConfigKey.path("shell.ssh_authorized_keys", "~/.ssh/authorized_keys"));
    add(ConfigKey.string("shell.host_key", ""));

    add(ConfigKey.path("prompts.override_dir", "~/.config/claude-orchestrator/prompts"));

    add(ConfigKey.bool("build_pool.enabled", false));
    add(ConfigKey.retired("build_pool.websocket_port",
        "build agents join orch's clustered event bus; see [build_pool] cluster_port"));
    add(ConfigKey.integer("build_pool.git_daemon_port", 9418, 0, 65535));
    add(ConfigKey.string("build_pool.git_daemon_listen_addr", "127.0.0.1"));
    add(ConfigKey.string("build_pool.cluster_host", "127.0.0.1"));
    add(ConfigKey.integer("build_pool.cluster_port", 5701, 0, 65535));
    add(ConfigKey.string("build_pool.cluster_name", "orch"));
    add(ConfigKey.string("build_pool.cluster_secret", ""));
    add(ConfigKey.integer("build_pool.mcp_port", 0, 0, 65535));
    add(ConfigKey.stringList("build_pool.cluster_members", List.of()));
    add(ConfigKey.integer("build_pool.eventbus_port", 0, 0, 65535));
    add(ConfigKey.string("build_pool.advertise_host", ""));
    add(ConfigKey.string("build_pool.tls.key_store", ""));
    add(ConfigKey.string("build_pool.tls.key_store_password", ""));
    add(ConfigKey.string("build_pool.tls.trust_store", ""));
    add(ConfigKey.string("build_pool.tls.trust_store_password", ""));
    add(ConfigKey.integer("build_pool.keep_jobs", 200, 1, 100_000));
    add(ConfigKey.integer("build_pool.keep_jobs_mib", 2048, 1, 1024 * 1024));
    add(ConfigKey.integer("build_pool.max_job_output_mib", 64, 1, 64 * 1024));
    add(ConfigKey.choice("build_pool.preset", "auto", "auto", "maven", "gradle", "cargo", "npm", "go", "make"));
    add(ConfigKey.string("build_pool.commands.build", ""));
    add(ConfigKey.string("build_pool.commands.test", ""));
    add(ConfigKey.string("build_pool.commands.lint", ""));
    add(ConfigKey.bool("build_pool.local_fallback.enabled", true));
    add(ConfigKey.integer("build_pool.local_fallback.max_jobs", 2, 1, 256));
    add(ConfigKey.path("build_pool.local_fallback.worktree_dir", "${project_root}/.orch/build-pool"));
    add(ConfigKey.integer("build_pool.timeouts.job_default_secs", 300, 1, 7 * 24 * 3600));
    add(ConfigKey.integer("build_pool.timeouts.job_max_secs", 7200, 1, 7 * 24 * 3600));
    add(ConfigKey.integer("build_pool.timeouts.heartbeat_interval_secs", 30, 1, 3600));
    add(ConfigKey.integer("build_pool.timeouts.heartbeat_timeout_secs", 90, 1, 3 * 3600));
  }

  private ConfigSchema() {
  }

  private static void add(ConfigKey key) {
    KEYS.put(key.path(), key);
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
