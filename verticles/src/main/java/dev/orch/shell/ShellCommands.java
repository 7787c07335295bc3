package dev.orch.shell;

import dev.orch.contract.BatchClient;
import dev.orch.contract.BatchView;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.OrchException;
import dev.orch.contract.PrState;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StartResult;
import dev.orch.contract.SyncReport;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import dev.orch.text.BatchText;
import dev.orch.text.CommandText;
import dev.orch.text.StatusText;
import dev.orch.text.TaskTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.shell.cli.Completion;
import io.vertx.ext.shell.command.Command;
import io.vertx.ext.shell.command.CommandBuilder;
import io.vertx.ext.shell.command.CommandProcess;
import dev.orch.text.Printable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The shell's commands. Where the CLI has the same command they take the same names and options and print the same
 * text (both use {@code dev.orch.text}); every failure is printed as a message and the session goes on.
 */
final class ShellCommands {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private final Vertx vertx;
  private final SchedulerClient scheduler;
  private final ExecutorClient executor;
  private final PrbotClient prbot;
  private final BuildPoolClient pool;
  private final BatchClient batches;
  private final boolean localFallbackEnabled;
  private final Map<String, String> descriptions = new LinkedHashMap<>();
  private final List<Command> commands = new ArrayList<>();

  ShellCommands(Vertx vertx, boolean localFallbackEnabled) {
    this.vertx = vertx;
    this.scheduler = new SchedulerClient(vertx);
    this.executor = new ExecutorClient(vertx);
    this.prbot = new PrbotClient(vertx);
    this.pool = new BuildPoolClient(vertx);
    this.batches = new BatchClient(vertx);
    this.localFallbackEnabled = localFallbackEnabled;
    text("status", "Tasks by status, problems, running agents, spend and the build pool.", this::status);
    text("list", "The task table: list [--module M] [--status S] [--ready].", this::list);
    text("show", "One task, its runs and pull requests: show ID.", this::show);
    text("start", "Start tasks now: start ID... (or start --count N).", this::start);
    text("stop", "Stop a task's running agent: stop ID.", (process, args) -> taskAction(args, "stopped", scheduler::stop));
    text("retry", "Run a failed or stuck task again: retry ID.", (process, args) -> taskAction(args, "retried", scheduler::retry));
    text("reset", "Put a task back to not started: reset ID.", (process, args) -> taskAction(args, "reset", scheduler::reset));
    text("unpark", "Lift the rate-limit governor's park now: one paused agent goes first as a probe.",
        (process, args) -> scheduler.unpark().map(view -> render(out -> CommandText.unparked(out, view))));
    live("logs", "A task's agent log: logs ID [-f] (-f follows a live run; Ctrl-C stops following).",
        (process, args) -> new LogFollower(vertx, executor, process).start(args));
    text("agents", "The agents running now.", this::agents);
    text("prs", "Pull requests: prs [--state open|flagged|merged|closed].", this::prs);
    text("pr", "pr merge N [--force] | pr reject N --reason TEXT.", this::pr);
    text("pool", "The build pool: agents, slots, queue.", (process, args) -> pool.status().map(status ->
        render(out -> StatusText.pool(out, status, localFallbackEnabled))));
    text("batch", "Scheduled batches: batch [list|status|run NAME|stop NAME].", this::batch);
    text("sync", "Read the plan files again.", (process, args) -> scheduler.sync().map(ShellCommands::describeSync));
    live("top", "A live full-screen view of agents, queue, pool and what needs a person; q quits.",
        (process, args) -> new TopView(vertx, scheduler, executor, prbot, pool, process).start());
    text("help", "The commands.", (process, args) -> Future.succeededFuture(help()));
  }

  List<Command> commands() {
    return commands;
  }

  // ---- registration

  private void text(String name, String description, BiFunction<CommandProcess, Args, Future<String>> body) {
    live(name, description, (process, args) -> {
      Future<String> output;
      try {
        output = body.apply(process, args);
      } catch (RuntimeException e) {
        output = Future.failedFuture(e);
      }
      output.onComplete(done -> {
        if (done.succeeded()) {
          // Titles, reasons and agent text come from plans and models: nothing they hold drives the terminal.
          process.write(Printable.text(done.result()));
          process.end();
        } else {
          fail(process, done.cause());
        }
      });
    });
  }

