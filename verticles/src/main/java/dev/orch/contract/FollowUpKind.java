package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;

/**
 * What the agent was last asked to do on a pull request; prbot decides on it (a second conflict goes to a person).
 * Each names the prompt template the executor renders for it and the variables that template may use, so prbot and
 * the executor share one list.
 */
public enum FollowUpKind {
  CONFLICT("review/conflict.md", "TaskID", "Title", "MainBranch", "Files"),
  CHECKS_FAILED("review/checks-failed.md", "TaskID", "Title", "Command", "ExitCode", "Output", "Round", "MaxRounds"),
  REJECTED("review/rejected.md", "TaskID", "Title", "Number", "Reason");

  private final String template;
  private final Set<String> variables;

  FollowUpKind(String template, String... variables) {
    this.template = template;
    this.variables = Set.of(variables);
  }

  public String template() {
    return template;
  }

  public Set<String> variables() {
    return variables;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static FollowUpKind fromWire(String text) {
    if (text == null) {
      return null;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw OrchException.badRequest("unknown follow-up '" + text + "' (conflict, checks_failed, rejected)");
    }
  }
}
