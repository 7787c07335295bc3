package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers -h and --help (issue 15), without a process; HelpIT does the same on the shaded jar. */
class HelpOptionsTest {

  /** Each command's words after {@code orch}, walked from picocli's model so a new command is covered by itself. */
  /** Picocli's usage line for the command, such as {@code Usage: orch build-pool run}. */
  static String usageLine(List<String> command) {
    return ("Usage: orch " + String.join(" ", command)).strip();
  }

  static List<List<String>> everyCommand() {
    List<List<String>> paths = new ArrayList<>();
    collect(OrchCommand.commandLine(), new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      // Aliases map to the same command; walk each command under its own name only.
      if (name.equals(sub.getCommandName())) {
        List<String> subPath = new ArrayList<>(path);
        subPath.add(name);
        collect(sub, subPath, paths);
      }
    });
  }

  @Test
  void everyCommandAndSubcommandPrintsItsUsageForDashHAndDashDashHelp() {
    List<List<String>> commands = everyCommand();
    assertThat(commands).contains(List.of("build-pool", "run"), List.of("batch", "list"), List.of("pr", "merge"),
        List.of("help"), List.of("generate-completion"));
    for (List<String> command : commands) {
      for (String flag : List.of("-h", "--help")) {
        List<String> args = new ArrayList<>(command);
        args.add(flag);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        String usage = usageLine(command);
        assertThat(exit).as("orch %s %s: %s", command, flag, err).isZero();
        assertThat(out.toString()).as("orch %s %s", command, flag).containsPattern("(?m)^" + java.util.regex.Pattern.quote(usage) + "\\b");
        assertThat(err.toString()).as("orch %s %s", command, flag).isEmpty();
      }
    }
  }

  @Test
  void helpAfterDoubleDashBelongsToTheBuildPoolCommand() {
    CommandLine cli = OrchCommand.commandLine();
    CommandLine.ParseResult parsed = cli.parseArgs("build-pool", "run", "--", "ls", "-h", "--help");
    CommandLine.ParseResult run = parsed.subcommand().subcommand();
    assertThat(CommandLine.printHelpIfRequested(parsed)).isFalse();
    assertThat(run.isUsageHelpRequested()).isFalse();
    assertThat(((BuildPoolCommand.Run) run.commandSpec().userObject()).command).containsExactly("ls", "-h", "--help");
  }

  @Test
  void versionStaysOnOrchItself() {
    StringWriter out = new StringWriter();
    assertThat(Main.run(new String[] {"--version"}, new PrintWriter(out, true), new PrintWriter(new StringWriter())))
        .isZero();
    assertThat(out.toString()).startsWith("orch ");
    StringWriter err = new StringWriter();
    assertThat(Main.run(new String[] {"status", "--version"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true)))
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void helpCommandStillPrintsACommandsUsage() {
    StringWriter out = new StringWriter();
    assertThat(Main.run(new String[] {"help", "build-pool"}, new PrintWriter(out, true), new PrintWriter(new StringWriter())))
        .isZero();
    assertThat(out.toString()).startsWith("Usage: orch build-pool");
  }
}