  /** A command that writes as it goes and ends its process itself. */
  private void live(String name, String description, BiConsumerWithArgs body) {
    descriptions.put(name, description);
    commands.add(CommandBuilder.command(name).processHandler(process -> {
      try {
        body.accept(process, Args.parse(process.args(), FLAGS, VALUED, ALIASES));
      } catch (RuntimeException e) {
        fail(process, e);
      }
    }).completionHandler(this::complete).build(vertx));
  }

  @FunctionalInterface
  interface BiConsumerWithArgs {
    void accept(CommandProcess process, Args args);
  }

  private static final Set<String> FLAGS = Set.of("--ready", "--follow", "--force", "--json");
  private static final Set<String> VALUED = Set.of("--module", "--status", "--state", "--reason", "--count");
  private static final Map<String, String> ALIASES = Map.of("-f", "--follow", "-m", "--module");

  static void fail(CommandProcess process, Throwable failure) {
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    process.write("error: " + Printable.text(message) + "\n");
    process.end(1);
  }

  /** Task ids for commands that take one; sub-commands for pr. */
  private void complete(Completion completion) {
    List<io.vertx.ext.shell.cli.CliToken> tokens = completion.lineTokens().stream().filter(t -> !t.isBlank()).toList();
    String last = completion.rawLine().endsWith(" ") || tokens.isEmpty() ? "" : tokens.get(tokens.size() - 1).value();
    scheduler.list(TaskQuery.ALL).onComplete(done -> {
      if (done.failed()) {
        completion.complete(List.of());
        return;
      }
      List<String> candidates = done.result().stream().map(TaskView::id).filter(id -> id.startsWith(last)).sorted().toList();
      if (candidates.size() == 1) {
        completion.complete(candidates.get(0).substring(last.length()), true);
      } else {
        completion.complete(candidates);
      }
    });
  }

  // ---- the commands

  private Future<String> status(CommandProcess process, Args args) {
    var summary = scheduler.status();
    var runs = executor.runs(null, true);
    var spend = executor.spend();
    var poolStatus = pool.status();
    return Future.all(summary, runs, spend, poolStatus).map(all -> render(out -> {
      StatusText.tasks(out, summary.result());
      StatusText.agents(out, runs.result());
      StatusText.spend(out, spend.result());
      if (poolStatus.result().coordinating()) {
        StatusText.pool(out, poolStatus.result(), localFallbackEnabled);
      }
      StatusText.footer(out, summary.result());
    }));
  }

  private Future<String> list(CommandProcess process, Args args) {
    String status = args.value("--status");
    TaskQuery query = new TaskQuery(args.value("--module"), status == null ? null : TaskStatus.fromWire(status),
        args.flag("--ready") ? Boolean.TRUE : null);
    return scheduler.list(query).map(tasks -> render(out -> new TaskTable(tasks).print(out)));
  }

  private Future<String> show(CommandProcess process, Args args) {
    TaskId id = TaskId.parseFull(args.only("task id"));
    return scheduler.get(id).compose(task -> Future.all(executor.runs(id, false), prbot.list(null)).map(both -> render(out -> {
      out.printf("%s  %s%n", task.id(), task.title());
      out.printf("  status %s%s, priority %s, %s%n", task.status().wire(), task.ready() ? " (ready)" : "",
          task.priority().wire(), task.file());
      out.printf("  depends on: %s%n", task.dependsOn().isEmpty() ? "-" : String.join(", ", task.dependsOn()));
      if (task.criteriaTotal() > 0) {
        out.printf("  acceptance criteria: %d of %d checked%n", task.criteriaDone(), task.criteriaTotal());
      }
      if (task.blockedReason() != null) {
        out.println("  blocked: " + task.blockedReason());
      }
      if (task.lastError() != null) {
        out.println("  last error: " + task.lastError());
      }
      List<RunView> runs = both.resultAt(0);
      out.println(runs.isEmpty() ? "  no runs yet" : "  runs:");
      for (RunView run : runs) {
        out.printf("    run %-4d attempt %d  %-9s %s  %,d tokens  $%.4f%s%n", run.runId(), run.attempt(),
            run.status().wire(), TIME.format(Instant.ofEpochMilli(run.startedAt())), run.inputTokens() + run.outputTokens(),
            run.costUsd(), run.reason() == null ? "" : "  " + run.reason());
      }
      List<PullRequestView> prs = both.<List<PullRequestView>>resultAt(1).stream().filter(pr -> id.equals(pr.taskId())).toList();
      for (PullRequestView pr : prs) {
        out.printf("  pull request #%d %s%s%n", pr.number(), pr.state().wire(), pr.reason() == null ? "" : ": " + pr.reason());
      }
    })));
  }

