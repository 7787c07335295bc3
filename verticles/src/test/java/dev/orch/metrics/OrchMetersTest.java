package dev.orch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.JobView;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrchMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OrchMeters meters = new OrchMeters(registry);

  private double tasks(TaskStatus status) {
    return registry.get("orch.tasks").tag("status", status.wire()).gauge().value();
  }

  private static TaskTransition move(String task, TaskStatus from, TaskStatus to, long at) {
    return new TaskTransition(TaskId.parseFull(task), from, to, "test", at);
  }

  private static RunView run(long id, String task, RunStatus status) {
    return RunView.starting(id, TaskId.parseFull(task), 1, "session", 0, "orch/branch", "/tmp/wt", "/tmp/log", 1, "title",
        "plan.md", false).withStatus(status);
  }

  private static PullRequestView pr(int number, String task, PrState state, long createdAt, long mergedAt) {
    return new PullRequestView(number, TaskId.parseFull(task), 1, "orch/branch", "title", "body", state, null, null, null,
        0, 0, 0, "", 0, 0, createdAt, mergedAt, null, 0, List.of(), null, null, null, 0);
  }

  private static JobView job(long id, JobView.State state, long created, long started, long ended) {
    return new JobView(id, "build", "make", "abc", "main", null, state, "local", 1, null, null, 60, 0, created, started,
        ended, false);
  }

  @Test
  void transitionsMoveATaskFromOneStatusGaugeToAnother() {
    meters.transition(move("app/E01", null, TaskStatus.NOT_STARTED, 1));
    meters.transition(move("app/E02", null, TaskStatus.NOT_STARTED, 1));
    meters.transition(move("app/E01", TaskStatus.NOT_STARTED, TaskStatus.QUEUED, 2));
    meters.transition(move("app/E01", TaskStatus.QUEUED, TaskStatus.RUNNING, 3));

    assertThat(tasks(TaskStatus.NOT_STARTED)).isEqualTo(1);
    assertThat(tasks(TaskStatus.RUNNING)).isEqualTo(1);
    assertThat(tasks(TaskStatus.QUEUED)).isZero();
    assertThat(tasks(TaskStatus.COMPLETE)).isZero();
  }

  @Test
  void aRefreshReplacesWhatEventsMissed() {
    meters.transition(move("app/E01", null, TaskStatus.RUNNING, 1));
    meters.transition(move("app/E09", null, TaskStatus.NOT_STARTED, 1));
    meters.refreshLiveRuns(List.of(run(5, "app/E01", RunStatus.RUNNING)));
    meters.refreshPullRequests(List.of(pr(1, "app/E01", PrState.MERGED, 1, 2), pr(2, "app/E02", PrState.FLAGGED, 1, 0)));

    assertThat(tasks(TaskStatus.RUNNING)).isEqualTo(1);
    assertThat(registry.get("orch.agents.running").gauge().value()).isEqualTo(1);
    assertThat(registry.get("orch.pull.requests").tag("state", "merged").gauge().value()).isEqualTo(1);
    assertThat(registry.get("orch.pull.requests").tag("state", "flagged").gauge().value()).isEqualTo(1);
    assertThat(registry.get("orch.pull.requests").tag("state", "open").gauge().value()).isZero();
  }

  @Test
  void runsAreCountedWhenTheyStartAndByHowTheyEnd() {
    meters.runStarted(run(1, "app/E01", RunStatus.STARTING));
    meters.runStarted(run(2, "app/E02", RunStatus.RUNNING));
    meters.runStarted(run(3, "app/E03", RunStatus.RUNNING));
    assertThat(registry.get("orch.agents.running").gauge().value()).isEqualTo(3);

    meters.runFinished(run(1, "app/E01", RunStatus.FAILED));
    meters.runFinished(run(2, "app/E02", RunStatus.STUCK));
    meters.runFinished(run(3, "app/E03", RunStatus.SUCCEEDED));

    assertThat(registry.get("orch.runs.started").counter().count()).isEqualTo(3);
    assertThat(registry.get("orch.runs.failed").counter().count()).isEqualTo(1);
    assertThat(registry.get("orch.runs.stuck").counter().count()).isEqualTo(1);
    assertThat(registry.get("orch.agents.running").gauge().value()).isZero();
  }

  @Test
  void aMergeRecordsTheTimeSinceItsTaskWasQueuedOnce() {
    meters.transition(move("app/E01", TaskStatus.NOT_STARTED, TaskStatus.QUEUED, 10_000));
    meters.pullRequest(pr(4, "app/E01", PrState.OPEN, 40_000, 0));
    meters.pullRequest(pr(4, "app/E01", PrState.MERGED, 40_000, 70_000));
    meters.pullRequest(pr(4, "app/E01", PrState.MERGED, 40_000, 70_000));

    var timer = registry.get("orch.task.ready.to.merged").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(60);
  }

  @Test
  void aMergeWhoseDispatchIsUnknownCountsFromThePullRequestsOpening() {
    meters.pullRequest(pr(4, "app/E01", PrState.MERGED, 40_000, 70_000));

    assertThat(registry.get("orch.task.ready.to.merged").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(30);
  }

  @Test
  void buildJobsAreGaugedWhileQueuedOrRunningAndTheirWaitAndRunTimed() {
    meters.job(job(1, JobView.State.QUEUED, 1_000, 0, 0));
    meters.job(job(2, JobView.State.QUEUED, 1_000, 0, 0));
    meters.job(job(1, JobView.State.RUNNING, 1_000, 3_000, 0));
    assertThat(registry.get("orch.build.jobs.queued").gauge().value()).isEqualTo(1);
    assertThat(registry.get("orch.build.jobs.running").gauge().value()).isEqualTo(1);

    meters.job(job(1, JobView.State.SUCCEEDED, 1_000, 3_000, 8_000));

    assertThat(registry.get("orch.build.jobs.running").gauge().value()).isZero();
    assertThat(registry.get("orch.build.job.queue.wait").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(registry.get("orch.build.job.run").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(5);
    meters.refreshJobs(List.of());
    assertThat(registry.get("orch.build.jobs.queued").gauge().value()).isZero();
  }

  @Test
  void spendIsGaugedForTheDayInAllAndPerTask() {
    meters.refreshSpend(new SpendSummary(1.5, 4.0, Map.of("app/E01", 3.0, "app/E02", 1.0), 10, 20));
    meters.refreshSpend(new SpendSummary(2.0, 4.5, Map.of("app/E01", 3.5, "app/E02", 1.0), 10, 20));

    assertThat(registry.get("orch.spend.today.usd").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("orch.spend.total.usd").gauge().value()).isEqualTo(4.5);
    assertThat(registry.get("orch.spend.task.usd").tag("task", "app/E01").gauge().value()).isEqualTo(3.5);
  }

  @Test
  void prometheusNamesCarryTheOrchPrefixAndItsUnits() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OrchMeters onPrometheus = new OrchMeters(prometheus);
    onPrometheus.transition(move("app/E01", TaskStatus.IN_REVIEW, TaskStatus.COMPLETE, 5));
    onPrometheus.runStarted(run(1, "app/E01", RunStatus.RUNNING));
    onPrometheus.refreshSpend(new SpendSummary(0.25, 0.25, Map.of("app/E01", 0.25), 1, 1));

    assertThat(prometheus.scrape()).contains("orch_tasks{status=\"complete\"} 1.0", "orch_runs_started_total 1.0",
        "orch_agents_running 1.0", "orch_spend_task_usd{task=\"app/E01\"} 0.25", "orch_spend_today_usd 0.25",
        "orch_task_ready_to_merged_seconds_bucket", "orch_build_job_queue_wait_seconds_count 0",
        "orch_pull_requests{state=\"flagged\"} 0.0", "orch_build_jobs_queued 0.0");
  }
}
