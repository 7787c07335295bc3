package dev.orch.shell;

import dev.orch.contract.Addresses;
import dev.orch.contract.AgentEvent;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.OrchException;
import dev.orch.contract.RunLogPage;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.text.AgentEventText;
import dev.orch.text.Printable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.shell.command.CommandProcess;

/**
 * {@code logs ID [-f]}: the task's latest run, read page by page from its log; with {@code -f}, then the run's events
 * as the executor publishes them, until the run ends or the person presses Ctrl-C.
 */
final class LogFollower {
  private static final int PAGE = 500;

  private final Vertx vertx;
  private final ExecutorClient executor;
  private final CommandProcess process;
  private MessageConsumer<JsonObject> output;
  private MessageConsumer<JsonObject> finished;
  private boolean ended;

  LogFollower(Vertx vertx, ExecutorClient executor, CommandProcess process) {
    this.vertx = vertx;
    this.executor = executor;
    this.process = process;
  }

  void start(Args args) {
    TaskId task = TaskId.parseFull(args.only("task id"));
    boolean follow = args.flag("--follow");
    executor.runs(task, false).compose(runs -> {
      if (runs.isEmpty()) {
        return Future.failedFuture(OrchException.notFound(task + " has no runs yet"));
      }
      RunView run = runs.get(0);
      process.write(String.format("%s run %d (attempt %d), %s%s%n", task, run.runId(), run.attempt(), run.status().wire(),
          run.reason() == null ? "" : ": " + Printable.line(run.reason())));
      if (follow && run.status().live()) {
        // Listen first, then read the file: an event published in between is printed twice at worst, never lost.
        output = vertx.eventBus().consumer(Addresses.Executor.EVT_OUTPUT, message -> {
          AgentOutput out = AgentOutput.fromJson(message.body());
          if (out.runId() == run.runId()) {
            out.events().forEach(this::print);
          }
        });
        output.pause();
        finished = vertx.eventBus().consumer(Addresses.Executor.EVT_FINISHED, message -> {
          RunView done = RunView.fromJson(message.body());
          if (done.runId() == run.runId()) {
            finish(String.format("%nrun %d %s%s%n", done.runId(), done.status().wire(),
                done.reason() == null ? "" : ": " + Printable.line(done.reason())));
          }
        });
        process.interruptHandler(v -> finish("\n"));
      }
      return readFrom(run.runId(), 0).map(page -> page);
    }).onComplete(done -> {
      if (done.failed()) {
        stopListening();
        ShellCommands.fail(process, done.cause());
      } else if (output == null) {
        process.end();
      } else {
        output.resume();
        // The run may have ended while the file was read, before its end could be heard.
        executor.run(done.result().runId()).onSuccess(now -> {
          if (!now.status().live()) {
            finish(String.format("%nrun %d %s%s%n", now.runId(), now.status().wire(),
                now.reason() == null ? "" : ": " + Printable.line(now.reason())));
          }
        });
      }
    });
  }

  private Future<RunLogPage> readFrom(long runId, long offset) {
    return executor.log(runId, offset, PAGE).compose(page -> {
      page.events().forEach(this::print);
      return page.nextOffset() < page.size() && page.nextOffset() > offset ? readFrom(runId, page.nextOffset())
          : Future.succeededFuture(page);
    });
  }

  private void print(AgentEvent event) {
    if (!ended) {
      process.write(AgentEventText.describe(event) + "\n");
    }
  }

  private void finish(String last) {
    if (ended) {
      return;
    }
    ended = true;
    stopListening();
    process.write(last);
    process.end();
  }

  private void stopListening() {
    if (output != null) {
      output.unregister();
    }
    if (finished != null) {
      finished.unregister();
    }
  }
}
