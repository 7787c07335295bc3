package dev.orch.executor.template;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of Go's text/template that prompts use, so overrides written for the reference project work unchanged:
 * {@code {{.Var}}}, {@code {{$.Var}}}, {@code {{if}}} / {@code {{else if}}} / {@code {{else}}}, {@code {{with}}},
 * {@code {{range}}} (over a list, a map or a number, with {@code {{.}}} and fields inside), pipelines with {@code |}
 * and parentheses, the functions of {@link TemplateFunctions}, comments, and the trim markers {@code {{- } and
 * {@code -}}}. What it cannot do: define or include templates, assign variables, call anything outside itself.
 * Parsing checks every variable read from the data against the names the caller knows and every function name, and
 * names the file and line of any problem; so does rendering, for what only the data can tell (a field inside a range).
 */
public final class PromptTemplate {
  /** A template that cannot be used, with the file and line of the problem. */
  public static final class TemplateException extends RuntimeException {
    public TemplateException(String source, int line, String message) {
      super(source + ":" + line + ": " + message, null, false, false);
    }
  }

  private final List<Node> nodes;
  private final String source;

  private PromptTemplate(List<Node> nodes, String source) {
    this.nodes = nodes;
    this.source = source;
  }

  /** @param source names the template in errors (its file, or "built-in epic/task.md") */
  public static PromptTemplate parse(String text, String source, Set<String> known) {
    return new PromptTemplate(TemplateParser.parse(text, source, known), source);
  }

  /**
   * @param values text, numbers, booleans, lists and maps with text keys; a known variable that is absent renders as
   *     empty text
   */
  public String render(Map<String, ?> values) {
    StringBuilder out = new StringBuilder();
    TemplateEvaluator evaluator = new TemplateEvaluator(source, values);
    evaluator.render(nodes, values, out);
    return out.toString();
  }
}
