package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WireJsonTest {
  record Carrier(JsonObject config, JsonArray list) implements BusMessage {
  }

  @Test
  void jsonObjectsAndArraysInsideMessagesSurviveTheTrip() {
    JsonObject config = new JsonObject().put("orch", new JsonObject().put("type", "http").put("headers",
        new JsonObject().put("Authorization", "Bearer x")));
    Carrier back = WireJson.fromJson(new Carrier(config, new JsonArray().add(1).add("two")).toJson(), Carrier.class);
    assertThat(back.config()).isEqualTo(config);
    assertThat(back.list()).isEqualTo(new JsonArray().add(1).add("two"));
  }
}
