package dev.orch.buildpool;

import dev.orch.testkit.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.JobView.State;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentRegister;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobDispatcherTest {
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  final MovableClock clock = MovableClock.at("2026-11-29T05:00:00Z");
  final WorkerRegistry workers = new WorkerRegistry(clock, Duration.ofSeconds(90));
  JobDispatcher dispatcher = dispatcher(true);

  JobDispatcher dispatcher(boolean localFallback) {
    return new JobDispatcher(clock, new JobDispatcher.Limits(localFallback, 2, 300, 7200), workers);
  }

  JobView queued(long id, int timeoutSecs) {
    JobView job = new JobView(id, "test", "make", COMMIT, null, null, State.QUEUED, null, 0, null, null, timeoutSecs, 0,
        clock.millis(), 0, 0, false);
    dispatcher.enqueue(job);
    return job;
  }

  void agent(String id, int slots) {
    workers.register(new AgentRegister(id, "h", slots, null, List.of()));
  }

  @Test
  void jobsGoToTheAgentWithFreeSlotsAndNeverOverbookIt() {
    agent("w1", 1);
    agent("w2", 2);
    queued(1, 60);
    queued(2, 60);
    queued(3, 60);
    queued(4, 60);
    List<JobDispatcher.Start> starts = dispatcher.dispatch();
    assertThat(starts).extracting(s -> s.job().worker()).containsExactly("w2", "w1", "w2");
    assertThat(starts).extracting(s -> s.job().state()).containsOnly(State.RUNNING);
    assertThat(starts.get(0).job().attempts()).isEqualTo(1);
    assertThat(starts.get(0).job().startedAt()).isEqualTo(clock.millis());
    assertThat(dispatcher.queued()).as("no slot is left for the fourth").isEqualTo(1);
    assertThat(dispatcher.dispatch()).isEmpty();

    assertThat(dispatcher.remoteDone("w1", 2, 0, null)).hasValueSatisfying(r -> {
      assertThat(r.job().state()).isEqualTo(State.SUCCEEDED);
      assertThat(r.job().exitCode()).isZero();
    });
    assertThat(dispatcher.dispatch()).as("the agent has not said its slot is free yet").isEmpty();
    workers.heartbeat(new AgentHeartbeat("w1", 1, List.of()));
    assertThat(dispatcher.dispatch()).extracting(s -> s.job().jobId() + "@" + s.job().worker()).containsExactly("4@w1");
  }

  @Test
  void withNoAgentAliveJobsRunLocallyUpToTheLocalLimit() {
    queued(1, 60);
    queued(2, 60);
    queued(3, 60);
    assertThat(dispatcher.localFallbackActive()).isTrue();
    assertThat(dispatcher.dispatch()).extracting(s -> s.job().worker()).containsExactly("local", "local");
    assertThat(dispatcher.queued()).isEqualTo(1);

    assertThat(dispatcher.localExited(1, 3)).hasValueSatisfying(r -> {
      assertThat(r.job().state()).isEqualTo(State.FAILED);
      assertThat(r.job().exitCode()).isEqualTo(3);
    });
    assertThat(dispatcher.dispatch()).extracting(s -> s.local()).containsExactly(true);
  }

  @Test
  void withAnAgentAliveOrTheFallbackOffNothingRunsLocally() {
    agent("busy", 1);
    workers.assign("busy", 99);
    queued(1, 60);
    assertThat(dispatcher.localFallbackActive()).isFalse();
    assertThat(dispatcher.dispatch()).as("the agent is full, but alive").isEmpty();

    dispatcher = dispatcher(false);
    workers.drop("busy");
    queued(2, 60);
    assertThat(dispatcher.dispatch()).isEmpty();
  }

  @Test
  void heartbeatExpiryHandsTheAgentsRunningJobsBackAndTheyRunElsewhere() {
    agent("w1", 2);
    queued(1, 60);
    queued(2, 60);
    assertThat(dispatcher.dispatch()).hasSize(2);
    clock.advance(Duration.ofSeconds(30));
    agent("w2", 2);
    clock.advance(Duration.ofSeconds(61));
    assertThat(workers.expired()).containsExactly("w1");

    JobDispatcher.Dropped dropped = dispatcher.drop("w1").orElseThrow();
    assertThat(dropped.jobs()).extracting(r -> r.job().jobId()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(dispatcher.runningCount()).isZero();
    assertThat(dispatcher.runsOn(1, "w1")).isFalse();
    dropped.jobs().forEach(r -> dispatcher.requeue(r.job().backInQueue("build agent w1 went away")));

    List<JobDispatcher.Start> again = dispatcher.dispatch();
    assertThat(again).extracting(s -> s.job().worker()).containsOnly("w2");
    assertThat(again).extracting(s -> s.job().attempts()).containsOnly(2);
    assertThat(dispatcher.remoteDone("w1", 1, 0, null)).as("a late end from the old agent").isEmpty();
  }

  @Test
  void cancellingAQueuedJobEndsItAtOnce() {
    queued(1, 60);
    JobDispatcher.Cancel cancel = dispatcher.cancel(1, State.CANCELLED, "cancelled");
    assertThat(cancel).isInstanceOfSatisfying(JobDispatcher.Cancel.Dequeued.class, d -> {
      assertThat(d.ended().state()).isEqualTo(State.CANCELLED);
      assertThat(d.ended().reason()).isEqualTo("cancelled");
    });
    assertThat(dispatcher.queued()).isZero();
    assertThat(dispatcher.cancel(1, State.CANCELLED, "again")).isInstanceOf(JobDispatcher.Cancel.NotLive.class);
  }

  @Test
  void cancellingARunningJobRevokesItFromItsAgentAndFreesTheSlot() {
    agent("w1", 1);
    queued(1, 60);
    queued(2, 60);
    dispatcher.dispatch();
    dispatcher.exposed(1, "refs/orch/jobs/abc");
    JobDispatcher.Cancel cancel = dispatcher.cancel(1, State.CANCELLED, "cancelled");
    assertThat(cancel).isInstanceOfSatisfying(JobDispatcher.Cancel.Revoked.class, r -> {
      assertThat(r.released().job().worker()).isEqualTo("w1");
      assertThat(r.released().gitRef()).isEqualTo("refs/orch/jobs/abc");
      assertThat(r.ended().state()).isEqualTo(State.CANCELLED);
    });
    workers.heartbeat(new AgentHeartbeat("w1", 1, List.of()));
    assertThat(dispatcher.dispatch()).extracting(s -> s.job().jobId()).containsExactly(2L);
  }

  @Test
  void cancellingALocalJobKillsItAndItEndsAsCancelledWhenItExits() {
    queued(1, 60);
    dispatcher.dispatch();
    assertThat(dispatcher.cancel(1, State.CANCELLED, "cancelled")).isEqualTo(new JobDispatcher.Cancel.KillLocal(1));
    assertThat(dispatcher.stopping(1)).isTrue();
    assertThat(dispatcher.localExited(1, 143)).hasValueSatisfying(r -> {
      assertThat(r.job().state()).isEqualTo(State.CANCELLED);
      assertThat(r.job().exitCode()).isNull();
    });
  }

  @Test
  void aJobPastItsTimeoutIsOverdueOnceAndEndsTimedOut() {
    queued(1, 60);
    queued(2, 600);
    dispatcher.dispatch();
    clock.advance(Duration.ofSeconds(59));
    assertThat(dispatcher.overdue()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(dispatcher.overdue()).extracting(JobView::jobId).containsExactly(1L);
    dispatcher.cancel(1, State.TIMED_OUT, "stopped after 60 s (its timeout)");
    assertThat(dispatcher.overdue()).as("already being stopped").isEmpty();
    assertThat(dispatcher.localExited(1, 137).orElseThrow().job().state()).isEqualTo(State.TIMED_OUT);
  }

  @Test
  void aTimeoutIsClampedToTheCeilingAndDefaultsWhenNotGiven() {
    assertThat(dispatcher.timeoutFor(new JobRequest(COMMIT, null, "make", Integer.MAX_VALUE, "t", null))).isEqualTo(7200);
    assertThat(dispatcher.timeoutFor(new JobRequest(COMMIT, null, "make", 0, "t", null))).isEqualTo(300);
    assertThat(dispatcher.timeoutFor(new JobRequest(COMMIT, null, "make", 5, "t", null))).isEqualTo(5);
  }

  @Test
  void aLateFailureOfAnOldHandOffChangesNothing() {
    agent("w1", 1);
    queued(1, 60);
    JobDispatcher.Start first = dispatcher.dispatch().get(0);
    dispatcher.drop("w1").orElseThrow().jobs().forEach(r -> dispatcher.requeue(r.job().backInQueue("gone")));
    agent("w2", 1);
    JobDispatcher.Start second = dispatcher.dispatch().get(0);
    assertThat(dispatcher.abandon(first)).isEmpty();
    assertThat(dispatcher.runsOn(1, "w2")).isTrue();
    assertThat(dispatcher.abandon(second)).isPresent();
    assertThat(dispatcher.runningCount()).isZero();
  }

  @Test
  void anAgentIsToldToDropJobsItWasNotGiven() {
    agent("w1", 2);
    queued(1, 60);
    dispatcher.dispatch();
    assertThat(dispatcher.strays("w1", List.of(1L, 9L))).containsExactly(9L);
  }
}
