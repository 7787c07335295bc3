package dev.orch.batch;

import dev.orch.config.OrchConfig;

/**
 * The batches' slice of the config: the [general] and [batch] sections as {@link OrchConfig} typed them.
 * {@code orchestrate}: this instance runs batches, else it only lists them.
 */
public record BatchSettings(OrchConfig.General general, OrchConfig.Batch batch, boolean orchestrate) {
  public BatchSettings {
    OrchConfig.required("general", general);
    OrchConfig.required("general.database_path", general.databasePath());
    OrchConfig.required("batch", batch);
    OrchConfig.required("batch.schedule_file", batch.scheduleFile());
  }

  public static BatchSettings from(OrchConfig config, boolean orchestrate) {
    return new BatchSettings(config.general(), config.batch(), orchestrate);
  }
}
