package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * Continue a task's latest run in the same agent session and worktree with a follow-up prompt: the text itself, or a
 * prompt template (such as {@code review/checks-failed.md}, overridable like every prompt) and its values.
 */
public record ResumeRequest(TaskId taskId, String prompt, String template, java.util.Map<String, String> values)
    implements Command {
  /** The prompt a session parked by an API limit resumes with; overridable like every prompt. */
  public static final String AFTER_LIMIT = "resume/after-limit.md";
  /** The variables {@link #AFTER_LIMIT} may use: {@code Limit} is what held the session, in words. */
  public static final java.util.Set<String> AFTER_LIMIT_VARIABLES = java.util.Set.of("TaskID", "Title", "Limit");

  public ResumeRequest {
    WireJson.require("task_id", taskId);
    if ((prompt == null || prompt.isBlank()) == (template == null || template.isBlank())) {
      throw new IllegalArgumentException("give either field 'prompt' or field 'template'");
    }
    values = values == null ? java.util.Map.of() : java.util.Map.copyOf(values);
  }

  public static ResumeRequest withPrompt(TaskId taskId, String prompt) {
    return new ResumeRequest(taskId, prompt, null, null);
  }

  public static ResumeRequest withTemplate(TaskId taskId, String template, java.util.Map<String, String> values) {
    return new ResumeRequest(taskId, null, template, values);
  }

  /** Carry on after {@code limit} lifted, in the words of {@link #AFTER_LIMIT}. */
  public static ResumeRequest afterLimit(TaskId taskId, String title, ApiLimit.Kind limit) {
    return withTemplate(taskId, AFTER_LIMIT, java.util.Map.of("TaskID", taskId.toString(), "Title", title, "Limit",
        limit == null ? "a limit" : limit.describe()));
  }

  public static ResumeRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, ResumeRequest.class);
  }
}
