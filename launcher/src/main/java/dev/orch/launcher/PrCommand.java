package dev.orch.launcher;

import dev.orch.text.CommandText;
import dev.orch.config.OrchConfig;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pr", description = "Pull requests orch opened.", subcommands = {PrCommand.ListPrs.class, PrCommand.Review.class,
    PrCommand.Show.class, PrCommand.Merge.class, PrCommand.Reject.class})
final class PrCommand {

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
      CommandText.pullRequests(out(), prs);
      return ExitCodes.OK;
    }
  }

  @Command(name = "review", description = "Pull requests waiting for a person, with the reasons.")
  static final class Review extends PrSubcommand {
    @Override
    int run(OrchSession orch, OrchConfig config) {
      List<PullRequestView> flagged = orch.await(orch.prbot().list(PrState.FLAGGED));
      if (flagged.isEmpty()) {
        out().println("No pull request needs a person.");
        return ExitCodes.OK;
      }
      for (PullRequestView pr : flagged) {
        out().printf("#%d %s%n    task %s, branch %s, %d files +%d -%d, checks: %s%n    labels: %s%n    why: %s%n%n",
            pr.number(), pr.title(), pr.taskId(), pr.branch(), pr.filesChanged(), pr.additions(), pr.deletions(),
            pr.checks() == null ? "not run" : pr.checks(), String.join(", ", pr.labels()), pr.reason());
      }
      out().println("orch pr show N for the diff, orch pr merge N to merge, orch pr reject N --reason TEXT to send it back.");
      return ExitCodes.OK;
    }
  }

  @Command(name = "merge", description = "Merge a pull request (by number, or by task id); checks must pass unless --force.")
  static final class Merge extends PrSubcommand {
    @Parameters(paramLabel = "N|ID", description = "The pull request number, or the task whose pull request it is.")
    String which;

    @Option(names = "--force", description = "Merge even if the checks fail.")
    boolean force;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      int number = numberOf(orch, which);
      PullRequestView pr = orch.await(orch.prbot().merge(number, force));
      CommandText.merged(out(), pr);
      return pr.state() == PrState.MERGED ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  @Command(name = "reject", description = "Send a pull request back to its agent with what to change.")
  static final class Reject extends PrSubcommand {
    @Parameters(paramLabel = "N", description = "The pull request number.")
    int number;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "What the agent should change.")
    String reason;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      PullRequestView pr = orch.await(orch.prbot().reject(number, reason));
      CommandText.rejected(out(), pr);
      return ExitCodes.OK;
    }
  }

  /** {@code 7} or {@code billing/E05}: the task's open or flagged pull request. */
  static int numberOf(OrchSession orch, String which) {
    if (which.matches("\\d+")) {
      return Integer.parseInt(which);
    }
    dev.orch.contract.TaskId task = dev.orch.contract.TaskId.parseFull(which);
    return orch.await(orch.prbot().list(null)).stream()
        .filter(pr -> pr.taskId().equals(task) && (pr.state() == PrState.OPEN || pr.state() == PrState.FLAGGED))
        .map(PullRequestView::number).findFirst()
        .orElseThrow(() -> dev.orch.contract.OrchException.notFound(task + " has no open pull request"));
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
      out().printf("checks: %s; routing: %s%s%n", view.checks() == null ? "not run" : view.checks(),
          view.routing() == null ? "routine" : view.routing(), view.labels().isEmpty() ? "" : "; labels: "
              + String.join(", ", view.labels()));
      if (view.reason() != null) {
        out().println((view.state() == PrState.FLAGGED ? "needs a person: " : "") + view.reason());
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
