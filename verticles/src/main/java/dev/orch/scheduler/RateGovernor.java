package dev.orch.scheduler;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.GovernorView;
import dev.orch.flow.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongUnaryOperator;

/**
 * One decision for the whole orch about how many agents may be running while the model API pushes back. The first
 * limit parks it: no new agent starts, those running go on. When the limit lifts (at the reset time the API gave, else
 * after a backoff of 30 s doubling to 10 min, jittered) one agent goes first as a probe; only once it gets through do
 * the rest follow, doubling the number allowed each {@code rampStep} until there is no cap left. Another limit on the
 * way parks it again, with the next backoff.
 */
public final class RateGovernor {
  /** What the governor is doing; {@code parkedFor} is what parked it, null when open. */
  public enum Phase { OPEN, PARKED, PROBING, RAMPING }

  /** What survives a restart: a parked plan is still parked, with the same resume time. */
  public record State(Phase phase, ApiLimit.Kind parkedFor, long resumeAt, int limitsInARow, int allowed,
      long rampedAt) {
    public static final State OPEN = new State(Phase.OPEN, null, 0, 0, Integer.MAX_VALUE, 0);

    /** For {@code orch status} and the dashboard: what holds agents back, or null when nothing does. */
    public String describe() {
      return switch (phase) {
        case OPEN -> null;
        case PARKED -> "parked by " + parkedFor.describe() + ": no new agent starts until "
            + Instant.ofEpochMilli(resumeAt) + ", then one goes first";
        case PROBING -> "after " + parkedFor.describe() + ": one agent goes first; the others follow once it gets through";
        case RAMPING -> "after " + parkedFor.describe() + ": back to at most " + allowed + " agents for now";
      };
    }
  }

  /**
   * {@code maxAgents}: the parallel limit; once the ramp allows that many the governor is open again.
   * {@code longestReset}: the furthest a reset time given with a limit can park the plan. The API's longest window is
   * a week; a reset beyond that comes from something else (a wrapper around the CLI, a clock far off) and would park
   * the plan for good.
   */
  public record Settings(int maxAgents, Backoff backoff, Duration rampStep, Duration resetMargin,
      Duration longestReset) {
    public static Settings defaults(int maxAgents, LongUnaryOperator jitter) {
      return new Settings(maxAgents, new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)).jittered(jitter),
          Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofDays(7));
    }
  }

  private final Clock clock;
  private final Settings settings;
  private State state;

  public RateGovernor(Clock clock, Settings settings, State restored) {
    this.clock = clock;
    this.settings = settings;
    this.state = restored;
  }

  public State state() {
    advance();
    return state;
  }

  /** How many agents may be running now: none while parked, one while probing, a doubling share while ramping back. */
  public int allowedRunning() {
    advance();
    return switch (state.phase()) {
      case OPEN -> settings.maxAgents();
      case PARKED -> 0;
      case PROBING -> Math.min(1, settings.maxAgents());
      case RAMPING -> Math.min(state.allowed(), settings.maxAgents());
    };
  }

  /** For the bus: parked or not, until when, how many may run now. */
  public GovernorView view() {
    String text = state().describe();
    return new GovernorView(state.phase() == Phase.PARKED, state.parkedFor(), state.resumeAt(), allowedRunning(),
        text == null ? "the model API's limit has lifted: agents start as usual" : text);
  }

  /**
   * A person lifts the park before its time: one agent goes first as a probe, as when the wait ends by itself. Returns
   * false when the governor was not parked.
   */
  public boolean lift() {
    advance();
    if (state.phase() != Phase.PARKED) {
      return false;
    }
    state = probing(state);
    return true;
  }

  /** A run hit a limit. Returns true when this parked an open (or recovering) governor, so people are told once. */
  public boolean limited(ApiLimit limit) {
    advance();
    if (state.phase() == Phase.PARKED) {
      // Agents still running when it parked hit the same limit: it is one limit, which only a reset time the API
      // gives can push later.
      long resumeAt = Math.max(state.resumeAt(), resetAt(limit, state.limitsInARow()));
      state = new State(Phase.PARKED, state.parkedFor(), resumeAt, state.limitsInARow(), 0, 0);
      return false;
    }
    int inARow = state.limitsInARow() + 1;
    state = new State(Phase.PARKED, limit.kind(), resetAt(limit, inARow), inARow, 0, 0);
    return true;
  }

  private long resetAt(ApiLimit limit, int limitsInARow) {
    long now = clock.millis();
    if (limit.resetsAt() <= now) {
      return now + settings.backoff().after(limitsInARow).toMillis();
    }
    return Math.min(limit.resetsAt(), now + settings.longestReset().toMillis()) + settings.resetMargin().toMillis();
  }

  /**
   * A run got through to the model (it produced output after the governor let it start, or ended well). While probing,
   * that lets the others follow; while ramping it changes nothing, the ramp is paced by time.
   */
  public void gotThrough() {
    advance();
    if (state.phase() == Phase.PROBING) {
      state = 2 >= settings.maxAgents() ? State.OPEN
          : new State(Phase.RAMPING, state.parkedFor(), 0, state.limitsInARow(), 2, clock.millis());
    }
  }

  /** When the governor next changes by itself (the resume time, or the next ramp step), or 0 when it will not. */
  public long nextChangeAt() {
    advance();
    return switch (state.phase()) {
      case PARKED -> state.resumeAt();
      case RAMPING -> state.rampedAt() + settings.rampStep().toMillis();
      case OPEN, PROBING -> 0;
    };
  }

  private void advance() {
    long now = clock.millis();
    if (state.phase() == Phase.PARKED && now >= state.resumeAt()) {
      state = probing(state);
    }
    long step = settings.rampStep().toMillis();
    while (state.phase() == Phase.RAMPING && now >= state.rampedAt() + step) {
      int doubled = state.allowed() * 2;
      // Back at full speed the limit has shown it is gone: the next one starts the backoff from its first wait.
      state = doubled >= settings.maxAgents() ? State.OPEN
          : new State(Phase.RAMPING, state.parkedFor(), 0, state.limitsInARow(), doubled, state.rampedAt() + step);
    }
  }

  private static State probing(State parked) {
    return new State(Phase.PROBING, parked.parkedFor(), 0, parked.limitsInARow(), 1, 0);
  }
}
