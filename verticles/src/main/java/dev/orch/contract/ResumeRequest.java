package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * Continue a task's latest run in the same agent session and worktree with a follow-up prompt: the text itself, or a
 * prompt template (such as {@code review/checks-failed.md}, overridable like every prompt) and its values.
 */
public record ResumeRequest(TaskId taskId, String prompt, String template, java.util.Map<String, String> values)
    implements Command {
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

  public static ResumeRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, ResumeRequest.class);
  }
}
