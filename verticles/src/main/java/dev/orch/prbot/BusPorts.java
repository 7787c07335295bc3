package dev.orch.prbot;

import dev.orch.contract.Addresses;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.ParserClient;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskView;
import dev.orch.contract.WriteStatusRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.nio.file.Path;
import java.util.Optional;

/** {@link PullRequestPipeline}'s neighbours over the event bus: the executor, scheduler and parser clients; prbot's events. */
final class BusPorts {
  private BusPorts() {
  }

  static PipelinePorts.Agent agent(ExecutorClient executor) {
    return new PipelinePorts.Agent() {
      @Override
      public Future<RunView> resume(ResumeRequest request) {
        return executor.resume(request);
      }

      @Override
      public Future<Optional<RunView>> latestRun(TaskId taskId) {
        return executor.runs(taskId, false).map(runs -> runs.stream().findFirst());
      }

      @Override
      public Future<Void> removeWorktree(TaskId taskId, String reason) {
        return executor.removeWorktree(taskId, reason);
      }
    };
  }

  static PipelinePorts.TaskSource tasks(SchedulerClient scheduler, ExecutorClient executor) {
    return new PipelinePorts.TaskSource() {
      @Override
      public Future<TaskView> task(TaskId taskId) {
        return scheduler.get(taskId);
      }

      @Override
      public Future<RunView> run(long runId) {
        return executor.run(runId);
      }
    };
  }

  static PipelinePorts.StatusWriter status(ParserClient parser) {
    return (WriteStatusRequest request) -> parser.writeStatus(request);
  }

  /** The check commands, run on a worker thread (they take minutes). */
  static PipelinePorts.Checks checks(Vertx vertx, CheckRunner runner) {
    return new PipelinePorts.Checks() {
      @Override
      public boolean configured() {
        return runner.configured();
      }

      @Override
      public Future<CheckRunner.Result> run(Path worktree, Path output) {
        return vertx.executeBlocking(() -> runner.run(worktree, output), false);
      }
    };
  }

  static PipelinePorts.Events events(EventBus bus) {
    return new PipelinePorts.Events() {
      @Override
      public void opened(PullRequestView pr) {
        bus.publish(Addresses.Prbot.EVT_OPENED, pr.toJson());
      }

      @Override
      public void fixing(PullRequestView pr) {
        bus.publish(Addresses.Prbot.EVT_FIXING, pr.toJson());
      }

      @Override
      public void flagged(PullRequestView pr) {
        bus.publish(Addresses.Prbot.EVT_FLAGGED, pr.toJson());
      }

      @Override
      public void merged(PullRequestView pr) {
        bus.publish(Addresses.Prbot.EVT_MERGED, pr.toJson());
      }

      @Override
      public void failed(PullRequestFailure failure) {
        bus.publish(Addresses.Prbot.EVT_FAILED, failure.toJson());
      }
    };
  }

  /** Blocking git work on Vert.x's worker pool, in order (one git command at a time from prbot). */
  static Offload offload(Vertx vertx) {
    return new Offload() {
      @Override
      public <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return vertx.executeBlocking(work);
      }
    };
  }
}
