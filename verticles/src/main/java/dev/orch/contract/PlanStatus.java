package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The three states a plan file (frontmatter or README emoji) can say a task is in. */
public enum PlanStatus {
  NOT_STARTED("🔴"),
  IN_PROGRESS("🟡"),
  COMPLETE("🟢");

  private static final Map<String, PlanStatus> ALIASES = Map.ofEntries(
      Map.entry("not_started", NOT_STARTED), Map.entry("notstarted", NOT_STARTED), Map.entry("todo", NOT_STARTED),
      Map.entry("to_do", NOT_STARTED), Map.entry("pending", NOT_STARTED), Map.entry("open", NOT_STARTED),
      Map.entry("new", NOT_STARTED), Map.entry("planned", NOT_STARTED), Map.entry("🔴", NOT_STARTED),
      Map.entry("in_progress", IN_PROGRESS), Map.entry("inprogress", IN_PROGRESS), Map.entry("wip", IN_PROGRESS),
      Map.entry("doing", IN_PROGRESS), Map.entry("started", IN_PROGRESS), Map.entry("active", IN_PROGRESS),
      Map.entry("ongoing", IN_PROGRESS), Map.entry("🟡", IN_PROGRESS),
      Map.entry("complete", COMPLETE), Map.entry("completed", COMPLETE), Map.entry("done", COMPLETE),
      Map.entry("finished", COMPLETE), Map.entry("closed", COMPLETE), Map.entry("merged", COMPLETE),
      Map.entry("🟢", COMPLETE));

  private final String emoji;

  PlanStatus(String emoji) {
    this.emoji = emoji;
  }

  public String emoji() {
    return emoji;
  }

  /** Reads the usual spellings: {@code done}, {@code In Progress}, {@code todo}, the traffic-light emoji... */
  public static Optional<PlanStatus> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String key = text.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    return Optional.ofNullable(ALIASES.get(key));
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static PlanStatus fromWire(String text) {
    return parse(text).orElseThrow(() -> OrchException.badRequest("unknown plan status '" + text + "'"));
  }
}
