package dev.orch.scheduler;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import java.nio.file.Path;

/**
 * The scheduler's slice of the config: the [general] and [scheduler] sections as {@link OrchConfig} typed them.
 * {@code orchestrate} makes this instance start agents and follow them (orch run, orch start); without it the
 * scheduler only syncs and answers. {@code auto} starts every ready task (orch run).
 */
public record SchedulerSettings(OrchConfig.General general, OrchConfig.Scheduler retries, boolean orchestrate,
    boolean auto) {
  public SchedulerSettings {
    OrchConfig.required("general", general);
    OrchConfig.required("general.database_path", general.databasePath());
    OrchConfig.positive("general.max_parallel_agents", general.maxParallelAgents());
    OrchConfig.required("scheduler", retries);
    OrchConfig.positive("scheduler.retry_base_delay", retries.retryBaseDelay().toMillis());
    OrchConfig.positive("scheduler.retry_max_delay", retries.retryMaxDelay().toMillis());
  }

  public static SchedulerSettings from(OrchConfig config, boolean orchestrate, boolean auto) {
    return new SchedulerSettings(config.general(), config.scheduler(), orchestrate, auto);
  }

  /** Only the task table: for commands that read and sync, and start nothing. */
  public static SchedulerSettings storeOnly(Path databasePath) {
    OrchConfig defaults = ConfigLoader.defaults(databasePath.toAbsolutePath().getParent());
    return new SchedulerSettings(defaults.general().withDatabasePath(databasePath).withMaxParallelAgents(1),
        defaults.scheduler(), false, false);
  }

  Path databasePath() {
    return general.databasePath();
  }

  int maxParallelAgents() {
    return general.maxParallelAgents();
  }
}
