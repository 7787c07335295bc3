package dev.orch.prbot;

import dev.orch.process.ChildEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the configured check commands ({@code [checks] commands}) one after another in a pull request's worktree, at
 * its head commit, with {@code sh -c}. The first red one stops the rest; its output's tail, trimmed to a budget, is
 * what the agent gets back to fix. Blocking.
 */
final class CheckRunner {
  /** All green, or the command that failed and the end of its output. */
  record Result(boolean passed, String command, int exitCode, String outputTail, long millis) {
    static Result none() {
      return new Result(true, null, 0, "", 0);
    }

    String summary() {
      return passed ? "passed" : "'" + command + "' failed (exit " + exitCode + ")";
    }
  }

  static final int TAIL_BYTES = 64 * 1024;

  private final List<String> commands;
  private final Duration timeout;
  private final int budget;
  private final ChildEnvironment env;

  CheckRunner(List<String> commands, Duration timeout, int outputBudgetChars, ChildEnvironment env) {
    this.commands = List.copyOf(commands);
    this.timeout = timeout;
    this.budget = outputBudgetChars;
    this.env = env;
  }

  boolean configured() {
    return !commands.isEmpty();
  }

  Result run(Path worktree, Path outputFile) throws IOException, InterruptedException {
    long started = System.nanoTime();
    Files.createDirectories(outputFile.getParent());
    Files.writeString(outputFile, "");
    for (String command : commands) {
      Files.writeString(outputFile, "$ " + command + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
      Process process = env.applyTo(new ProcessBuilder("sh", "-c", command)).directory(worktree.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      int exit;
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exit = process.exitValue();
      } else {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Files.writeString(outputFile, "\n(stopped after " + timeout.toMinutes() + " minutes: checks.timeout)\n",
            StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        exit = -1;
      }
      if (exit != 0) {
        return new Result(false, command, exit, tailOf(outputFile), (System.nanoTime() - started) / 1_000_000);
      }
    }
    return new Result(true, null, 0, "", (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * The end of a check's output file, cut at a line start, within the budget. Only the last {@link #TAIL_BYTES} (or four
   * bytes per character of budget, if more) are read: a check can print gigabytes, and orch keeps none of that in
   * memory (M4).
   */
  String tailOf(Path outputFile) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(outputFile.toFile(), "r")) {
      long size = file.length();
      int length = (int) Math.min(size, Math.max(TAIL_BYTES, budget * 4L));
      byte[] bytes = new byte[length];
      file.seek(size - length);
      file.readFully(bytes);
      return tail(new String(bytes, StandardCharsets.UTF_8), size - length);
    }
  }

  /** The end of {@code output} (which came after {@code bytesBefore} bytes not read), cut at a line start. */
  String tail(String output, long bytesBefore) {
    if (bytesBefore == 0 && output.length() <= budget) {
      return output;
    }
    String end = output.length() <= budget ? output : output.substring(output.length() - budget);
    int newline = end.indexOf('\n');
    String kept = newline >= 0 ? end.substring(newline + 1) : end;
    long cut = bytesBefore + output.getBytes(StandardCharsets.UTF_8).length - kept.getBytes(StandardCharsets.UTF_8).length;
    return "[... " + cut + " earlier bytes cut]\n" + kept;
  }
}
