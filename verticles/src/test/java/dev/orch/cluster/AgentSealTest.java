package dev.orch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** H2: what crosses hosts is sealed with the cluster secret; anything else is refused as FORBIDDEN. */
class AgentSealTest {
  static final String SECRET = "a-cluster-secret-of-some-length";
  final Clock now = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

  static void refused(Runnable open, String why) {
    assertThatThrownBy(open::run).isInstanceOfSatisfying(OrchException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(e.getMessage()).contains(why);
    });
  }

  @Test
  void h2_a_sealed_message_opens_once_with_its_action_and_body_and_hides_them() {
    // A name long enough that random ciphertext never spells it by chance (a two-letter one once did).
    JsonObject sealed = AgentSeal.of(SECRET, now).seal("register", new JsonObject().put("worker_id", "agent-on-host-seven"));
    assertThat(sealed.encode()).doesNotContain("register", "agent-on-host-seven");
    AgentSeal receiver = AgentSeal.of(SECRET, now);
    AgentSeal.Opened opened = receiver.open(sealed.copy());
    assertThat(opened.action()).isEqualTo("register");
    assertThat(opened.body()).isEqualTo(new JsonObject().put("worker_id", "agent-on-host-seven"));
    refused(() -> receiver.open(sealed.copy()), "replay");
  }

  @Test
  void h2_unsealed_tampered_or_foreign_messages_are_refused() {
    AgentSeal receiver = AgentSeal.of(SECRET, now);
    refused(() -> receiver.open(new JsonObject().put("worker_id", "rogue")), "not a sealed message");
    refused(() -> receiver.open("register"), "not a sealed message");
    JsonObject foreign = AgentSeal.of("some-other-secret-entirely", now).seal("register", new JsonObject());
    refused(() -> receiver.open(foreign), "not sealed with this cluster's secret");
    JsonObject tampered = AgentSeal.of(SECRET, now).seal("heartbeat", new JsonObject());
    byte[] cipher = Base64.getDecoder().decode(tampered.getString("c"));
    cipher[0] ^= 1;
    tampered.put("c", Base64.getEncoder().encodeToString(cipher));
    refused(() -> receiver.open(tampered), "not sealed with this cluster's secret");
    JsonObject retimed = AgentSeal.of(SECRET, now).seal("heartbeat", new JsonObject());
    retimed.put("t", retimed.getLong("t") + 1);
    refused(() -> receiver.open(retimed), "not sealed with this cluster's secret");
  }

  @Test
  void h2_a_message_outside_the_two_minute_window_is_refused() {
    AgentSeal receiver = AgentSeal.of(SECRET, now);
    JsonObject old = AgentSeal.of(SECRET, Clock.offset(now, Duration.ofMinutes(-3))).seal("heartbeat", new JsonObject());
    refused(() -> receiver.open(old), "window");
    JsonObject future = AgentSeal.of(SECRET, Clock.offset(now, Duration.ofMinutes(3))).seal("heartbeat", new JsonObject());
    refused(() -> receiver.open(future), "window");
    JsonObject recent = AgentSeal.of(SECRET, Clock.offset(now, Duration.ofSeconds(-90))).seal("heartbeat", new JsonObject());
    assertThat(receiver.open(recent).action()).isEqualTo("heartbeat");
  }

  @Test
  void h2_a_short_secret_is_not_accepted() {
    assertThatThrownBy(() -> AgentSeal.of("short", now)).hasMessageContaining("at least 16");
  }
}
