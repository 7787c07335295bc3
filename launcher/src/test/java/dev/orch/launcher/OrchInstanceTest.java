package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which orch.json a client trusts with the instance token: owner-only, naming the live process that wrote it (L11). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OrchInstanceTest {
  @TempDir
  Path dir;

  private Process other;

  @BeforeEach
  void startAnotherProcess() throws Exception {
    // A live process that is not this JVM, standing in for a running orch (find() ignores its own pid).
    other = new ProcessBuilder("sleep", "60").start();
  }

  @AfterEach
  void stop() throws Exception {
    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void l11_the_state_file_is_owner_only_and_records_the_process_start_time() throws Exception {
    try (OrchInstance instance = OrchInstance.acquire(dir)) {
      instance.announce("127.0.0.1", 8080, "t0ken");
      Path file = dir.resolve(OrchInstance.STATE_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      JsonObject state = new JsonObject(Files.readString(file));
      assertThat(state.getLong("process_started_at")).isEqualTo(ProcessHandle.current().info().startInstant()
          .orElseThrow().toEpochMilli());
    }
  }

  @Test
  void l11_a_live_process_that_started_when_recorded_is_trusted() throws Exception {
    write(startOf(other), "rw-------");
    assertThat(OrchInstance.find(dir)).get().satisfies(r -> assertThat(r.token()).isEqualTo("t0ken"));
  }

  @Test
  void l11_a_recycled_pid_is_not_trusted() throws Exception {
    write(startOf(other) - 60_000, "rw-------");
    assertThat(OrchInstance.find(dir)).isEmpty();
    write(0, "rw-------");
    assertThat(OrchInstance.find(dir)).as("a file without a start time").isEmpty();
  }

  /** What kill -9 leaves behind: the record of a process that is gone, and a lock the kernel released. */
  @Test
  void the_record_of_an_ended_process_is_not_believed_and_the_lock_is_free_again() throws Exception {
    write(startOf(other), "rw-------");
    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(OrchInstance.find(dir)).isEmpty();
    try (OrchInstance instance = OrchInstance.acquire(dir)) {
      assertThat(instance).isNotNull();
    }
  }

  @Test
  void l11_a_state_file_others_can_read_or_write_is_not_trusted() throws Exception {
    write(startOf(other), "rw-r--r--");
    assertThat(OrchInstance.find(dir)).isEmpty();
    write(startOf(other), "rw--w----");
    assertThat(OrchInstance.find(dir)).isEmpty();
  }

  @Test
  void l11_start_times_within_two_seconds_match() {
    Instant start = Instant.ofEpochMilli(1_700_000_000_000L);
    assertThat(OrchInstance.sameProcess(start.toEpochMilli() + 1_500, Optional.of(start))).isTrue();
    assertThat(OrchInstance.sameProcess(start.toEpochMilli() + 2_500, Optional.of(start))).isFalse();
    assertThat(OrchInstance.sameProcess(start.toEpochMilli(), Optional.empty())).isFalse();
    assertThat(OrchInstance.sameProcess(0, Optional.of(start))).isFalse();
  }

  private static long startOf(Process process) {
    return process.toHandle().info().startInstant().orElseThrow().toEpochMilli();
  }

  private void write(long processStartedAt, String mode) throws Exception {
    Path file = dir.resolve(OrchInstance.STATE_FILE);
    Files.writeString(file, new JsonObject().put("pid", other.pid()).put("host", "127.0.0.1").put("port", 8080)
        .put("token", "t0ken").put("process_started_at", processStartedAt).encode());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }
}
