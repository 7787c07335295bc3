package dev.orch.launcher;

import dev.orch.text.TaskTable;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.SyncReport;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import dev.orch.scripted.ScriptedModelServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = {"Build a throw-away git repository with a small plan (4 tasks, 2 modules) and run",
    "it to the end: real agents (the claude CLI when it is installed) against a scripted model on 127.0.0.1."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "Build the demo here instead of a temporary folder (kept afterwards).")
  Path dir;

  @Option(names = "--keep", description = "Keep the temporary folder and print where it is.")
  boolean keep;

  @Option(names = "--agent", paramLabel = "COMMAND", description = "The agent CLI to run (default: claude on PATH).")
  String agent;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "Give up after this long.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path base = dir != null ? Files.createDirectories(dir.toAbsolutePath()) : Files.createTempDirectory("orch-demo-");
    Path repo = base.resolve("greeter");
    Vertx modelVertx = Vertx.vertx();
    try {
      DemoProject.create(repo);
      out.println("Demo project: a git repository with a 4-task plan in 2 modules, at " + repo);
      String command = agentCommand().orElse(null);
      if (command == null) {
        out.println("The claude CLI is not on PATH, so orch runs its stand-in agent, which speaks the same protocol.");
        command = StandIn.command();
      } else {
        out.println("Agents: " + command + ", against a scripted model on 127.0.0.1.");
      }
      ScriptedModelServer model = await(ScriptedModelServer.start(modelVertx, DemoScript.book()));
      Path configFile = base.resolve("orch-demo.toml");
      Files.writeString(configFile, demoConfig(repo, command), StandardCharsets.UTF_8);
      OrchConfig config = new ConfigLoader(System.getenv(), repo, base).load(configFile).config();
      Map<String, String> env = model.cliEnvironment(Files.createDirectories(base.resolve("claude-config")).toString());
      return runPlan(config, env, repo, out);
    } finally {
      modelVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (dir == null && !keep) {
        deleteTree(base);
      } else {
        out.println("\nThe demo project stays in " + repo);
      }
      out.flush();
    }
  }

  private int runPlan(OrchConfig config, Map<String, String> env, Path repo, PrintWriter out) throws InterruptedException {
    try (Orchestrator orch = Orchestrator.start(config, Wiring.Mode.RUN, env)) {
      OrchSession session = orch.session();
      TransitionPrinter.attach(session.vertx(), out, t -> true);
      SyncReport report = session.await(session.scheduler().sync());
      out.printf("%nSynced %d tasks; orch starts the ready ones, at most %d at a time.%n%n", report.taskCount(),
          config.general().maxParallelAgents());
      out.flush();
      long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
      List<TaskView> tasks;
      do {
        Thread.sleep(300);
        tasks = session.await(session.scheduler().list(TaskQuery.ALL));
      } while (!settled(tasks) && System.currentTimeMillis() < deadline);
      if (!settled(tasks)) {
        out.printf("%nThe demo did not finish within %d s.%n", timeoutSeconds);
      }
      out.println();
      new TaskTable(tasks).print(out);
      List<PullRequestView> prs = session.await(session.prbot().list(null));
      out.printf("%nPull requests:%n");
      prs.forEach(pr -> out.printf("  #%d %-8s %s (+%d -%d)%n", pr.number(), pr.state().wire(), pr.title(), pr.additions(),
          pr.deletions()));
      out.printf("%nThe main branch now:%n%s%n", git(repo, "log", "--oneline", "--graph", "main"));
      out.printf("%nRunning the result (sh cli/greet.sh):%n%s%n", run(repo, "sh", "cli/greet.sh"));
      boolean allDone = tasks.stream().allMatch(t -> t.status() == TaskStatus.COMPLETE);
      out.println(allDone ? "\nAll tasks complete." : "\nNot every task completed; see above.");
      return allDone ? ExitCodes.OK : ExitCodes.PLAN_ERRORS;
    }
  }

  /** Nothing runs, nothing waits for a retry or a merge, and nothing else can start. */
  static boolean settled(List<TaskView> tasks) {
    return tasks.stream().noneMatch(t -> t.ready() || t.retryAt() > 0 || t.status() == TaskStatus.QUEUED
        || t.status() == TaskStatus.RUNNING || t.status() == TaskStatus.IN_REVIEW && t.lastError() == null);
  }

  private Optional<String> agentCommand() {
    if (agent != null && !agent.isBlank()) {
      return Optional.of(agent);
    }
    String configured = System.getenv("ORCH_CLAUDE__COMMAND");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(configured);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String folder : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(folder, "claude");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  private static String demoConfig(Path repo, String command) {
    return """
        [general]
        project_root = "%s"
        max_parallel_agents = 2
        database_path = "${project_root}/../state/orch.db"
        worktree_dir = "${project_root}/../worktrees"
        log_dir = "${project_root}/../logs"

        [claude]
        command = "%s"
        model = "claude-demo"
        max_turns = 20

        [observer]
        idle_timeout = "2m"
        run_timeout = "5m"

        [scheduler]
        retry_base_delay = "2s"

        [web]
        port = 0

        [shell]
        telnet_port = 0
        """.formatted(toml(repo.toString()), toml(command));
  }

  private static String toml(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String git(Path repo, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    return run(repo, command);
  }

  private static String run(Path dir, String... command) {
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return output.stripTrailing();
    } catch (IOException e) {
      return "(could not run " + String.join(" ", command) + ": " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
