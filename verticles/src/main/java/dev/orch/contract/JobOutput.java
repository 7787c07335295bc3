package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** A piece of a job's output (complete lines), with its byte offset in the job's whole output. */
public record JobOutput(long jobId, long offset, String text) implements BusMessage {
  public JobOutput {
    text = text == null ? "" : text;
  }

  public static JobOutput fromJson(JsonObject json) {
    return WireJson.fromJson(json, JobOutput.class);
  }
}
