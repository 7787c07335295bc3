package dev.orch.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Go's text/template the reference's prompts use, so overrides written for it work unchanged:
 * {@code {{.Var}}}, {@code {{if .Var}}...{{else if .Other}}...{{else}}...{{end}}}, comments {@code {{/* ... * /}}},
 * and the trim markers {@code {{- } and {@code -}}}. A variable is true when it is not empty. Parsing checks every
 * variable against the names the caller knows and names the line of any unknown one.
 */
public final class PromptTemplate {
  private static final Pattern VAR = Pattern.compile("\\.([A-Za-z][A-Za-z0-9_]*)");

  private sealed interface Node permits Text, Var, If {
  }

  private record Text(String text) implements Node {
  }

  private record Var(String name) implements Node {
  }

  private record If(String name, List<Node> then, List<Node> otherwise) implements Node {
  }

  /** A template that cannot be used, with the file and line of the problem. */
  public static final class TemplateException extends RuntimeException {
    public TemplateException(String source, int line, String message) {
      super(source + ":" + line + ": " + message, null, false, false);
    }
  }

  private final List<Node> nodes;

  private PromptTemplate(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** @param source names the template in errors (its file, or "built-in epic/task.md") */
  public static PromptTemplate parse(String text, String source, Set<String> known) {
    return new Parser(text, source, known).parseAll();
  }

  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    render(nodes, values, out);
    return out.toString();
  }

  private static void render(List<Node> nodes, Map<String, String> values, StringBuilder out) {
    for (Node node : nodes) {
      if (node instanceof Text text) {
        out.append(text.text());
      } else if (node instanceof Var var) {
        out.append(values.getOrDefault(var.name(), ""));
      } else if (node instanceof If branch) {
        String value = values.get(branch.name());
        render(value != null && !value.isEmpty() ? branch.then() : branch.otherwise(), values, out);
      }
    }
  }

  private static final class Parser {
    private final String text;
    private final String source;
    private final Set<String> known;
    private int pos;

    Parser(String text, String source, Set<String> known) {
      this.text = text;
      this.source = source;
      this.known = known;
    }

    PromptTemplate parseAll() {
      List<Node> nodes = new ArrayList<>();
      String end = parseBlock(nodes, 0);
      if (end != null) {
        throw new TemplateException(source, lineAt(pos), "'{{" + end + "}}' without a matching '{{if}}'");
      }
      return new PromptTemplate(List.copyOf(nodes));
    }

    /** Parses until {{else...}} or {{end}} (returned, without braces) or the end of the text (null). */
    private String parseBlock(List<Node> into, int openedAtLine) {
      while (pos < text.length()) {
        int open = text.indexOf("{{", pos);
        if (open < 0) {
          into.add(new Text(text.substring(pos)));
          pos = text.length();
          break;
        }
        int close = text.indexOf("}}", open + 2);
        if (close < 0) {
          throw new TemplateException(source, lineAt(open), "'{{' is never closed with '}}'");
        }
        String inner = text.substring(open + 2, close);
        boolean trimLeft = inner.startsWith("-") && (inner.length() == 1 || Character.isWhitespace(inner.charAt(1)));
        boolean trimRight = inner.endsWith("-") && inner.length() > 1 && Character.isWhitespace(inner.charAt(inner.length() - 2));
        String action = inner.substring(trimLeft ? 1 : 0, inner.length() - (trimRight ? 1 : 0)).trim();
        String before = text.substring(pos, open);
        into.add(new Text(trimLeft ? before.stripTrailing() : before));
        int line = lineAt(open);
        pos = close + 2;
        if (trimRight) {
          while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
          }
        }
        if (action.startsWith("/*")) {
          continue;
        }
        if (action.equals("end") || action.equals("else") || action.startsWith("else ")) {
          return action;
        }
        if (action.startsWith("if ")) {
          into.add(parseIf(action.substring(3).trim(), line));
          continue;
        }
        into.add(new Var(variable(action, line)));
      }
      if (openedAtLine > 0) {
        throw new TemplateException(source, openedAtLine, "'{{if}}' is never closed with '{{end}}'");
      }
      return null;
    }

    private If parseIf(String condition, int line) {
      String name = variable(condition, line);
      List<Node> then = new ArrayList<>();
      String end = parseBlock(then, line);
      List<Node> otherwise = new ArrayList<>();
      if (end.startsWith("else if ")) {
        otherwise.add(parseIf(end.substring("else if ".length()).trim(), lineAt(pos)));
      } else if (end.equals("else")) {
        String close = parseBlock(otherwise, line);
        if (!close.equals("end")) {
          throw new TemplateException(source, lineAt(pos), "expected '{{end}}' after '{{else}}', got '{{" + close + "}}'");
        }
      } else if (!end.equals("end")) {
        throw new TemplateException(source, lineAt(pos), "unexpected '{{" + end + "}}'");
      }
      return new If(name, List.copyOf(then), List.copyOf(otherwise));
    }

    private String variable(String action, int line) {
      Matcher m = VAR.matcher(action);
      if (!m.matches()) {
        throw new TemplateException(source, line, "cannot read '{{" + action + "}}': only {{.Name}}, {{if .Name}}, "
            + "{{else}}, {{else if .Name}} and {{end}} are supported");
      }
      if (!known.contains(m.group(1))) {
        throw new TemplateException(source, line, "unknown variable ." + m.group(1) + " (known: "
            + known.stream().sorted().map(k -> "." + k).reduce((a, b) -> a + ", " + b).orElse("none") + ")");
      }
      return m.group(1);
    }

    private int lineAt(int offset) {
      int line = 1;
      for (int i = 0; i < offset && i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }
  }
}
