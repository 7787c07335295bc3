package dev.orch.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.Addresses;
import org.junit.jupiter.api.Test;

/** The command API's allow-list alone: the CLI's commands, and no way to launch agents or act as a build agent (M7). */
class CommandApiTest {
  @Test
  void m7_the_clis_commands_are_offered() {
    assertThat(CommandApi.resolve("scheduler", "start")).get()
        .satisfies(t -> assertThat(t.address()).isEqualTo(Addresses.Scheduler.CMD))
        .satisfies(t -> assertThat(t.action().wireName()).isEqualTo("start"));
    assertThat(CommandApi.resolve("buildpool", "follow")).isPresent();
    assertThat(CommandApi.resolve("buildpool", "submit")).as("orch build-pool run and orch mcp").isPresent();
    assertThat(CommandApi.resolve("executor", "cleanup")).isPresent();
    assertThat(CommandApi.resolve("prbot", "merge")).isPresent();
    assertThat(CommandApi.resolve("batch", "run")).isPresent();
    assertThat(CommandApi.resolve("scheduler", "unpark")).as("orch unpark").isPresent();
  }

  @Test
  void m7_launching_agents_and_build_agent_messages_are_not_offered() {
    assertThat(CommandApi.resolve("executor", "launch")).isEmpty();
    assertThat(CommandApi.resolve("executor", "remove-worktree")).isEmpty();
    assertThat(CommandApi.resolve("executor", "resume")).as("the dashboard's route, not the CLI's").isEmpty();
    assertThat(CommandApi.resolve("buildpool", "register")).isEmpty();
    assertThat(CommandApi.resolve("buildpool", "heartbeat")).isEmpty();
    assertThat(CommandApi.resolve("buildpool", "worker-output")).isEmpty();
    assertThat(CommandApi.resolve("buildpool", "worker_done")).isEmpty();
    assertThat(CommandApi.resolve("prbot", "open")).isEmpty();
    assertThat(CommandApi.resolve("observer", "spend")).isEmpty();
    assertThat(CommandApi.resolve("parser", "write-status")).isEmpty();
    assertThat(CommandApi.resolve("nobody", "status")).isEmpty();
  }

  @Test
  void m7_every_offered_owner_is_a_remote_command_address() {
    assertThat(Addresses.remoteCommandAddresses().keySet()).containsAll(CommandApi.ALLOWED.keySet());
    assertThat(CommandApi.offered()).contains("scheduler ", "buildpool ").doesNotContain("launch", "register");
  }
}
