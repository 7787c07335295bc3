package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: every command answers -h and --help on the shaded jar, and install.sh puts claude-orch beside orch. */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HelpIT {
  @TempDir
  Path tmp;

  @Test
  void everyCommandAndSubcommandPrintsItsUsageAndExitsZero() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    OrchProcess orch = new OrchProcess(home, Map.of());
    // Both flags on every command are proven in process (HelpOptionsTest); on the jar, each command answers one of
    // them in turn, so both are seen working there too at half the process starts.
    List<List<String>> commands = HelpOptionsTest.everyCommand();
    for (int i = 0; i < commands.size(); i++) {
      List<String> command = commands.get(i);
      String usage = "(?m)^" + Pattern.quote(HelpOptionsTest.usageLine(command)) + "\\b";
      List<String> args = new ArrayList<>(command);
      args.add(i % 2 == 0 ? "-h" : "--help");
      OrchProcess.Result result = orch.run(tmp, args.toArray(String[]::new));
      assertThat(result.exit()).as("orch %s\n%s", String.join(" ", args), result).isZero();
      assertThat(result.out()).as("orch %s", String.join(" ", args)).containsPattern(usage);
    }
  }

  @Test
  void installPutsClaudeOrchBesideOrchAsTheSameProgram() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path prefix = tmp.resolve("prefix");
    Path checkout = Path.of("..").toAbsolutePath().normalize();
    Result install = sh(home, checkout, checkout.resolve("scripts/install.sh").toString(), "--prefix", prefix.toString(),
        "--skip-build");
    assertThat(install.exit()).as(install.out()).isZero();
    Path claudeOrch = prefix.resolve("bin/claude-orch");
    assertThat(Files.isSymbolicLink(claudeOrch)).as(install.out()).isTrue();
    assertThat(claudeOrch.toRealPath()).isEqualTo(prefix.resolve("bin/orch").toRealPath());

    // Run through the link from elsewhere: the wrapper finds the installed jar (../lib/orch) from its own location.
    Result version = sh(home, tmp, claudeOrch.toString(), "--version");
    assertThat(version.exit()).as(version.out()).isZero();
    assertThat(version.out()).startsWith("orch ");
    Result help = sh(home, tmp, claudeOrch.toString(), "status", "--help");
    assertThat(help.exit()).as(help.out()).isZero();
    assertThat(help.out()).contains("Usage: orch status");
  }

  private record Result(int exit, String out) {
  }

  private static Result sh(Path home, Path cwd, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("ORCH_"));
    builder.environment().put("HOME", home.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path out = Files.createTempFile(home, "out", ".txt");
    builder.redirectOutput(out.toFile());
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 2 minutes");
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
