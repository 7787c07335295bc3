package dev.orch.scripted;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scripted model does: for a prompt containing a trigger, a script of steps. A rule may hold several scripts,
 * used in turn each time a fresh prompt matches it (first attempt, retry, ...; the last one repeats). A follow-up in a
 * resumed session is a fresh prompt too, so it can have its own rule. Prompts no rule matches get a short final text.
 */
public final class ScriptBook {
  /** A trigger and the scripts for successive matching prompts. */
  public record Rule(String trigger, List<List<ScriptStep>> scripts) {
  }

  private final List<Rule> rules = new ArrayList<>();

  public ScriptBook on(String trigger, List<ScriptStep> script) {
    rules.add(new Rule(trigger, List.of(List.copyOf(script))));
    return this;
  }

  /** {@code attempts.get(0)} answers the first matching prompt, {@code attempts.get(1)} the second, and so on. */
  public ScriptBook onAttempts(String trigger, List<List<ScriptStep>> attempts) {
    rules.add(new Rule(trigger, attempts.stream().map(List::copyOf).toList()));
    return this;
  }

  List<Rule> rules() {
    return List.copyOf(rules);
  }

  /** Steps that write a file and commit it: the usual shape of a scripted task. */
  public static List<ScriptStep> writeAndCommit(String path, String content, String commitMessage, String summary) {
    return List.of(
        ScriptStep.tool("Write", new JsonObject().put("file_path", "${cwd}/" + path).put("content", content)),
        ScriptStep.tool("Bash", new JsonObject()
            .put("command", "git add -A && git commit -q -m '" + commitMessage.replace("'", "") + "' && git log --oneline -1")
            .put("description", "Commit the change")),
        ScriptStep.text(summary));
  }
}
