package dev.orch.launcher;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.OrchException;
import dev.orch.contract.SyncReport;
import dev.orch.contract.TaskQuery;
import dev.orch.git.GitCli;
import dev.orch.text.TaskTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orch onboard}: from a git repository to a first sync. Checks what orch needs, writes the project's config
 * (asking, with defaults; {@code --yes} takes them), creates {@code docs/plans/} with a sample module, plan and README
 * status table, keeps {@code .orch/} out of git, and syncs. What already exists is kept, so running it again changes
 * nothing.
 */
@Command(name = "onboard", description = {"Set orch up in this git repository: check prerequisites, write",
    ".claude-orchestrator.toml, create docs/plans/ with a sample plan, sync, and show what is ready. Safe to repeat."})
final class OnboardCommand implements Callable<Integer> {
  private static final String SAMPLE_MODULE = "getting-started";

  @Spec
  CommandSpec spec;

  @Option(names = {"-y", "--yes"}, description = "Take every default without asking.")
  boolean yes;

  @Option(names = "--max-parallel", paramLabel = "N", description = "Agents at once (default 2).")
  Integer maxParallel;

  @Option(names = "--claude", paramLabel = "COMMAND", description = "The Claude Code CLI to run (default: claude).")
  String claude;

  @Option(names = "--web-port", paramLabel = "PORT", description = "The dashboard's port on 127.0.0.1 (default 8080).")
  Integer webPort;

  private BufferedReader input;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path root = projectRoot();
    out.println("orch onboard in " + root);

    out.println("\nPrerequisites:");
    boolean ok = check(out, "git", true, "git", "--version");
    ok &= check(out, "java", true, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version");
    String claudeCommand = claude != null ? claude : "claude";
    boolean hasClaude = check(out, "claude CLI", true, claudeCommand, "--version");
    check(out, "nix", false, "nix", "--version");
    if (!hasClaude) {
      out.println("  the agents need the Claude Code CLI: npm install -g @anthropic-ai/claude-code (or"
          + " scripts/check-deps.sh --local); orch demo runs without it");
    }

    out.println("\nConfig:");
    Path configFile = root.resolve(ConfigLoader.PROJECT_FILE);
    if (Files.exists(configFile)) {
      out.println("  kept " + configFile.getFileName());
    } else {
      int parallel = maxParallel != null ? maxParallel : askInt(out, "How many agents at once", 2, 1, 256);
      String command = claude != null ? claude : ask(out, "The Claude Code CLI to run", "claude");
      int port = webPort != null ? webPort : askInt(out, "The dashboard's port on 127.0.0.1", 8080, 0, 65535);
      Files.writeString(configFile, """
          # orch's config for this project (every key: config/config.toml in orch's source)
          [general]
          plans_dir = "docs/plans"
          max_parallel_agents = %d

          [claude]
          command = "%s"

          [web]
          port = %d
          """.formatted(parallel, command.replace("\\", "\\\\").replace("\"", "\\\""), port), StandardCharsets.UTF_8);
      out.println("  wrote " + configFile.getFileName());
    }

    out.println("\nPlans:");
    Path plans = root.resolve("docs/plans");
    if (hasPlanFiles(plans)) {
      out.println("  kept docs/plans/ (it has plans)");
    } else {
      writeSample(plans.resolve(SAMPLE_MODULE));
      out.println("  created docs/plans/" + SAMPLE_MODULE + "/ with a README status table and two sample tasks");
    }
    Path gitignore = root.resolve(".gitignore");
    String ignored = Files.exists(gitignore) ? Files.readString(gitignore, StandardCharsets.UTF_8) : "";
    if (ignored.lines().anyMatch(line -> line.trim().equals(".orch/") || line.trim().equals(".orch"))) {
      out.println("  kept .gitignore (.orch/ is ignored)");
    } else {
      Files.writeString(gitignore, (ignored.isEmpty() || ignored.endsWith("\n") ? ignored : ignored + "\n")
          + "# orch's state: database, worktrees, agent logs\n.orch/\n", StandardCharsets.UTF_8);
      out.println("  added .orch/ to .gitignore");
    }

    out.println("\nFirst sync:");
    OrchConfig config = ConfigLoader.fromEnvironment().load(configFile).config();
    try (OrchSession orch = OrchSession.connect(config)) {
      SyncReport report = orch.await(orch.scheduler().sync());
      out.printf("  %d task(s), %d new, %d plan problem(s)%n", report.taskCount(), report.inserted(), report.errors().size());
      report.errors().forEach(issue -> out.println("  " + issue.describe()));
      var ready = orch.await(orch.scheduler().list(new TaskQuery(null, null, Boolean.TRUE)));
      out.println(ready.isEmpty() ? "  nothing is ready yet" : "  ready to start:");
      if (!ready.isEmpty()) {
        new TaskTable(ready).print(out);
      }
    }
    out.println("\nNext: commit docs/plans/, then orch run (or orch start ID). orch status shows where things are.");
    return ok ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private Path projectRoot() {
    GitCli git = new GitCli(Path.of("").toAbsolutePath());
    GitCli.Result top = git.tryRunIn(Path.of("").toAbsolutePath(), "rev-parse", "--show-toplevel");
    if (!top.ok()) {
      throw OrchException.badRequest("run orch onboard inside a git repository (git init first)");
    }
    return Path.of(top.out().trim());
  }

  private static boolean check(PrintWriter out, String name, boolean required, String... command) {
    boolean found;
    String version = "";
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      found = process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
      version = text.lines().findFirst().orElse("").trim();
    } catch (IOException e) {
      found = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      found = false;
    }
    out.printf("  %-8s %-11s %s%n", found ? "ok" : required ? "MISSING" : "optional", name, found ? version : "");
    return found || !required;
  }

