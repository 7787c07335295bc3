package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * The body of the build pool's {@code output} and {@code follow}: a job's output from byte {@code offset} (0 when
 * absent), at most {@code max} bytes (1 MiB when absent, 8 MiB at most), of {@code stream} (stdout, stderr; all when
 * absent; {@code output} only); {@code follow} waits up to {@code waitMillis} (20 s at most) for some to arrive.
 */
public record OutputQuery(long jobId, String stream, Long offset, Integer max, Long waitMillis) implements Command {
  public static final long MAX_WAIT_MILLIS = 20_000;

  public OutputQuery {
    offset = offset == null ? 0 : Math.max(0, offset);
    max = max == null ? 1024 * 1024 : Math.max(1, Math.min(8 * 1024 * 1024, max));
    waitMillis = waitMillis == null ? 0 : Math.max(0, Math.min(MAX_WAIT_MILLIS, waitMillis));
  }

  public static OutputQuery fromJson(JsonObject json) {
    return WireJson.fromJson(json, OutputQuery.class);
  }
}
