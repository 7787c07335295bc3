package dev.orch.batch;

import dev.orch.config.OrchConfig;

/**
 * The batches' slice of the config. {@code stopAtDeadline}: stop a batch's running tasks when its time is up (else
 * they may finish); {@code orchestrate}: this instance runs batches, else it only lists them.
 */
public record BatchSettings(String scheduleFile, String databasePath, boolean stopAtDeadline, boolean orchestrate) {
  public BatchSettings {
    OrchConfig.required("batch.schedule_file", scheduleFile);
    OrchConfig.required("general.database_path", databasePath);
  }

  public static BatchSettings from(OrchConfig config, boolean orchestrate) {
    return new BatchSettings(config.batch().scheduleFile().toString(), config.general().databasePath().toString(),
        config.batch().stopAtDeadline(), orchestrate);
  }
}
