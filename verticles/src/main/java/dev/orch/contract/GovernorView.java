package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * What the rate-limit governor is doing, published on {@link Addresses.Scheduler#EVT_GOVERNOR} when the scheduler
 * loads it and whenever it changes. {@code parked}: no new agent starts until {@code resumeAt} (epoch milliseconds);
 * otherwise {@code allowed} agents may run for now. {@code limit} is what parked it, null once it is open again.
 * {@code probeFree}: the limit has lifted and one agent goes first, but none of the plan's tasks is ready to, so another
 * agent (a pull request's fix round) may be that one.
 */
public record GovernorView(boolean parked, ApiLimit.Kind limit, long resumeAt, int allowed, String text,
    boolean probeFree) implements BusMessage {
  public GovernorView {
    WireJson.require("text", text);
  }

  /** With the probe taken by the plan, or no probe at all. */
  public GovernorView(boolean parked, ApiLimit.Kind limit, long resumeAt, int allowed, String text) {
    this(parked, limit, resumeAt, allowed, text, false);
  }

  public static GovernorView fromJson(JsonObject json) {
    return WireJson.fromJson(json, GovernorView.class);
  }

  /** The same, saying whether the probe is free; only a probing governor's can be. */
  public GovernorView withProbeFree(boolean free) {
    return new GovernorView(parked, limit, resumeAt, allowed, text, free && probing());
  }

  /** After a limit, one agent goes first and the others wait to hear whether it got through. */
  public boolean probing() {
    return !parked && limit != null && allowed <= 1;
  }

  /** Parked, or its probe not yet through: no agent but the probe starts. */
  public boolean holding() {
    return parked || probing();
  }

  /** No limit holds agents back any more. */
  public boolean open() {
    return !parked && limit == null;
  }
}
