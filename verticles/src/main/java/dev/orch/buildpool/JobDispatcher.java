package dev.orch.buildpool;

import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.JobView.State;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The build pool's decisions: the queue, which job runs where (the agent with the most free slots, or here when no
 * agent is alive and the local fallback is on), each running job's deadline, cancelling, and what goes back in the
 * queue when an agent goes away. It holds no I/O: the verticle saves, publishes and starts what it is told. Not
 * thread-safe: one event loop owns it.
 */
public final class JobDispatcher {
  public static final String LOCAL = "local";

  /** How jobs may run: the local fallback and its size, the default timeout and the ceiling no job passes. */
  public record Limits(boolean localFallback, int localMaxJobs, int defaultTimeoutSecs, int maxJobSecs) {
  }

  /** A job to start now on {@code job.worker()}; {@code attempt} tells a late failure of an older hand-off apart. */
  public record Start(JobView job, long attempt) {
    public boolean local() {
      return LOCAL.equals(job.worker());
    }
  }

  /** A job that no longer runs; the git daemon ref made for it (if any) is to be withdrawn. */
  public record Released(JobView job, String gitRef) {
  }

  /** What a cancel (or a timeout) comes to. */
  public sealed interface Cancel {
    /** The job does not run here (any more): nothing to stop. */
    record NotLive() implements Cancel {
    }

    /** It was waiting: it ends now, as {@code ended}. */
    record Dequeued(JobView ended) implements Cancel {
    }

    /** It runs here: its process is to be killed, and it ends when the process exits. */
    record KillLocal(long jobId) implements Cancel {
    }

    /** It ran on an agent, which is to be told to stop; the job ends now. */
    record Revoked(Released released, JobView ended) implements Cancel {
    }
  }

  /** An agent was dropped: its jobs, no longer running, to go back in the queue. */
  public record Dropped(WorkerRegistry.Gone gone, List<Released> jobs) {
  }

  private static final class Running {
    final JobView job;
    final long attempt;
    final long deadline;
    String gitRef;
    State stopAs;
    String stopReason;

    Running(JobView job, long attempt) {
      this.job = job;
      this.attempt = attempt;
      this.deadline = job.startedAt() + job.timeoutSecs() * 1000L;
    }
  }

  private final Clock clock;
  private final Limits limits;
  private final WorkerRegistry workers;
  private final Deque<JobView> queue = new ArrayDeque<>();
  private final Map<Long, Running> running = new LinkedHashMap<>();
  private long attempts;

  public JobDispatcher(Clock clock, Limits limits, WorkerRegistry workers) {
    this.clock = clock;
    this.limits = limits;
    this.workers = workers;
  }

  /** No job runs longer than the ceiling, whatever it asked for (an agent's tool call may ask for 2^31-1 seconds). */
  public int timeoutFor(JobRequest request) {
    return Math.min(request.timeoutSecs() > 0 ? request.timeoutSecs() : limits.defaultTimeoutSecs(), limits.maxJobSecs());
  }

  /** A new (or, after a restart, recovered) job waits behind the others. */
  public void enqueue(JobView job) {
    queue.addLast(job);
  }

  /** A job that lost its agent goes first: it has waited already. */
  public void requeue(JobView job) {
    queue.addFirst(job);
  }

  /** Takes jobs off the queue while somewhere can run them; each is marked running and its slot counted at once. */
  public List<Start> dispatch() {
    List<Start> starts = new ArrayList<>();
    while (!queue.isEmpty()) {
      Optional<String> worker = workers.withMostFreeSlots();
      String where;
      if (worker.isPresent()) {
        where = worker.get();
        workers.assign(where, queue.peekFirst().jobId());
      } else if (localFallbackActive() && localRunning() < limits.localMaxJobs()) {
        where = LOCAL;
      } else {
        break;
      }
      Running live = new Running(queue.pollFirst().startedOn(where, clock.millis()), ++attempts);
      running.put(live.job.jobId(), live);
      starts.add(new Start(live.job, live.attempt));
    }
    return starts;
  }

  /** The job as it runs now, if it does. */
  public Optional<JobView> live(long jobId) {
    Running live = running.get(jobId);
    return live == null ? Optional.empty() : Optional.of(live.job);
  }

  /** Whether the job runs on this agent: output and ends from anyone else are stale and ignored. */
  public boolean runsOn(long jobId, String workerId) {
    Running live = running.get(jobId);
    return live != null && workerId.equals(live.job.worker());
  }

