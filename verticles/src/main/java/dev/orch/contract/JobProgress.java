package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * A job and its output from {@code offset} to {@code nextOffset} (byte offsets in the job's whole output): what a
 * follower gets each time it asks for more.
 */
public record JobProgress(JobView job, long offset, long nextOffset, String text) implements BusMessage {
  public JobProgress {
    WireJson.require("job", job);
    text = text == null ? "" : text;
  }

  /** The job ended and everything it printed has been read. */
  public boolean finished() {
    return job.state().done() && nextOffset >= job.outputBytes();
  }

  public static JobProgress fromJson(JsonObject json) {
    return WireJson.fromJson(json, JobProgress.class);
  }
}
