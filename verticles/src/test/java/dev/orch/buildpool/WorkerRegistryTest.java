package dev.orch.buildpool;

import dev.orch.testkit.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.WorkerView;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentRegister;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {
  final MovableClock clock = MovableClock.at("2026-11-29T05:00:00Z");
  final WorkerRegistry registry = new WorkerRegistry(clock, Duration.ofSeconds(90));

  @Test
  void theAgentWithTheMostFreeSlotsIsChosenAndNoneIsOverbooked() {
    registry.register(new AgentRegister("small", "h", 1, null, List.of()));
    registry.register(new AgentRegister("big", "h", 3, null, List.of()));
    assertThat(registry.withMostFreeSlots()).contains("big");
    registry.assign("big", 1);
    registry.assign("big", 2);
    assertThat(registry.withMostFreeSlots()).contains("small");
    registry.assign("small", 3);
    registry.assign("big", 4);
    assertThat(registry.withMostFreeSlots()).isEmpty();
    registry.release("small", 3);
    assertThat(registry.withMostFreeSlots()).as("until the agent says its slot is free again").isEmpty();
    registry.heartbeat(new AgentHeartbeat("small", 1, List.of()));
    assertThat(registry.withMostFreeSlots()).contains("small");
  }

  @Test
  void slotsAnAgentReportsBusyElsewhereAreNotUsedAndJobsSentSinceTheReportCount() {
    registry.register(new AgentRegister("shared", "h", 4, 1, List.of()));
    registry.assign("shared", 1);
    assertThat(registry.withMostFreeSlots()).as("one free, and it was just taken").isEmpty();
    registry.heartbeat(new AgentHeartbeat("shared", 2, List.of(1L)));
    assertThat(registry.withMostFreeSlots()).contains("shared");
  }

  @Test
  void anAgentSilentForTheWholeTimeoutExpiresAndDroppingItHandsBackItsJobs() {
    registry.register(new AgentRegister("w1", "h", 2, null, List.of()));
    registry.assign("w1", 7);
    clock.advance(Duration.ofSeconds(89));
    assertThat(registry.expired()).isEmpty();
    assertThat(registry.heartbeat(new AgentHeartbeat("w1", null, List.of(7L)))).isTrue();
    clock.advance(Duration.ofSeconds(90));
    assertThat(registry.expired()).containsExactly("w1");
    assertThat(registry.anyAlive()).isFalse();
    assertThat(registry.withMostFreeSlots()).isEmpty();

    WorkerRegistry.Gone gone = registry.drop("w1").orElseThrow();
    assertThat(gone.jobs()).containsExactly(7L);
    assertThat(gone.view().alive()).isFalse();
    assertThat(registry.knows("w1")).isFalse();
    assertThat(registry.heartbeat(new AgentHeartbeat("w1", null, List.of()))).as("must register again").isFalse();
  }

  @Test
  void registeringAgainKeepsItsJobsAndFirstConnectionButIsANewRegistration() {
    WorkerView first = registry.register(new AgentRegister("w1", "h", 2, null, List.of()));
    long registration = registry.registration("w1");
    registry.assign("w1", 5);
    clock.advance(Duration.ofSeconds(10));
    WorkerView again = registry.register(new AgentRegister("w1", "h", 2, null, List.of(5L)));
    assertThat(again.connectedSince()).isEqualTo(first.connectedSince());
    assertThat(again.runningJobs()).containsExactly(5L);
    assertThat(registry.registration("w1")).isNotEqualTo(registration);
  }
}
