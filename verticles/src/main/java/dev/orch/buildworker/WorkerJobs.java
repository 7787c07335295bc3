package dev.orch.buildworker;

import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.BusMessage;
import dev.orch.contract.OrchException;
import dev.orch.contract.buildagent.AgentReply;
import dev.orch.contract.buildagent.JobCancel;
import dev.orch.contract.buildagent.JobRun;
import dev.orch.contract.buildagent.WorkerDone;
import dev.orch.contract.buildagent.WorkerOutput;
import dev.orch.process.ChildEnvironment;
import dev.orch.process.JobProcess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs a build agent runs: each in a fresh worktree from its git cache, holding one of the shared slots; their
 * output goes to the coordinator in order, then how they ended. Runs on the agent verticle's event loop.
 */
final class WorkerJobs {
  /**
   * A build host's jobs keep the host's own environment (its toolchains' variables) except what orch never hands out:
   * ORCH_*, GITHUB_TOKEN, GH_TOKEN (H4).
   */
  private static final ChildEnvironment JOB_ENV = new ChildEnvironment(List.of("*"), List.of());

  /** Sends one message of the agent protocol to the coordinator. */
  interface Coordinator {
    Future<Object> request(AgentAction action, BusMessage message);
  }

  private static final class Job {
    final long id;
    final String url;
    WorkerCheckout.Checkout checkout;
    JobProcess process;
    boolean cancelled;
    /** Output not yet sent, bounded; pieces from the same stream merge while a send is in flight. */
    final UnsentOutput unsent = new UnsentOutput();
    boolean sending;
    Promise<Void> drained = Promise.promise();

    Job(long id, String url) {
      this.id = id;
      this.url = url;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final BuildWorkerSettings settings;
  private final SlotPool slots;
  private final WorkerCheckout checkout;
  private final Coordinator coordinator;
  private final Map<Long, Job> jobs = new HashMap<>();
  private boolean stopped;

  WorkerJobs(Vertx vertx, Context context, BuildWorkerSettings settings, SlotPool slots, WorkerCheckout checkout,
      Coordinator coordinator) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.slots = slots;
    this.checkout = checkout;
    this.coordinator = coordinator;
  }

  List<Long> running() {
    return List.copyOf(jobs.keySet());
  }

  Future<AgentReply.Accepted> run(JobRun order) {
    long id = order.jobId();
    String url = order.gitUrl();
    if (jobs.containsKey(id)) {
      return Future.succeededFuture(new AgentReply.Accepted(true));
    }
    if (!slots.tryAcquire()) {
      return Future.failedFuture(OrchException.conflict(settings.workerId() + " has no free slot"));
    }
    Job job = new Job(id, url);
    jobs.put(id, job);
    vertx.executeBlocking(() -> {
      job.checkout = checkout.prepare(url, order.ref(), order.commit(), id);
      return JobProcess.start(order.command(), job.checkout.worktree(), settings.useNix(), JOB_ENV,
          (stream, text) -> context.runOnContext(v -> forward(job, stream, text)));
    }, false).onComplete(started -> {
      if (started.failed()) {
        forward(job, JobProcess.Stream.STDERR,
            "[" + settings.workerId() + ": could not start: " + started.cause().getMessage() + "]\n");
        done(job, null, "could not start on " + settings.workerId() + ": " + started.cause().getMessage());
        return;
      }
      job.process = started.result();
      if (job.cancelled) {
        job.process.kill();
      }
      job.process.exit().whenComplete((code, error) -> context.runOnContext(v -> done(job, code, null)));
    });
    return Future.succeededFuture(new AgentReply.Accepted(true));
  }

  Future<AgentReply.Cancelled> cancel(JobCancel order) {
    Job job = jobs.get(order.jobId());
    if (job != null) {
      kill(job);
    }
    return Future.succeededFuture(new AgentReply.Cancelled(job != null));
  }

  /** Stops every job without reporting it: the coordinator, told the agent left, runs them elsewhere. */
  void stopAll() {
    stopped = true;
    jobs.values().forEach(WorkerJobs::kill);
  }

  private static void kill(Job job) {
    job.cancelled = true;
    if (job.process != null) {
      job.process.kill();
    }
  }

  /** Output goes out in order: each piece is sent after the one before was taken. */
  private void forward(Job job, JobProcess.Stream stream, String text) {
    job.unsent.add(stream, text);
    if (!job.sending) {
      sendNext(job);
    }
  }

  private void sendNext(Job job) {
    UnsentOutput.Piece piece = job.unsent.poll();
    if (piece == null) {
      job.sending = false;
      // A fresh promise for the next burst: a completed one would tell a later waiter all was sent while it was not.
      Promise<Void> drained = job.drained;
      job.drained = Promise.promise();
      drained.complete();
      return;
    }
    job.sending = true;
    WorkerOutput output = new WorkerOutput(job.id, settings.workerId(), piece.text(), piece.stream().wire());
    coordinator.request(AgentAction.WORKER_OUTPUT, output).onComplete(sent -> sendNext(job));
  }

  /** Completes once every piece of output so far has been taken by the coordinator. */
  private Future<Void> allSent(Job job) {
    if (!job.sending && job.unsent.isEmpty()) {
      return Future.succeededFuture();
    }
    return job.drained.future();
  }

  private void done(Job job, Integer exitCode, String reason) {
    if (stopped) {
      jobs.remove(job.id);
      slots.release();
      return;
    }
    String why = job.cancelled ? "cancelled" : reason;
    WorkerDone end = new WorkerDone(job.id, settings.workerId(), exitCode,
        why == null || why.length() <= WorkerDone.MAX_REASON_CHARS ? why : why.substring(0, WorkerDone.MAX_REASON_CHARS));
    allSent(job).transform(v -> coordinator.request(AgentAction.WORKER_DONE, end)).onComplete(v -> {
      jobs.remove(job.id);
      if (job.checkout == null) {
        slots.release();
        return;
      }
      // The slot frees once the worktree is scrubbed, so a job never waits behind another job's leftovers.
      vertx.executeBlocking(() -> {
        checkout.release(job.url, job.id, job.checkout);
        return null;
      }, false).onComplete(released -> slots.release());
    });
  }
}
