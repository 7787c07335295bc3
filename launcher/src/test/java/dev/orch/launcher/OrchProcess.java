package dev.orch.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded {@code orch.jar} as a real process, the way a user does, with a private HOME. */
final class OrchProcess {
  private static final long TIMEOUT_SECONDS = 120;

  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path home;
  private final Map<String, String> env;

  OrchProcess(Path home, Map<String, String> env) {
    this.home = home;
    this.env = env;
  }

  static Path jar() {
    String jar = System.getProperty("orch.jar");
    Path path = Path.of(jar == null ? "target/orch.jar" : jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("orch.jar not built at " + path.toAbsolutePath() + " (run mvn package first)");
    }
    return path.toAbsolutePath();
  }

  Result run(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ORCH_"));
    builder.environment().put("HOME", home.toString());
    builder.environment().putAll(env);
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("orch " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
