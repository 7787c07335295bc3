package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.ApiLimit;
import dev.orch.scheduler.RateGovernor.Phase;
import dev.orch.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class RateGovernorTest {
  private final MovableClock clock = MovableClock.at("2026-11-29T10:00:00Z");

  private RateGovernor governor(int maxAgents) {
    return new RateGovernor(clock, RateGovernor.Settings.defaults(maxAgents, LongUnaryOperator.identity()),
        RateGovernor.State.OPEN);
  }

  @Test
  void theFirstLimitParksEverythingAndOneProbeGoesFirstAfterTheBackoff() {
    RateGovernor governor = governor(8);
    assertThat(governor.allowedRunning()).isEqualTo(8);

    assertThat(governor.limited(new ApiLimit(ApiLimit.Kind.RATE, 0))).as("parks, so people are told").isTrue();
    assertThat(governor.limited(new ApiLimit(ApiLimit.Kind.RATE, 0))).as("already parked").isFalse();
    assertThat(governor.allowedRunning()).isZero();
    assertThat(governor.nextChangeAt()).isEqualTo(clock.millis() + 30_000);

    clock.advance(Duration.ofSeconds(30));
    assertThat(governor.state().phase()).isEqualTo(Phase.PROBING);
    assertThat(governor.allowedRunning()).isEqualTo(1);
  }

  @Test
  void theOthersFollowTheProbeOnlyOnceItGetsThroughAndThenDoubleEachStep() {
    RateGovernor governor = governor(8);
    governor.limited(new ApiLimit(ApiLimit.Kind.OVERLOADED, 0));
    clock.advance(Duration.ofSeconds(30));
    assertThat(governor.allowedRunning()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(5));
    assertThat(governor.allowedRunning()).as("no news from the probe, no more agents").isEqualTo(1);

    governor.gotThrough();
    assertThat(governor.allowedRunning()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(30));
    assertThat(governor.allowedRunning()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(30));
    assertThat(governor.allowedRunning()).isEqualTo(8);
    assertThat(governor.state()).isEqualTo(RateGovernor.State.OPEN);
  }

  @Test
  void aProbeThatHitsTheLimitAgainWaitsTwiceAsLongUpToTenMinutes() {
    RateGovernor governor = governor(4);
    long[] waits = new long[7];
    for (int i = 0; i < waits.length; i++) {
      governor.limited(new ApiLimit(ApiLimit.Kind.RATE, 0));
      waits[i] = governor.nextChangeAt() - clock.millis();
      clock.set(Instant.ofEpochMilli(governor.nextChangeAt()));
      assertThat(governor.state().phase()).isEqualTo(Phase.PROBING);
    }
    assertThat(waits).containsExactly(30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000);
  }

  @Test
  void aKnownResetTimeIsWaitedForInsteadOfTheBackoff() {
    RateGovernor governor = governor(4);
    long reset = clock.millis() + Duration.ofHours(2).toMillis();
    governor.limited(new ApiLimit(ApiLimit.Kind.USAGE, reset));
    assertThat(governor.state().parkedFor()).isEqualTo(ApiLimit.Kind.USAGE);
    assertThat(governor.nextChangeAt()).isEqualTo(reset + 5_000);

    governor.limited(new ApiLimit(ApiLimit.Kind.RATE, 0));
    assertThat(governor.nextChangeAt()).as("a later limit never brings the resume time forward").isEqualTo(reset + 5_000);
  }

  @Test
  void aLimitWhileRampingParksAgainWithTheNextBackoff() {
    RateGovernor governor = governor(8);
    governor.limited(new ApiLimit(ApiLimit.Kind.RATE, 0));
    clock.advance(Duration.ofSeconds(30));
    governor.gotThrough();
    assertThat(governor.allowedRunning()).isEqualTo(2);

    assertThat(governor.limited(new ApiLimit(ApiLimit.Kind.RATE, 0))).isTrue();
    assertThat(governor.allowedRunning()).isZero();
    assertThat(governor.nextChangeAt() - clock.millis()).isEqualTo(60_000);
  }

  @Test
  void aRestoredParkedStateKeepsItsResumeTime() {
    RateGovernor before = governor(4);
    before.limited(new ApiLimit(ApiLimit.Kind.RATE, 0));
    RateGovernor.State saved = before.state();

    RateGovernor after = new RateGovernor(clock, RateGovernor.Settings.defaults(4, LongUnaryOperator.identity()), saved);
    assertThat(after.allowedRunning()).isZero();
    assertThat(after.nextChangeAt()).isEqualTo(before.nextChangeAt());
  }

  @Test
  void aPersonLiftsAParkEarlyAndTheProbeGoesAsIfTheWaitHadEnded() {
    RateGovernor governor = governor(4);
    assertThat(governor.lift()).as("nothing to lift").isFalse();
    governor.limited(new ApiLimit(ApiLimit.Kind.USAGE, clock.millis() + Duration.ofHours(4).toMillis()));

    assertThat(governor.lift()).isTrue();
    assertThat(governor.state().phase()).isEqualTo(Phase.PROBING);
    assertThat(governor.view().allowed()).isEqualTo(1);
    assertThat(governor.view().parked()).isFalse();
  }

  @Test
  void aResetTimeBeyondTheLongestRealWindowParksForAWeekAtMost() {
    RateGovernor governor = governor(4);
    governor.limited(new ApiLimit(ApiLimit.Kind.USAGE, Instant.parse("2999-01-01T00:00:00Z").toEpochMilli()));

    assertThat(governor.nextChangeAt()).isEqualTo(clock.millis() + Duration.ofDays(7).plusSeconds(5).toMillis());
    assertThat(governor.view().parked()).isTrue();
    assertThat(governor.view().allowed()).isZero();
  }
}
