package dev.orch.web;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The most one event may carry to a browser or an SSE client. A bigger one (a burst of build output, a huge tool
 * result) goes out as a marker instead: its small fields (ids, offsets, stream names) kept, {@code "truncated": true}
 * and its size added, so the client knows to fetch the rest from the API ({@code /api/pool/jobs/J/output?offset=},
 * {@code /api/runs/R/log}).
 */
final class EventCap {
  static final int MAX_BYTES = 256 * 1024;
  /** Fields of a capped event that are kept: anything whose JSON is at most this long. */
  private static final int SMALL_FIELD = 256;

  private EventCap() {
  }

  /** The body as it may go out: itself when small enough, else the marker. */
  static Object cap(Object body, int encodedBytes) {
    if (encodedBytes <= MAX_BYTES) {
      return body;
    }
    JsonObject marker = new JsonObject();
    if (body instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        if (field.getValue() == null || Json.encode(field.getValue()).length() <= SMALL_FIELD) {
          marker.put(field.getKey(), field.getValue());
        }
      }
    }
    return marker.put("truncated", true).put("original_bytes", encodedBytes);
  }

  static Object cap(Object body) {
    return body == null ? null : cap(body, Json.encodeToBuffer(body).length());
  }
}
