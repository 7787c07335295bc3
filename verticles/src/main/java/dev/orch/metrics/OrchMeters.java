package dev.orch.metrics;

import dev.orch.contract.JobView;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.contract.TaskView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * orch's own meters ({@code orch_*}) and how the bus's events move them. Gauges read maps kept here, so a scrape never
 * reaches a store: events keep them current, and {@code refresh*} replaces them from the owners' answers now and then
 * (what an event missed, for example while orch was down, is put right there). Scrapes read from another thread than
 * the one updating, hence the concurrent maps.
 */
final class OrchMeters {
  private final MeterRegistry registry;
  private final Map<String, TaskStatus> tasks = new ConcurrentHashMap<>();
  /** When each task was last queued (dispatched: ready, with a free slot), for the time to its merge. */
  private final Map<String, Long> queuedAt = new ConcurrentHashMap<>();
  private final Set<Long> liveRuns = ConcurrentHashMap.newKeySet();
  private final Map<Integer, PrState> pullRequests = new ConcurrentHashMap<>();
  private final Map<Long, JobView.State> jobs = new ConcurrentHashMap<>();
  private final Map<String, Double> spendByTask = new ConcurrentHashMap<>();
  private volatile SpendSummary spend = new SpendSummary(0, 0, Map.of(), 0, 0);
  private final Counter runsStarted;
  private final Counter runsFailed;
  private final Counter runsStuck;
  private final Timer readyToMerged;
  private final Timer queueWait;
  private final Timer jobRun;

  OrchMeters(MeterRegistry registry) {
    this.registry = registry;
    for (TaskStatus status : TaskStatus.values()) {
      Gauge.builder("orch.tasks", tasks, all -> count(all.values(), status)).tag("status", status.wire())
          .description("Tasks by status").register(registry);
    }
    for (PrState state : PrState.values()) {
      Gauge.builder("orch.pull.requests", pullRequests, all -> count(all.values(), state))
          .tag("state", state.name().toLowerCase(java.util.Locale.ROOT)).description("Pull requests by state")
          .register(registry);
    }
    Gauge.builder("orch.agents.running", liveRuns, Set::size).description("Agent processes running").register(registry);
    Gauge.builder("orch.build.jobs.queued", jobs, all -> count(all.values(), JobView.State.QUEUED))
        .description("Build jobs waiting for a worker").register(registry);
    Gauge.builder("orch.build.jobs.running", jobs, all -> count(all.values(), JobView.State.RUNNING))
        .description("Build jobs running").register(registry);
    Gauge.builder("orch.spend.today.usd", this, m -> m.spend.todayUsd())
        .description("Dollars spent on agents today (local time)").register(registry);
    Gauge.builder("orch.spend.total.usd", this, m -> m.spend.totalUsd())
        .description("Dollars spent on agents in all").register(registry);
    runsStarted = Counter.builder("orch.runs.started").description("Agent runs started (and re-attached after a restart)")
        .register(registry);
    runsFailed = Counter.builder("orch.runs.failed").description("Agent runs that ended failed").register(registry);
    runsStuck = Counter.builder("orch.runs.stuck").description("Agent runs stopped for making no progress")
        .register(registry);
    readyToMerged = histogram("orch.task.ready.to.merged", "From a task's dispatch to its pull request's merge");
    queueWait = histogram("orch.build.job.queue.wait", "From a build job's submission to its start");
    jobRun = histogram("orch.build.job.run", "A build job's run time");
  }

  private Timer histogram(String name, String description) {
    return Timer.builder(name).description(description).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(24)).register(registry);
  }

  private static <T> double count(Collection<T> values, T wanted) {
    return values.stream().filter(wanted::equals).count();
  }

  void transition(TaskTransition transition) {
    String id = transition.taskId().toString();
    tasks.put(id, transition.to());
    if (transition.to() == TaskStatus.QUEUED) {
      queuedAt.put(id, transition.at());
    }
  }

  void runStarted(RunView run) {
    if (run.status().live()) {
      liveRuns.add(run.runId());
    }
    runsStarted.increment();
  }

  void runFinished(RunView run) {
    liveRuns.remove(run.runId());
    if (run.status() == RunStatus.FAILED) {
      runsFailed.increment();
    } else if (run.status() == RunStatus.STUCK) {
      runsStuck.increment();
    }
  }

  /** Any pull-request event: its state as the event says. A merge also records the time since its task's dispatch. */
  void pullRequest(PullRequestView pr) {
    PrState before = pullRequests.put(pr.number(), pr.state());
    if (pr.state() == PrState.MERGED && before != PrState.MERGED && pr.mergedAt() > 0) {
      String task = pr.taskId() == null ? null : pr.taskId().toString();
      Long from = task == null ? null : queuedAt.remove(task);
      // After a restart the dispatch is not known here: the pull request's opening is the nearest known start.
      long start = from != null ? from : pr.createdAt();
      if (start > 0 && pr.mergedAt() >= start) {
        readyToMerged.record(Duration.ofMillis(pr.mergedAt() - start));
      }
    }
  }

  void job(JobView job) {
    JobView.State before = job.state().done() ? jobs.remove(job.jobId()) : jobs.put(job.jobId(), job.state());
    if (job.state() == JobView.State.RUNNING && before != JobView.State.RUNNING && job.startedAt() >= job.createdAt()
        && job.createdAt() > 0) {
      queueWait.record(Duration.ofMillis(job.startedAt() - job.createdAt()));
    }
    if (job.state().done() && job.startedAt() > 0 && job.endedAt() >= job.startedAt()) {
      jobRun.record(Duration.ofMillis(job.endedAt() - job.startedAt()));
    }
  }

  void refreshTasks(Collection<TaskView> all) {
    Map<String, TaskStatus> now = new java.util.HashMap<>();
    all.forEach(task -> now.put(task.taskId().toString(), task.status()));
    tasks.keySet().retainAll(now.keySet());
    tasks.putAll(now);
  }

  void refreshLiveRuns(Collection<RunView> live) {
    Set<Long> ids = new java.util.HashSet<>();
    live.stream().filter(run -> run.status().live()).forEach(run -> ids.add(run.runId()));
    liveRuns.retainAll(ids);
    liveRuns.addAll(ids);
  }

  void refreshPullRequests(Collection<PullRequestView> all) {
    Map<Integer, PrState> now = new java.util.HashMap<>();
    all.forEach(pr -> now.put(pr.number(), pr.state()));
    pullRequests.keySet().retainAll(now.keySet());
    pullRequests.putAll(now);
  }

  /** {@code recent}: the pool's latest jobs; the queued and running ones among them are what the gauges count. */
  void refreshJobs(Collection<JobView> recent) {
    Map<Long, JobView.State> now = new java.util.HashMap<>();
    recent.stream().filter(job -> !job.state().done()).forEach(job -> now.put(job.jobId(), job.state()));
    jobs.keySet().retainAll(now.keySet());
    jobs.putAll(now);
  }

  /** The executor's sums from its stored runs: today's, all time, and per task (a gauge per task, added as seen). */
  void refreshSpend(SpendSummary summary) {
    spend = summary;
    summary.byTaskUsd().forEach((task, usd) -> {
      if (spendByTask.put(task, usd) == null) {
        Gauge.builder("orch.spend.task.usd", spendByTask, all -> all.getOrDefault(task, 0.0)).tag("task", task)
            .description("Dollars spent on a task's agent runs").register(registry);
      }
    });
  }
}
