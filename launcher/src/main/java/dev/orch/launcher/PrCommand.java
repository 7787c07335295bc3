package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pr", description = "Pull requests orch opened.", subcommands = {PrCommand.ListPrs.class, PrCommand.Show.class})
final class PrCommand {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  /** Subcommands of {@code pr} reach the global options through {@code pr}'s parent. */
  abstract static class PrSubcommand extends LocalCommand {
  }

  @Command(name = "list", description = "List pull requests, optionally of one state (open, flagged, merged, closed).")
  static final class ListPrs extends PrSubcommand {
    @Option(names = "--state", paramLabel = "S", description = "open, flagged, merged or closed.")
    String state;

    @Option(names = "--json", description = "Print one JSON array.")
    boolean json;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      List<PullRequestView> prs = orch.await(orch.prbot().list(state == null ? null : PrState.fromWire(state)));
      if (json) {
        out().println(new JsonArray(prs.stream().map(PullRequestView::toJson).toList()).encodePrettily());
        return ExitCodes.OK;
      }
      if (prs.isEmpty()) {
        out().println("No pull requests.");
        return ExitCodes.OK;
      }
      out().printf("%-5s %-8s %-16s %-16s %-9s %s%n", "#", "STATE", "TASK", "CREATED", "CHANGES", "TITLE");
      for (PullRequestView pr : prs) {
        out().printf("%-5d %-8s %-16s %-16s %-9s %s%s%n", pr.number(), pr.state().wire(), pr.taskId(),
            TIME.format(Instant.ofEpochMilli(pr.createdAt())), "+" + pr.additions() + " -" + pr.deletions(), pr.title(),
            pr.reason() == null ? "" : "\n      " + pr.reason());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show one pull request with its description and diff.")
  static final class Show extends PrSubcommand {
    @Parameters(paramLabel = "N", description = "The pull request number.")
    int number;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      JsonObject pr = orch.await(orch.prbot().get(number));
      if (json) {
        out().println(pr.encodePrettily());
        return ExitCodes.OK;
      }
      PullRequestView view = PullRequestView.fromJson(pr);
      out().printf("#%d %s [%s]%ntask %s, branch %s, run %d%n", view.number(), view.title(), view.state().wire(),
          view.taskId(), view.branch(), view.runId());
      if (view.reason() != null) {
        out().println("needs a person: " + view.reason());
      }
      if (view.mergeCommit() != null) {
        out().println("merged as " + view.mergeCommit());
      }
      out().println();
      out().println(view.body());
      out().println(pr.getString("diff", ""));
      return ExitCodes.OK;
    }
  }
}
