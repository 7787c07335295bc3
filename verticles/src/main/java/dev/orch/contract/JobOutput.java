package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * A piece of a job's output (complete lines), with its byte offset in the job's whole output (stdout and stderr as they
 * arrived) and which of the two it came from ({@code stdout}, {@code stderr}; empty when it is a read of the whole).
 */
public record JobOutput(long jobId, long offset, String text, String stream) implements BusMessage {
  public JobOutput {
    text = text == null ? "" : text;
    stream = stream == null ? "" : stream;
  }

  public static JobOutput fromJson(JsonObject json) {
    return WireJson.fromJson(json, JobOutput.class);
  }
}
