package dev.orch.launcher;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An argument vector as one POSIX {@code sh -c} string that sh splits back into exactly those arguments: the first
 * word, and every other word that is not plain letters, digits or {@code _@%+=:,./-}, in single quotes, where nothing
 * is special (a single quote itself as {@code '\''}). A build job's command travels as one shell string (JobRequest,
 * JobRun, agents already deployed), so this keeps {@code orch build-pool run -- ARGS} an argv without a wire change:
 * no word can reach the shell as syntax.
 */
final class ShellWords {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellWords() {
  }

  static String quote(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("COMMAND: at least one word is needed");
    }
    // The first word always in quotes: bare, sh could read it as a keyword (if, time) or an assignment (A=b).
    return Stream.concat(Stream.of(quoted(argv.get(0))), argv.stream().skip(1).map(ShellWords::quote))
        .collect(Collectors.joining(" "));
  }

  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word; // as shlex.quote: plain words stay readable in build-pool jobs
    }
    return quoted(word);
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
