package dev.orch.buildpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.process.JobProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** M4: a job's kept output has a cap, and all jobs' output a total. */
class JobLogsTest {
  @TempDir
  Path dir;

  @Test
  void m4_output_past_the_cap_is_cut_at_a_character_with_a_marker_and_the_rest_dropped() throws Exception {
    JobLogs logs = new JobLogs(dir, 10, 100, Long.MAX_VALUE);
    assertThat(logs.append(1, "x".repeat(90), JobProcess.Stream.STDOUT)).isEqualTo(new JobLogs.Appended(0, "x".repeat(90)));
    assertThat(logs.truncated(1)).isFalse();
    JobLogs.Appended cut = logs.append(1, "ééééééééé", JobProcess.Stream.STDOUT);
    assertThat(cut.offset()).isEqualTo(90);
    assertThat(cut.text()).startsWith("ééééé").doesNotStartWith("éééééé").contains("output cut here");
    assertThat(logs.truncated(1)).isTrue();
    assertThat(logs.append(1, "dropped-text", JobProcess.Stream.STDERR).text()).isEmpty();
    String all = logs.read(1, 0, 1000);
    assertThat(all).startsWith("x".repeat(90) + "ééééé\n[orch: output cut here").doesNotContain("dropped-text");
    assertThat(Files.exists(logs.file(1, JobLogs.Part.STDERR))).isFalse();
  }

  @Test
  void m4_old_jobs_output_goes_once_all_of_it_passes_keep_bytes_but_running_jobs_output_stays() throws Exception {
    JobLogs logs = new JobLogs(dir, 100, Long.MAX_VALUE, 250);
    for (long id = 1; id <= 4; id++) {
      logs.append(id, "y".repeat(50), JobProcess.Stream.STDOUT);
    }
    // Each job keeps 100 bytes (.log and .stdout): the newest two fit in 250.
    logs.prune(Set.of(1L));
    assertThat(logs.size(4)).isEqualTo(50);
    assertThat(logs.size(3)).isEqualTo(50);
    assertThat(logs.size(2)).isZero();
    assertThat(logs.size(1)).as("still running").isEqualTo(50);
  }
}
