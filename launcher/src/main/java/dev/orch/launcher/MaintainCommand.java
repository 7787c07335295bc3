package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.OrchException;
import dev.orch.contract.TaskView;
import dev.orch.git.GitCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "maintain", description = {"Create a maintenance task from a template (refactor, cleanup, optimize, docs,",
    "tests, security, lint, or your own): it runs like any other task, with its own worktree, pull request, routing",
    "and checks. Without a template, lists them."})
final class MaintainCommand extends LocalCommand {
  static final String MODULE = "maintenance";
  private static final Pattern EPIC = Pattern.compile("epic-(\\d+)-.*\\.md");

  @Parameters(paramLabel = "TEMPLATE", arity = "0..1", description = "The template's id.")
  String template;

  @Option(names = "--module", paramLabel = "M", description = "Work on this module.")
  String module;

  @Option(names = "--package", paramLabel = "P", description = "Work on this package (or folder).")
  String pkg;

  @Option(names = "--all", description = "Work on the whole project.")
  boolean all;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    MaintenanceTemplates templates = new MaintenanceTemplates(config.prompts().folders());
    if (template == null) {
      templates.all().values().forEach(t -> out().printf("%-10s %-16s %-22s %s%s%n", t.id(), t.name(),
          String.join(",", t.scopes()), t.description(), t.origin().startsWith("built-in") ? "" : "  (" + t.origin() + ")"));
      return ExitCodes.OK;
    }
    MaintenanceTemplates.Template chosen = templates.get(template);
    int given = (module == null ? 0 : 1) + (pkg == null ? 0 : 1) + (all ? 1 : 0);
    if (given != 1) {
      throw OrchException.badRequest("say what to work on: exactly one of --module M, --package P or --all");
    }
    String scope = module != null ? "module" : pkg != null ? "package" : "all";
    if (!chosen.scopes().contains(scope)) {
      throw OrchException.badRequest("template " + chosen.id() + " works on " + String.join(", ", chosen.scopes())
          + ", not " + scope);
    }
    String scopeText = module != null ? "the module " + module : pkg != null ? "the package " + pkg : "the whole project";
    String body = templates.prompt(chosen, Map.of("Scope", scopeText, "Module", module == null ? "" : module,
        "Package", pkg == null ? "" : pkg));
    String title = chosen.name() + ": " + (module != null ? module : pkg != null ? pkg : "whole project");

    Path root = config.general().projectRoot();
    Path folder = config.general().plansDir().resolve(MODULE);
    Path file;
    try {
      Files.createDirectories(folder);
      int number = nextNumber(folder);
      String slug = (chosen.id() + "-" + (module != null ? module : pkg != null ? pkg : "all"))
          .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
      file = folder.resolve(String.format("epic-%02d-%s.md", number, slug));
      Files.writeString(file, "---\ntitle: \"" + title.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\npriority: low\n"
          + "maintenance: " + chosen.id() + "\n# Independent of the other maintenance tasks, which only share a folder.\nstandalone: true\n---\n\n"
          + body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the maintenance task into " + folder, e);
    }
    String relative = root.relativize(file).toString();
    GitCli git = new GitCli(root);
    git.run("add", "--", relative);
    git.commitIn(root, "Plan a maintenance task: " + title, "--only", relative);
    orch.await(orch.scheduler().sync());
    TaskView task = orch.await(orch.scheduler().list(new dev.orch.contract.TaskQuery(MODULE, null, null))).stream()
        .filter(t -> t.file() != null && t.file().endsWith(file.getFileName().toString())).findFirst()
        .orElseThrow(() -> new IllegalStateException("the new plan file " + relative + " did not become a task"));
    out().printf("created %s (%s): %s%n%s%n", task.id(), relative, title, task.ready()
        ? "it is ready: orch run starts it, or orch start " + task.id()
        : "it waits: " + (task.blockedReason() == null ? task.status().wire() : task.blockedReason()));
    return ExitCodes.OK;
  }

  private static int nextNumber(Path folder) throws IOException {
    int highest = 0;
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Matcher m = EPIC.matcher(f.getFileName().toString());
        if (m.matches()) {
          highest = Math.max(highest, Integer.parseInt(m.group(1)));
        }
      }
    }
    return highest + 1;
  }
}
