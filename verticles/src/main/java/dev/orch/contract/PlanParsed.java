package dev.orch.contract;

import java.util.List;

/** Published on {@link Addresses.Parser#EVT_PARSED} after each read of the plans: counts and errors, not the tasks. */
public record PlanParsed(int tasks, int filesRead, long parseMillis, List<PlanIssue> errors) implements BusMessage {
  public PlanParsed {
    errors = WireJson.listOrEmpty(errors);
  }
}
