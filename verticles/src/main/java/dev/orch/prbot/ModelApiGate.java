package dev.orch.prbot;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.GovernorView;
import java.time.Instant;

/**
 * Whether the agents' rounds on pull requests may start, as the scheduler's rate-limit governor says: none while it is
 * parked, none while the plan's own probe goes first after a limit, one when the plan has nobody to send first, up to
 * the governor's number while it ramps back, and any once it is open. Until the governor has been heard from (orch has
 * just started) none start: the model API may still be refusing.
 */
final class ModelApiGate {
  private GovernorView view;
  /** The limit that last held agents back, for the words an agent carrying on is told. */
  private ApiLimit.Kind lastLimit;

  /** Before the governor has said anything. */
  ModelApiGate() {
  }

  /** Already told {@code view} (tests start open). */
  ModelApiGate(GovernorView view) {
    this.view = view;
  }

  static GovernorView openView() {
    return new GovernorView(false, null, 0, Integer.MAX_VALUE, "open");
  }

  /** Whether the governor has said anything since this orch started (or a limit was seen here). */
  boolean heard() {
    return view != null;
  }

  void governed(GovernorView next) {
    view = next;
    if (next.limit() != null) {
      lastLimit = next.limit();
    }
  }

  /**
   * A round here hit {@code limit}: the scheduler parks the governor on it and says so, but that word may come after
   * this; until it does, nothing starts.
   */
  void limited(ApiLimit limit) {
    if (view == null || !view.parked()) {
      view = new GovernorView(true, limit.kind(), limit.resetsAt(), 0, limit.kind().describe());
    }
    lastLimit = limit.kind();
  }

  /** How many more rounds may start now, with {@code running} of prbot's rounds under way. */
  int mayStart(int running) {
    if (view == null || view.parked()) {
      return 0;
    }
    if (view.open()) {
      return Integer.MAX_VALUE;
    }
    if (view.probing()) {
      return view.probeFree() ? Math.max(0, 1 - running) : 0;
    }
    return Math.max(0, view.allowed() - running);
  }

  /** The limit that last held agents back, or null when none did since this orch started. */
  ApiLimit.Kind lastLimit() {
    return lastLimit;
  }

  /** What a held-back round waits for, and until when, in words for the pull request's view. */
  String waitingFor() {
    if (view == null) {
      return "the model API's limit: orch waits to hear from its rate-limit governor before agents start";
    }
    String limit = view.limit() == null ? "the model API's limit" : view.limit().describe();
    if (view.parked()) {
      return limit + ": agents start again " + (view.resumeAt() > 0 ? "after " + Instant.ofEpochMilli(view.resumeAt())
          : "once the governor's backoff has passed") + ", one first, then this round";
    }
    if (view.probing()) {
      return limit + ": the limit has lifted and one agent goes first; this round runs once it gets through";
    }
    return limit + ": the limit has lifted; at most " + view.allowed() + " agents run for now, and this round runs"
        + " when one of them ends or more may";
  }
}
