package dev.orch.launcher;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code orch} command. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = OrchCommand.commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }
}
