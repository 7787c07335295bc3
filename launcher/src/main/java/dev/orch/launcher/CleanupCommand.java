package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cleanup", description = {"Remove worktrees and branches no live run or open pull request needs.",
    "Unmerged commits are kept first (under refs/orch/archive/ and as git bundles)."})
final class CleanupCommand extends LocalCommand {
  @Option(names = "--dry-run", description = "Only say what would be removed.")
  boolean dryRun;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    JsonObject result = orch.await(orch.executor().cleanup(dryRun));
    var removed = result.getJsonArray("removed");
    var busy = result.getJsonArray("busy", new io.vertx.core.json.JsonArray());
    if (removed.isEmpty()) {
      out().println("Nothing to clean up.");
    } else {
      out().println((dryRun ? "Would remove" : "Removed") + " the worktrees and branches of: "
          + String.join(", ", removed.stream().map(String::valueOf).toList()));
      result.getJsonArray("saved").forEach(saved -> out().println("  kept " + saved));
    }
    if (!busy.isEmpty()) {
      // A process still works in these (a dev server, a shell): removing them would pull the floor from under it.
      out().println("Left alone, a process still works in them: "
          + String.join(", ", busy.stream().map(String::valueOf).toList()));
    }
    return ExitCodes.OK;
  }
}