  private Future<String> start(CommandProcess process, Args args) {
    int count = args.value("--count") == null ? 0 : parseCount(args.value("--count"));
    List<String> ids = args.positional.stream().map(id -> TaskId.parseFull(id).toString()).toList();
    return scheduler.start(new StartRequest(ids, count, args.value("--module"))).map(ShellCommands::describeStart);
  }

  private static int parseCount(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw OrchException.badRequest("--count must be a number, not '" + text + "'");
    }
  }

  static String describeStart(StartResult result) {
    return render(out -> CommandText.started(out, result, "starting"));
  }

  private Future<String> taskAction(Args args, String done, java.util.function.Function<TaskRef, Future<TaskView>> action) {
    TaskId id = TaskId.parseFull(args.only("task id"));
    return action.apply(new TaskRef(id, "asked for in the shell")).map(task -> render(out -> CommandText.taskChanged(out,
        task, done)));
  }

  private Future<String> agents(CommandProcess process, Args args) {
    return executor.runs(null, true).map(runs -> runs.isEmpty() ? "No agents are running.\n"
        : render(out -> StatusText.agents(out, runs)));
  }

  private Future<String> prs(CommandProcess process, Args args) {
    String state = args.value("--state");
    return prbot.list(state == null ? null : PrState.fromWire(state)).map(prs -> render(out -> CommandText.pullRequests(out,
        prs)));
  }

  private Future<String> pr(CommandProcess process, Args args) {
    if (args.positional.size() != 2 || !Set.of("merge", "reject").contains(args.positional.get(0))) {
      throw OrchException.badRequest("usage: pr merge N [--force] | pr reject N --reason TEXT");
    }
    int number;
    try {
      number = Integer.parseInt(args.positional.get(1).replace("#", ""));
    } catch (NumberFormatException e) {
      throw OrchException.badRequest("'" + args.positional.get(1) + "' is not a pull request number");
    }
    if (args.positional.get(0).equals("merge")) {
      return prbot.merge(number, args.flag("--force")).map(pr -> render(out -> CommandText.merged(out, pr)));
    }
    String reason = args.value("--reason");
    if (reason == null || reason.isBlank()) {
      throw OrchException.badRequest("pr reject needs --reason TEXT: what the agent should change");
    }
    return prbot.reject(number, reason).map(pr -> render(out -> CommandText.rejected(out, pr)));
  }

  private Future<String> batch(CommandProcess process, Args args) {
    String what = args.positional.isEmpty() ? "list" : args.positional.get(0);
    return switch (what) {
      case "list" -> batches.listAll().map(all -> render(out -> BatchText.list(out,
          all.getJsonArray("batches").stream().map(o -> BatchView.fromJson((io.vertx.core.json.JsonObject) o)).toList(),
          all.getJsonArray("errors").stream().map(String::valueOf).toList(), all.getString("schedule_file"))));
      case "status" -> batches.list().map(views -> render(out -> BatchText.status(out, views)));
      case "run", "stop" -> {
        if (args.positional.size() != 2) {
          throw OrchException.badRequest("usage: batch " + what + " NAME");
        }
        String name = args.positional.get(1);
        yield (what.equals("run") ? batches.run(name) : batches.stop(name)).map(view -> "batch " + view.name()
            + (view.running() ? " is running\n" : " stopped\n"));
      }
      default -> throw OrchException.badRequest("usage: batch [list|status|run NAME|stop NAME]");
    };
  }

  static String describeSync(SyncReport r) {
    return render(out -> {
      out.printf("Synced %d task%s (%d files read in %d ms, stored in %d ms): %d new, %d updated, %d unchanged, %d removed%n",
          r.taskCount(), r.taskCount() == 1 ? "" : "s", r.filesRead(), r.parseMillis(), r.storeMillis(), r.inserted(),
          r.updated(), r.unchanged(), r.removed());
      if (!r.errors().isEmpty()) {
        out.printf("%d plan problem%s (those tasks are blocked; everything else synced):%n", r.errors().size(),
            r.errors().size() == 1 ? "" : "s");
        r.errors().forEach(issue -> out.println("  " + issue.describe()));
      }
    });
  }

  private String help() {
    return render(out -> {
      out.println("orch shell commands:");
      descriptions.forEach((name, description) -> out.printf("  %-8s %s%n", name, description));
      out.println("  exit     Leave the shell.");
    });
  }

  static String render(Consumer<PrintWriter> body) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    body.accept(out);
    out.flush();
    return text.toString();
  }
}
