package dev.orch.batch;

import dev.orch.config.OrchConfig;

/**
 * The batches' slice of the config: the [general] and [batch] sections as {@link OrchConfig} typed them, and whether
 * this instance runs batches (see {@link Runs}).
 */
public record BatchSettings(OrchConfig.General general, OrchConfig.Batch batch, Runs runs) {
  /** Which batches this instance runs. */
  public enum Runs {
    /** None: it only lists them (a CLI command answering by itself, or orch start in the foreground). */
    NEVER,
    /** The ones a person runs ({@code orch serve}: nothing starts by itself). */
    WHEN_ASKED,
    /** Those too, and every batch when its schedule says ({@code orch run}). */
    ON_SCHEDULE
  }

  public BatchSettings {
    OrchConfig.required("general", general);
    OrchConfig.required("general.database_path", general.databasePath());
    OrchConfig.required("batch", batch);
    OrchConfig.required("batch.schedule_file", batch.scheduleFile());
    OrchConfig.required("runs", runs);
  }

  public static BatchSettings from(OrchConfig config, Runs runs) {
    return new BatchSettings(config.general(), config.batch(), runs);
  }

  /** Whether this instance runs batches at all. */
  public boolean orchestrate() {
    return runs != Runs.NEVER;
  }
}
