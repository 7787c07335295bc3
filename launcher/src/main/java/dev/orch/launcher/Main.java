package dev.orch.launcher;

import dev.orch.text.Printable;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code orch} command. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Everything the commands print goes through {@link Printable}, so a title or an agent's text cannot drive the
   * terminal (audit L3). The help has no colours, since those are escape sequences too.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = OrchCommand.commandLine();
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cli.setOut(Printable.writer(out));
    cli.setErr(Printable.writer(err));
    return cli.execute(args);
  }
}
