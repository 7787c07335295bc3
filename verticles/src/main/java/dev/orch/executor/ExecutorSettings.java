package dev.orch.executor;

import dev.orch.config.OrchConfig;
import dev.orch.process.ChildEnvironment;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The executor's slice of the config: the [general], [claude] and [executor] sections as {@link OrchConfig} typed
 * them, and what the launcher adds. {@code mcpServers} is the JSON object written as each run's MCP config, with
 * {@code ${worktree}} and {@code ${task_id}} in its strings filled in for the run, and {@code ${mcp_token}} with the
 * run's own token derived from {@code mcpSecret} ({@link dev.orch.contract.McpRunToken}). Without
 * {@code orchestrate} the executor only answers questions about runs (a CLI process while no orch is running): it
 * neither re-attaches to agents nor follows their output. A launch's plan file must be inside general.plans_dir.
 */
public record ExecutorSettings(OrchConfig.General general, OrchConfig.Claude claude, OrchConfig.Executor executor,
    List<Path> promptFolders, JsonObject mcpServers, String mcpSecret, Map<String, String> env, boolean orchestrate,
    ChildEnvironment commandEnv) {
  public ExecutorSettings {
    OrchConfig.required("general", general);
    OrchConfig.required("claude", claude);
    OrchConfig.required("executor", executor);
    promptFolders = List.copyOf(OrchConfig.required("prompts.override_dir", promptFolders));
    // Not config keys: the launcher's own, so a missing one is a bug there.
    mcpServers = Objects.requireNonNull(mcpServers, "mcpServers").copy();
    Objects.requireNonNull(mcpSecret, "mcpSecret");
    env = Map.copyOf(env);
    OrchConfig.required("executor.env", commandEnv);
  }

  /**
   * {@code mcpServers}: orch's MCP endpoint for agents, when this process serves one and executor.build_tools is on;
   * {@code agentEnv}: what the launcher adds to each agent's environment.
   */
  public static ExecutorSettings from(OrchConfig config, JsonObject mcpServers, String mcpSecret,
      Map<String, String> agentEnv, boolean orchestrate) {
    return new ExecutorSettings(config.general(), config.claude(), config.executor(), config.prompts().folders(),
        config.executor().buildTools() && mcpServers != null ? mcpServers : new JsonObject(), mcpSecret, agentEnv,
        orchestrate, config.childEnvironment());
  }

  List<String> copyFiles() {
    return executor.copyFiles();
  }

  String setupCommand() {
    return executor.setupCommand();
  }

  String logDir() {
    return general.logDir().toString();
  }

  Path plansRelative() {
    return general.projectRoot().toAbsolutePath().normalize()
        .relativize(general.plansDir().toAbsolutePath().normalize());
  }
}
