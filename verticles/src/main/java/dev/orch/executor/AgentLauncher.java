package dev.orch.executor;

import dev.orch.process.ChildEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the agent CLI headless for one run: the prompt on stdin (a plan can be larger than one argument may be),
 * stream-json on stdout straight into the run's log file (so output survives orch and a restarted orch can re-attach),
 * stderr beside it. The flags follow the Claude Code CLI; the command and its extra arguments are configurable.
 */
final class AgentLauncher {
  /**
   * What to run: the binary (split on spaces, so "npx claude" works), model, limits and permissions. {@code maxTokens}
   * is {@code claude.max_tokens}: the CLI takes its output-token limit from {@link #MAX_OUTPUT_TOKENS} only (it lowers
   * a value above what the model allows).
   */
  record Settings(String command, List<String> extraArgs, String model, int maxTokens, int maxTurns,
      String permissionMode, List<String> allowedTools) {
  }

  static final String MAX_OUTPUT_TOKENS = "CLAUDE_CODE_MAX_OUTPUT_TOKENS";
  static final String MAX_RETRIES = "CLAUDE_CODE_MAX_RETRIES";
  /**
   * The CLI's own retries of a refused request. Left at its default (10, doubling to 32 s) each agent would hammer a
   * rate-limited API for three minutes on its own; two retries (about 1.5 s) ride out a blip, then the run ends as
   * limited and orch's one governor decides for every agent when to try again.
   */
  static final int API_RETRIES = 2;

  /** One launch: where, with which files, and whether it continues an earlier session. */
  record Launch(Path worktree, Path promptFile, Path logFile, Path stderrFile, Path mcpConfig, String sessionId,
      boolean resume, boolean hasGitIdentity) {
  }

  private final Settings settings;
  private final ChildEnvironment childEnv;
  private final Map<String, String> extraEnv;

  /** {@code extraEnv}: variables orch itself sets for its agents (a demo's scripted model), on top of {@code childEnv}. */
  AgentLauncher(Settings settings, ChildEnvironment childEnv, Map<String, String> extraEnv) {
    this.settings = settings;
    this.childEnv = childEnv;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  List<String> command(Launch launch) {
    List<String> command = new ArrayList<>(List.of(settings.command().trim().split("\\s+")));
    command.add("-p");
    command.addAll(List.of("--output-format", "stream-json", "--verbose"));
    command.addAll(List.of("--model", settings.model()));
    command.addAll(List.of("--max-turns", String.valueOf(settings.maxTurns())));
    if (launch.resume()) {
      command.addAll(List.of("--resume", launch.sessionId()));
    } else {
      command.addAll(List.of("--session-id", launch.sessionId()));
    }
    command.addAll(List.of("--mcp-config", launch.mcpConfig().toString(), "--strict-mcp-config"));
    command.addAll(List.of("--permission-mode", settings.permissionMode()));
    if (!settings.allowedTools().isEmpty()) {
      command.addAll(List.of("--allowedTools", String.join(",", settings.allowedTools())));
    }
    command.addAll(settings.extraArgs());
    return command;
  }

  /** Blocking: starts the process. */
  Process start(Launch launch) {
    ProcessBuilder builder = new ProcessBuilder(command(launch))
        .directory(launch.worktree().toFile())
        .redirectInput(launch.promptFile().toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(launch.stderrFile().toFile()));
    childEnv.applyTo(builder).environment().putAll(extraEnv);
    builder.environment().put(MAX_OUTPUT_TOKENS, Integer.toString(settings.maxTokens()));
    builder.environment().putIfAbsent(MAX_RETRIES, Integer.toString(API_RETRIES));
    if (!launch.hasGitIdentity()) {
      // Agents commit their work; on a machine where git knows nobody, commits would fail and the work would be lost.
      builder.environment().putIfAbsent("GIT_AUTHOR_NAME", "orch agent");
      builder.environment().putIfAbsent("GIT_AUTHOR_EMAIL", "agent@orch.invalid");
      builder.environment().putIfAbsent("GIT_COMMITTER_NAME", "orch agent");
      builder.environment().putIfAbsent("GIT_COMMITTER_EMAIL", "agent@orch.invalid");
    }
    if (isRoot() && "bypassPermissions".equals(settings.permissionMode())) {
      // The CLI refuses to skip permission prompts as root unless told it runs in a sandbox; orch's worktrees are
      // that sandbox. README "Running as root" says so.
      builder.environment().put("IS_SANDBOX", "1");
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the agent '" + settings.command() + "' (is it installed and on PATH?"
          + " set [claude] command): " + e.getMessage(), e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
