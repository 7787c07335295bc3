package dev.orch.launcher;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.SyncReport;
import dev.orch.contract.TaskQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Build a throw-away git repository with a small sample plan and run orch on it.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "Build the demo here instead of a temporary folder (kept afterwards).")
  Path dir;

  @Option(names = "--keep", description = "Keep the temporary folder and print where it is.")
  boolean keep;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path base = dir != null ? Files.createDirectories(dir.toAbsolutePath()) : Files.createTempDirectory("orch-demo-");
    Path repo = base.resolve("greeter");
    try {
      DemoProject.create(repo);
      out.println("Demo project: a git repository with a 4-task plan in 2 modules, at " + repo);
      Path configFile = base.resolve("orch-demo.toml");
      Files.writeString(configFile, "[general]\nproject_root = \"" + repo.toString().replace("\\", "\\\\") + "\"\n");
      OrchConfig config = new ConfigLoader(Map.of(), repo, base).load(configFile).config();
      try (LocalOrch orch = LocalOrch.start(config)) {
        SyncReport report = orch.await(orch.scheduler().sync());
        out.printf("%nSynced %d tasks (%d files read in %d ms).%n%n", report.taskCount(), report.filesRead(), report.parseMillis());
        new TaskTable(orch.await(orch.scheduler().list(TaskQuery.ALL))).print(out);
        out.printf("%nDependency graph (Mermaid):%n%n");
        out.print(new PlanGraph(orch.await(orch.scheduler().list(TaskQuery.ALL))).render(PlanGraph.Format.mermaid));
      }
      return ExitCodes.OK;
    } finally {
      if (dir == null && !keep) {
        deleteTree(base);
      } else {
        out.println("\nThe demo project stays in " + repo);
      }
      out.flush();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
