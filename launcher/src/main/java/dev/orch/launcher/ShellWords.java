package dev.orch.launcher;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An argument vector as one POSIX {@code sh -c} string that sh splits back into exactly those arguments: each word in
 * single quotes, where nothing is special, and a single quote itself as {@code '\''}. A build job's command travels
 * as one shell string (JobRequest, JobRun, old agents), so this keeps {@code orch build-pool run -- ARGS} an argv
 * without a wire change: no word can reach the shell as syntax.
 */
final class ShellWords {
  private ShellWords() {
  }

  static String quote(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("COMMAND: at least one word is needed");
    }
    return argv.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }

  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
