package dev.orch.buildpool;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.JobView;
import dev.orch.contract.JobView.State;
import dev.orch.contract.OrchException;
import dev.orch.contract.WorkerView;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentLeave;
import dev.orch.contract.buildagent.AgentPing;
import dev.orch.contract.buildagent.AgentRegister;
import dev.orch.contract.buildagent.AgentReply;
import dev.orch.contract.buildagent.AgentWelcome;
import dev.orch.contract.buildagent.JobCancel;
import dev.orch.contract.buildagent.WorkerDone;
import dev.orch.contract.buildagent.WorkerOutput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the build agent protocol: agents join, beat, report output and ends, and leave; the
 * watchdog drops silent agents, probes the others and stops jobs past their timeout. What an agent held goes back in
 * the queue through {@link JobRunner}. Runs on the build pool's event loop.
 */
final class BuildAgents {
  private static final Logger LOG = LoggerFactory.getLogger(BuildAgents.class);

  private final Vertx vertx;
  private final WorkerRegistry workers;
  private final JobDispatcher dispatcher;
  private final JobRunner runner;
  private final int heartbeatIntervalSecs;
  private final Supplier<String> gitUrl;
  private final Set<String> probing = new HashSet<>();

  BuildAgents(Vertx vertx, WorkerRegistry workers, JobDispatcher dispatcher, JobRunner runner, int heartbeatIntervalSecs,
      Supplier<String> gitUrl) {
    this.vertx = vertx;
    this.workers = workers;
    this.dispatcher = dispatcher;
    this.runner = runner;
    this.heartbeatIntervalSecs = heartbeatIntervalSecs;
    this.gitUrl = gitUrl;
  }

  Future<AgentWelcome> register(AgentRegister hello) {
    WorkerView joined = workers.register(hello);
    dropStrays(hello.workerId(), hello.runningJobs());
    LOG.info("build agent {} joined with {} slots", hello.workerId(), hello.slots());
    vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, joined.toJson());
    runner.dispatch();
    return Future.succeededFuture(new AgentWelcome(heartbeatIntervalSecs, gitUrl.get()));
  }

  Future<AgentReply.Ok> heartbeat(AgentHeartbeat beat) {
    if (!workers.heartbeat(beat)) {
      return Future.failedFuture(OrchException.notFound("unknown build agent; register again"));
    }
    dropStrays(beat.workerId(), beat.runningJobs());
    runner.dispatch();
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  /** An agent running a job the coordinator did not give it (any more) is told to drop it. */
  private void dropStrays(String workerId, List<Long> reported) {
    dispatcher.strays(workerId, reported).forEach(id -> runner.tell(workerId, BuildWorker.Action.CANCEL, new JobCancel(id)));
  }

  Future<AgentReply.Accepted> output(WorkerOutput piece) {
    return runner.output(piece).map(AgentReply.Accepted::new);
  }

  Future<AgentReply.Accepted> workerDone(WorkerDone end) {
    return dispatcher.remoteDone(end.workerId(), end.jobId(), end.exitCode(), end.reason()).map(runner::remoteDone)
        .orElseGet(() -> {
          runner.dispatch();
          return Future.succeededFuture(false);
        }).map(AgentReply.Accepted::new);
  }

  Future<AgentReply.Ok> leave(AgentLeave leave) {
    if (workers.knows(leave.workerId())) {
      LOG.info("build agent {} is leaving; its jobs go back in the queue", leave.workerId());
      drop(leave.workerId());
    }
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  /** Every second: silent agents are dropped, the others probed; jobs past their timeout are stopped. */
  void watch() {
    List<String> expired = workers.expired();
    for (String id : workers.ids()) {
      if (expired.contains(id)) {
        LOG.warn("build agent {} missed its heartbeats for {} s; its jobs go back in the queue", id, workers.silentSecs(id));
        drop(id);
      } else if (probing.add(id)) {
        probe(id);
      }
    }
    for (JobView job : dispatcher.overdue()) {
      LOG.info("job {} ran past its timeout of {} s", job.jobId(), job.timeoutSecs());
      runner.cancel(job.jobId(), State.TIMED_OUT, "stopped after " + job.timeoutSecs() + " s (its timeout)");
    }
    runner.dispatch();
  }

  /**
   * Asks the agent if it is there. When its node has left the cluster (a kill -9, a lost host) nobody serves its
   * address any more, which shows at once, long before its heartbeats are missed.
   */
  private void probe(String id) {
    long registration = workers.registration(id);
    runner.tell(id, BuildWorker.Action.PING, new AgentPing()).onComplete(done -> {
      probing.remove(id);
      if (done.failed() && done.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
          && workers.registration(id) == registration) {
        LOG.warn("build agent {} left the cluster; its jobs go back in the queue", id);
        drop(id);
      }
    });
  }

  private void drop(String id) {
    dispatcher.drop(id).ifPresent(dropped -> {
      vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, dropped.gone().view().toJson());
      dropped.jobs().forEach(released -> runner.requeue(released, "build agent " + id + " went away"));
      runner.dispatch();
    });
  }
}