  private String ask(PrintWriter out, String question, String fallback) {
    if (yes) {
      return fallback;
    }
    out.printf("  %s [%s]: ", question, fallback);
    out.flush();
    try {
      if (input == null) {
        input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      }
      String line = input.readLine();
      return line == null || line.isBlank() ? fallback : line.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int askInt(PrintWriter out, String question, int fallback, int min, int max) {
    while (true) {
      String answer = ask(out, question, String.valueOf(fallback));
      try {
        int value = Integer.parseInt(answer);
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // asked again below
      }
      out.printf("  a whole number from %d to %d, please%n", min, max);
    }
  }

  private static boolean hasPlanFiles(Path plans) throws IOException {
    if (!Files.isDirectory(plans)) {
      return false;
    }
    try (var files = Files.walk(plans)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".md"));
    }
  }

  private static void writeSample(Path module) throws IOException {
    Files.createDirectories(module);
    Map<String, String> files = Map.of(
        "README.md", """
            # Getting started

            A sample module orch made with `orch onboard`. Replace it with your own plan: one folder per module, one
            markdown file per task, `epic-NN-name.md`, in the order they should happen.

            | Task | Title | Status |
            |------|-------|--------|
            | E01 | Say hello | not started |
            | E02 | Explain it | not started |
            """,
        "epic-01-hello.md", """
            ---
            priority: high
            ---

            # Say hello

            Add `hello.txt` at the root of the repository with one line: `Hello from orch`.

            ## Acceptance Criteria

            - [ ] `hello.txt` holds the line `Hello from orch`
            """,
        "epic-02-explain.md", """
            ---
            depends_on: [getting-started/E01]
            ---

            # Explain it

            Add a short section to the README saying that `hello.txt` was written by an agent orch ran.

            ## Acceptance Criteria

            - [ ] The README mentions `hello.txt` and orch
            """);
    for (var entry : files.entrySet()) {
      Files.writeString(module.resolve(entry.getKey()), entry.getValue(), StandardCharsets.UTF_8);
    }
  }
}
