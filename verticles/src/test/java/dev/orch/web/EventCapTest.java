package dev.orch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What one event may carry out (M3). */
class EventCapTest {
  @Test
  void m3_a_small_event_goes_out_as_it_is() {
    JsonObject output = new JsonObject().put("job_id", 3).put("offset", 10).put("text", "hello");
    assertThat(EventCap.cap(output)).isSameAs(output);
  }

  @Test
  void m3_an_event_over_256_KiB_becomes_a_marker_keeping_its_small_fields() {
    JsonObject output = new JsonObject().put("job_id", 3).put("offset", 10).put("stream", "stdout")
        .put("text", "x".repeat(300 * 1024));
    Object capped = EventCap.cap(output);
    assertThat(capped).isInstanceOf(JsonObject.class);
    JsonObject marker = (JsonObject) capped;
    assertThat(marker.getBoolean("truncated")).isTrue();
    assertThat(marker.getInteger("original_bytes")).isGreaterThan(300 * 1024);
    assertThat(marker.getLong("job_id")).isEqualTo(3);
    assertThat(marker.getLong("offset")).isEqualTo(10);
    assertThat(marker.getString("stream")).isEqualTo("stdout");
    assertThat(marker.containsKey("text")).isFalse();
    assertThat(marker.encode().length()).isLessThan(1024);
  }

  @Test
  void m3_a_big_event_that_is_no_object_becomes_a_bare_marker() {
    Object capped = EventCap.cap("y".repeat(EventCap.MAX_BYTES + 1));
    assertThat(((JsonObject) capped).getBoolean("truncated")).isTrue();
  }

  @Test
  void m3_an_event_of_exactly_the_cap_still_goes_out() {
    String text = "z".repeat(EventCap.MAX_BYTES - 2);
    assertThat(EventCap.cap(text)).isEqualTo(text);
  }
}