  /** The git daemon serves the job's commit under this ref while it runs. */
  public void exposed(long jobId, String gitRef) {
    Running live = running.get(jobId);
    if (live != null) {
      live.gitRef = gitRef;
    }
  }

  /** Whether a local job was told to stop before its process started (it is then killed as soon as it has one). */
  public boolean stopping(long jobId) {
    Running live = running.get(jobId);
    return live != null && live.stopAs != null;
  }

  public Cancel cancel(long jobId, State as, String reason) {
    for (JobView queued : queue) {
      if (queued.jobId() == jobId) {
        queue.remove(queued);
        return new Cancel.Dequeued(queued.endedAs(as, null, reason, clock.millis()));
      }
    }
    Running live = running.get(jobId);
    if (live == null) {
      return new Cancel.NotLive();
    }
    if (LOCAL.equals(live.job.worker())) {
      live.stopAs = as;
      live.stopReason = reason;
      return new Cancel.KillLocal(jobId);
    }
    Released released = release(jobId).orElseThrow();
    return new Cancel.Revoked(released, live.job.endedAs(as, null, reason, clock.millis()));
  }

  /** Running jobs past their deadline and not yet being stopped. */
  public List<JobView> overdue() {
    long now = clock.millis();
    return running.values().stream().filter(r -> r.stopAs == null && now >= r.deadline).map(r -> r.job).toList();
  }

  /** A local job's process exited: how the job ended (as it was stopped, or by its exit code). */
  public Optional<Released> localExited(long jobId, int exitCode) {
    Running live = running.get(jobId);
    if (live == null || !LOCAL.equals(live.job.worker())) {
      return Optional.empty();
    }
    release(jobId);
    JobView ended = live.stopAs != null ? live.job.endedAs(live.stopAs, null, live.stopReason, clock.millis())
        : live.job.endedAs(exitCode == 0 ? State.SUCCEEDED : State.FAILED, exitCode, null, clock.millis());
    return Optional.of(new Released(ended, live.gitRef));
  }

  /** An agent says a job ended; empty when the job is not (or no longer) that agent's. */
  public Optional<Released> remoteDone(String workerId, long jobId, Integer exitCode, String reason) {
    workers.release(workerId, jobId);
    if (!runsOn(jobId, workerId)) {
      return Optional.empty();
    }
    Released released = release(jobId).orElseThrow();
    State state = exitCode != null && exitCode == 0 ? State.SUCCEEDED : State.FAILED;
    return Optional.of(new Released(released.job().endedAs(state, exitCode, reason, clock.millis()), released.gitRef()));
  }

  /** A hand-off failed: the slot frees, and the job stops running only if that hand-off is still its current one. */
  public Optional<Released> abandon(Start start) {
    if (!start.local()) {
      workers.release(start.job().worker(), start.job().jobId());
    }
    Running live = running.get(start.job().jobId());
    if (live == null || live.attempt != start.attempt()) {
      return Optional.empty();
    }
    return release(start.job().jobId());
  }

  /** The agent is gone (left, lost, or silent too long): it is forgotten and its jobs stop running here. */
  public Optional<Dropped> drop(String workerId) {
    return workers.drop(workerId).map(gone -> new Dropped(gone,
        gone.jobs().stream().map(this::release).flatMap(Optional::stream).toList()));
  }

  /** Jobs an agent reports running that this coordinator did not give it (or no longer does): to be dropped there. */
  public List<Long> strays(String workerId, List<Long> reported) {
    return reported.stream().filter(id -> !runsOn(id, workerId)).toList();
  }

  public int queued() {
    return queue.size();
  }

  public int runningCount() {
    return running.size();
  }

  public Set<Long> liveIds() {
    return Set.copyOf(running.keySet());
  }

  /** Jobs run here only while no agent is alive. */
  public boolean localFallbackActive() {
    return limits.localFallback() && !workers.anyAlive();
  }

  private long localRunning() {
    return running.values().stream().filter(r -> LOCAL.equals(r.job.worker())).count();
  }

  private Optional<Released> release(long jobId) {
    Running live = running.remove(jobId);
    if (live == null) {
      return Optional.empty();
    }
    if (!LOCAL.equals(live.job.worker())) {
      workers.release(live.job.worker(), jobId);
    }
    return Optional.of(new Released(live.job, live.gitRef));
  }
}
