package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.process.ChildEnvironment;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks with real processes: the agent gets the end of a red check's output, read from the file's tail (M4). */
class CheckRunnerTest {
  @TempDir
  Path tmp;

  @Test
  void m4_aRedChecksLongOutputIsReadFromItsTailWithinTheBudget() throws Exception {
    CheckRunner runner = new CheckRunner(List.of("true", "i=0; while [ $i -lt 200000 ]; do echo \"line $i\"; i=$((i+1)); done;"
        + " echo 'the real failure'; exit 3"), Duration.ofMinutes(1), 500, ChildEnvironment.allowListOnly());
    Path output = tmp.resolve("checks/out.log");

    CheckRunner.Result result = runner.run(tmp, output);

    assertThat(result.passed()).isFalse();
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(Files.size(output)).isGreaterThan(2_000_000);
    assertThat(result.outputTail()).startsWith("[... ").contains(" earlier bytes cut]\n")
        .endsWith("line 199999\nthe real failure\n");
    assertThat(result.outputTail().length()).isLessThan(560);
  }

  @Test
  void m4_theTailOfAFileLargerThanAnyStringIsReadWithoutLoadingIt() throws Exception {
    Path huge = tmp.resolve("huge.log");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      // Sparse: 3 GiB on paper, a few bytes on disk; Files.readString would fail on it (over 2 GiB).
      file.setLength(3L * 1024 * 1024 * 1024);
      file.seek(file.length());
      file.write("\nlast words\n".getBytes(StandardCharsets.UTF_8));
    }
    CheckRunner runner = new CheckRunner(List.of(), Duration.ofMinutes(1), 200, ChildEnvironment.allowListOnly());

    String tail = runner.tailOf(huge);

    assertThat(tail).endsWith("\nlast words\n").startsWith("[... ");
    assertThat(tail.length()).isLessThan(260);
  }

  @Test
  void m4_shortOutputIsGivenWhole() throws Exception {
    CheckRunner runner = new CheckRunner(List.of("echo broken; exit 1"), Duration.ofMinutes(1), 500,
        ChildEnvironment.allowListOnly());
    CheckRunner.Result result = runner.run(tmp, tmp.resolve("out.log"));
    assertThat(result.outputTail()).isEqualTo("$ echo broken; exit 1\nbroken\n");
  }
}
