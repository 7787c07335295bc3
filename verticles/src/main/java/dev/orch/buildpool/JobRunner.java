package dev.orch.buildpool;

import dev.orch.buildpool.JobDispatcher.Cancel;
import dev.orch.buildpool.JobDispatcher.Released;
import dev.orch.buildpool.JobDispatcher.Start;
import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.BusMessage;
import dev.orch.contract.JobView;
import dev.orch.contract.JobView.State;
import dev.orch.contract.OrchException;
import dev.orch.contract.buildagent.JobCancel;
import dev.orch.contract.buildagent.JobRun;
import dev.orch.contract.buildagent.WorkerOutput;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import dev.orch.process.JobProcess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link JobDispatcher}'s decisions: each change of a job is saved, then published; a job starts on its
 * agent (a {@link JobRun} under a git daemon ref made for it) or here in a fresh checkout; it ends, is cancelled or
 * goes back in the queue, and whatever it held (its ref, its process) is let go. Runs on the build pool's event loop.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final long SEND_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final BuildPoolSettings settings;
  private final JobStore store;
  private final JobLogs logs;
  private final JobFeed feed;
  private final JobDispatcher dispatcher;
  private final LocalCheckout checkouts;
  private final GitDaemonServer daemon;
  private final Supplier<String> gitUrl;
  private final Map<Long, JobProcess> processes = new HashMap<>();

  JobRunner(Vertx vertx, Clock clock, BuildPoolSettings settings, JobStore store, JobLogs logs, JobFeed feed,
      JobDispatcher dispatcher, GitDaemonServer daemon, Supplier<String> gitUrl) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.clock = clock;
    this.settings = settings;
    this.store = store;
    this.logs = logs;
    this.feed = feed;
    this.dispatcher = dispatcher;
    this.checkouts = new LocalCheckout(new GitWorkspace(new GitCli(Path.of(settings.projectRoot()))));
    this.daemon = daemon;
    this.gitUrl = gitUrl;
  }

  /** The job as it is now: live from the dispatcher while it runs, else from the store. */
  Future<JobView> job(long id) {
    return dispatcher.live(id).map(live -> Future.succeededFuture(live.withOutputBytes(logs.size(id))))
        .orElseGet(() -> store.get(id).map(found -> found.orElseThrow(() -> OrchException.notFound("no job " + id))));
  }

  void dispatch() {
    dispatcher.dispatch().forEach(this::start);
  }

  Future<JobView> cancel(long id, State as, String reason) {
    Cancel cancel = dispatcher.cancel(id, as, reason);
    if (cancel instanceof Cancel.Dequeued dequeued) {
      return finish(dequeued.ended());
    }
    if (cancel instanceof Cancel.KillLocal) {
      JobProcess process = processes.get(id);
      if (process != null) {
        process.kill();
      }
    } else if (cancel instanceof Cancel.Revoked revoked) {
      tell(revoked.released().job().worker(), BuildWorker.Action.CANCEL, new JobCancel(id));
      return ended(revoked.released(), revoked.ended());
    }
    return job(id);
  }

  /** Output from an agent, kept and published; false when the job is not (or no longer) that agent's. */
  Future<Boolean> output(WorkerOutput piece) {
    if (!dispatcher.runsOn(piece.jobId(), piece.workerId())) {
      return Future.succeededFuture(false);
    }
    JobProcess.Stream stream = JobProcess.Stream.fromWire(piece.stream());
    return vertx.executeBlocking(() -> logs.append(piece.jobId(), piece.text(), stream), true).map(appended -> {
      feed.published(piece.jobId(), appended, stream);
      return true;
    });
  }

  /** An agent's job ended; it is recorded after the output the agent sent before. */
  Future<Boolean> remoteDone(Released released) {
    // An ordered no-op: it runs after the output appends queued before it, so the job ends after its last output.
    return vertx.executeBlocking(() -> true, true).compose(v -> ended(released, released.job())).map(true);
  }

  /** Puts a job back in the queue, saying why in its output; it starts again when somewhere is free. */
  void requeue(Released released, String why) {
    withdraw(released);
    long id = released.job().jobId();
    vertx.executeBlocking(() -> logs.append(id, "\n[orch: " + why + "; the job starts again]\n", null), false)
        .compose(v -> store.save(released.job().backInQueue(why).withOutputBytes(logs.size(id))))
        .onSuccess(saved -> {
          dispatcher.requeue(saved);
          publish(saved);
          dispatch();
        });
  }

  /** After a restart every job not done waits again, in order; those that were running say so. */
  Future<Void> recover() {
    return store.inStates("queued", "running").compose(jobs -> {
      Future<Void> chain = Future.succeededFuture();
      for (JobView job : jobs) {
        JobView queued = job.state() == State.RUNNING ? job.backInQueue("orch restarted while it ran") : job;
        if (queued != job) {
          chain = chain.compose(v -> store.save(queued).mapEmpty());
        }
        dispatcher.enqueue(queued);
      }
      return chain;
    });
  }

  Future<Object> tell(String workerId, BuildWorker.Action action, BusMessage message) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS)
        .addHeader(Addresses.ACTION_HEADER, action.wireName());
    return vertx.eventBus().request(BuildWorker.cmd(workerId), message.toJson(), options).map(m -> m.body());
  }

  void publish(JobView job) {
    vertx.eventBus().publish(Addresses.BuildPool.EVT_JOB, job.toJson());
  }

  void stop() {
    processes.values().forEach(JobProcess::kill);
  }

  private void start(Start start) {
    long id = start.job().jobId();
    String worker = start.job().worker();
    // The agent fetches this job's commit, and nothing else, under a ref made for it (never a branch or snapshot).
    String ref = !start.local() && daemon != null ? daemon.expose(start.job().commit()) : null;
    dispatcher.exposed(id, ref);
    store.save(start.job().withOutputBytes(logs.size(id))).compose(saved -> {
      publish(saved);
      return start.local() ? runHere(saved) : tell(worker, BuildWorker.Action.RUN,
          new JobRun(id, saved.commit(), ref, saved.command(), gitUrl.get(), saved.timeoutSecs())).mapEmpty();
    }).onFailure(e -> dispatcher.abandon(start).ifPresentOrElse(released -> {
      if (start.local()) {
        ended(released, released.job().endedAs(State.FAILED, null, "could not start here: " + e.getMessage(), clock.millis()));
      } else {
        LOG.warn("job {} could not go to {}: {}; back in the queue", id, worker, e.getMessage());
        requeue(released, "could not be handed to " + worker);
      }
      // The hand-off can fail long after the agent went away and the job was given to another one (a send to a node
      // that just died times out): only the attempt that is still current goes back in the queue.
    }, () -> LOG.info("job {}: a late failure of its hand-off to {} ({}); it has moved on", id, worker, e.getMessage())));
  }

  private Future<Void> runHere(JobView job) {
    long id = job.jobId();
    Path dir = Path.of(settings.localWorktreeDir()).resolve("job-" + id);
    return vertx.executeBlocking(() -> {
      checkouts.create(dir, job.commit());
      return JobProcess.start(job.command(), dir, false, settings.jobEnv(), (stream, text) -> {
        JobLogs.Appended appended = logs.append(id, text, stream);
        context.runOnContext(v -> feed.published(id, appended, stream));
      });
    }, false).map(process -> {
      processes.put(id, process);
      process.exit().whenComplete((code, error) -> context.runOnContext(v -> {
        processes.remove(id);
        vertx.executeBlocking(() -> {
          checkouts.remove(dir);
          return null;
        }, false);
        dispatcher.localExited(id, code == null ? -1 : code).ifPresent(released -> ended(released, released.job()));
      }));
      if (dispatcher.stopping(id)) {
        process.kill();
      }
      return null;
    });
  }

  /** The job no longer runs: its git daemon ref goes, and it ends as {@code ended}. */
  private Future<JobView> ended(Released released, JobView ended) {
    withdraw(released);
    return finish(ended);
  }

  private void withdraw(Released released) {
    if (daemon != null) {
      daemon.withdraw(released.gitRef());
    }
  }

  private Future<JobView> finish(JobView ended) {
    long id = ended.jobId();
    return store.save(ended.withOutputBytes(logs.size(id)).withOutputTruncated(logs.truncated(id))).onSuccess(saved -> {
      publish(saved);
      feed.ended(id);
      Set<Long> live = dispatcher.liveIds();
      vertx.executeBlocking(() -> {
        logs.prune(live);
        return null;
      }, false);
      dispatch();
    });
  }
}
