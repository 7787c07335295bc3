package dev.orch.executor;

import dev.orch.contract.LaunchRequest;
import dev.orch.contract.McpRunToken;
import dev.orch.contract.OrchException;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.TaskId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one run is told: its task prompt (the plan file, its module's overview, the done dependencies) or a follow-up,
 * rendered through the {@link PromptLibrary}, and its MCP config, a JSON template whose {@code ${worktree}},
 * {@code ${task_id}} and {@code ${mcp_token}} are filled in for the run. Blocking (file reads and writes).
 */
final class RunPrompts {
  private final PromptLibrary library;
  private final Path projectRoot;
  private final JsonObject mcpServers;
  private final String mcpSecret;

  RunPrompts(PromptLibrary library, Path projectRoot, JsonObject mcpServers, String mcpSecret) {
    this.library = library;
    this.projectRoot = projectRoot;
    this.mcpServers = mcpServers;
    this.mcpSecret = mcpSecret;
  }

  /** The plan file and its module's README or overview are read from the worktree first, else from the project. */
  String taskPrompt(TaskId task, LaunchRequest request, Path worktree, String branch) throws IOException {
    String content = readFirst(worktree.resolve(request.file()), projectRoot.resolve(request.file()))
        .orElseThrow(() -> new IOException("plan file " + request.file() + " is in neither the worktree nor the project"));
    Path folder = Path.of(request.file()).getParent();
    String context = "";
    if (folder != null) {
      for (String name : List.of("README.md", "00-overview.md")) {
        Optional<String> found = readFirst(worktree.resolve(folder).resolve(name), projectRoot.resolve(folder).resolve(name));
        if (found.isPresent()) {
          context = found.get();
          break;
        }
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("Title", request.title());
    values.put("EpicFilePath", request.file());
    values.put("EpicContent", content);
    values.put("ModuleContext", context);
    values.put("CompletedDeps", String.join(", ", request.completedDeps()));
    values.put("TaskID", task.toString());
    values.put("Module", task.module());
    values.put("Branch", branch);
    values.put("Attempt", (long) request.attempt());
    values.put("Dependencies", List.copyOf(request.completedDeps()));
    return library.render(PromptLibrary.EPIC_TASK, PromptLibrary.EPIC_VARIABLES, values);
  }

  /** The skill to install in the run's worktree, when an override folder has {@value AgentSkill#OVERRIDE}. */
  Optional<AgentSkill> skill() {
    return library.override(AgentSkill.OVERRIDE).map(AgentSkill::of);
  }

  /** The request's own prompt, or one of the follow-up templates filled in with its values. */
  String followUp(ResumeRequest request) {
    if (request.template() == null) {
      return request.prompt();
    }
    Set<String> known = PromptLibrary.FOLLOW_UP_VARIABLES.get(request.template());
    if (known == null) {
      throw OrchException.badRequest("field 'template': no follow-up prompt template " + request.template() + " (one of "
          + String.join(", ", PromptLibrary.FOLLOW_UP_VARIABLES.keySet()) + ")");
    }
    return library.render(request.template(), known, request.values());
  }

  /** Owner-only: it may carry the token of orch's MCP endpoint. */
  void writeMcpConfig(Path file, Path worktree, TaskId task) throws IOException {
    String taskId = task.toString();
    JsonObject servers = fillIn(mcpServers, Map.of("${worktree}", worktree.toString(), "${task_id}", taskId,
        "${mcp_token}", McpRunToken.of(mcpSecret, worktree.toString(), taskId)));
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, new JsonObject().put("mcpServers", servers).encodePrettily());
  }

  static JsonObject fillIn(JsonObject template, Map<String, String> values) {
    JsonObject out = new JsonObject();
    template.forEach(entry -> out.put(entry.getKey(), fillInValue(entry.getValue(), values)));
    return out;
  }

  private static Object fillInValue(Object value, Map<String, String> values) {
    if (value instanceof JsonObject object) {
      return fillIn(object, values);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(fillInValue(item, values)));
      return out;
    }
    if (value instanceof String text) {
      for (Map.Entry<String, String> entry : values.entrySet()) {
        text = text.replace(entry.getKey(), entry.getValue());
      }
      return text;
    }
    return value;
  }

  private static Optional<String> readFirst(Path... candidates) throws IOException {
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(Files.readString(candidate, StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
