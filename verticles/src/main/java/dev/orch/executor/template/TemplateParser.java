package dev.orch.executor.template;

import dev.orch.executor.template.Node.Command;
import dev.orch.executor.template.Node.Field;
import dev.orch.executor.template.Node.Operand;
import dev.orch.executor.template.Node.Pipeline;
import dev.orch.executor.template.TemplateLexer.ActionItem;
import dev.orch.executor.template.TemplateLexer.Item;
import dev.orch.executor.template.TemplateLexer.Kind;
import dev.orch.executor.template.TemplateLexer.TextItem;
import dev.orch.executor.template.TemplateLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link Node} tree and checks what can be checked before any data is seen: every block closed, every
 * function known and given a number of arguments it takes, and every variable read from the template's data
 * ({@code .Name} outside {@code with} and {@code range}, {@code $.Name} anywhere) one the caller knows.
 */
final class TemplateParser {
  private static final Set<String> UNSUPPORTED = Set.of("define", "template", "block", "break", "continue");

  /** How a list of nodes ended: {@code {{end}}}, {@code {{else ...}}} (with what follows else), or the text's end. */
  private record Ending(String keyword, int line, List<Token> rest) {
  }

  private final List<Item> items;
  private final String source;
  private final Set<String> known;
  private int next;
  /** Blocks and parentheses open around what is being parsed; an else-if counts as one more block, as in Go. */
  private int depth;

  private TemplateParser(List<Item> items, String source, Set<String> known) {
    this.items = items;
    this.source = source;
    this.known = known;
  }

  static List<Node> parse(String text, String source, Set<String> known) {
    TemplateParser parser = new TemplateParser(TemplateLexer.lex(text, source), source, known);
    List<Node> nodes = new ArrayList<>();
    Ending ending = parser.list(nodes, true);
    if (ending != null) {
      throw parser.error(ending.line(), "'{{" + ending.keyword() + "}}' without a matching '{{if}}', '{{with}}' or '{{range}}'");
    }
    return List.copyOf(nodes);
  }

  /** Parses into {@code into} until an end or else (returned) or the end of the text (null). */
  private Ending list(List<Node> into, boolean dotIsData) {
    while (next < items.size()) {
      Item item = items.get(next++);
      if (item instanceof TextItem text) {
        into.add(new Node.Text(text.text()));
        continue;
      }
      ActionItem action = (ActionItem) item;
      List<Token> tokens = action.tokens();
      int line = action.line();
      String keyword = !tokens.isEmpty() && tokens.get(0).kind() == Kind.IDENT ? tokens.get(0).text() : "";
      switch (keyword) {
        case "end" -> {
          if (tokens.size() > 1) {
            throw error(line, "'{{end}}' takes nothing after it");
          }
          return new Ending("end", line, List.of());
        }
        case "else" -> {
          return new Ending("else", line, tokens.subList(1, tokens.size()));
        }
        case "if" -> into.add(ifBlock(tokens.subList(1, tokens.size()), line, dotIsData));
        case "with" -> into.add(withBlock(tokens.subList(1, tokens.size()), line, dotIsData));
        case "range" -> into.add(rangeBlock(tokens.subList(1, tokens.size()), line, dotIsData));
        default -> {
          if (UNSUPPORTED.contains(keyword)) {
            throw error(line, "'{{" + keyword + "}}' is not supported in orch's prompt templates");
          }
          into.add(new Node.Print(pipeline(tokens, line, dotIsData)));
        }
      }
    }
    return null;
  }

  private Node.If ifBlock(List<Token> condition, int line, boolean dotIsData) {
    enter(line);
    Pipeline pipeline = pipeline(condition, line, dotIsData);
    List<Node> then = new ArrayList<>();
    Ending ending = closed(list(then, dotIsData), "if", line);
    List<Node> otherwise = new ArrayList<>();
    if (ending.keyword().equals("else")) {
      List<Token> rest = ending.rest();
      if (!rest.isEmpty() && rest.get(0).text().equals("if")) {
        otherwise.add(ifBlock(rest.subList(1, rest.size()), ending.line(), dotIsData));
      } else {
        plainElse(rest, ending.line(), "if");
        closedByEnd(list(otherwise, dotIsData), "if", line);
      }
    }
    depth--;
    return new Node.If(pipeline, List.copyOf(then), List.copyOf(otherwise));
  }

  private Node.With withBlock(List<Token> value, int line, boolean dotIsData) {
    enter(line);
    Pipeline pipeline = pipeline(value, line, dotIsData);
    List<Node> then = new ArrayList<>();
    Ending ending = closed(list(then, false), "with", line);
    List<Node> otherwise = new ArrayList<>();
    if (ending.keyword().equals("else")) {
      List<Token> rest = ending.rest();
      if (!rest.isEmpty() && rest.get(0).text().equals("with")) {
        otherwise.add(withBlock(rest.subList(1, rest.size()), ending.line(), dotIsData));
      } else {
        plainElse(rest, ending.line(), "with");
        closedByEnd(list(otherwise, dotIsData), "with", line);
      }
    }
    depth--;
    return new Node.With(pipeline, List.copyOf(then), List.copyOf(otherwise));
  }

  private Node.Range rangeBlock(List<Token> over, int line, boolean dotIsData) {
    enter(line);
    Pipeline pipeline = pipeline(over, line, dotIsData);
    List<Node> body = new ArrayList<>();
    Ending ending = closed(list(body, false), "range", line);
    List<Node> otherwise = new ArrayList<>();
    if (ending.keyword().equals("else")) {
      plainElse(ending.rest(), ending.line(), "range");
      closedByEnd(list(otherwise, dotIsData), "range", line);
    }
    depth--;
    return new Node.Range(pipeline, List.copyOf(body), List.copyOf(otherwise));
  }

  /**
   * Parsing and rendering recurse once per level, so a deep template would overflow the stack; the limit also keeps
   * an else-if chain of the same length from doing so.
   */
  private void enter(int line) {
    if (++depth > TemplateLimits.MAX_NESTING) {
      throw error(line, "blocks and parentheses are nested more than " + TemplateLimits.MAX_NESTING + " deep");
    }
  }

  private Ending closed(Ending ending, String block, int openedAt) {
    if (ending == null) {
      throw error(openedAt, "'{{" + block + "}}' is never closed with '{{end}}'");
    }
    return ending;
  }

  private void closedByEnd(Ending ending, String block, int openedAt) {
    if (!closed(ending, block, openedAt).keyword().equals("end")) {
      throw error(ending.line(), "a second '{{else}}' in the '{{" + block + "}}' of line " + openedAt
          + " (expected '{{end}}')");
    }
  }

  private void plainElse(List<Token> rest, int line, String block) {
    if (!rest.isEmpty()) {
      throw error(line, "'{{else " + rest.get(0).text() + "}}' cannot follow '{{" + block + "}}'");
    }
  }

  /** Commands separated by |, each a function call or a single operand. */
  private Pipeline pipeline(List<Token> tokens, int line, boolean dotIsData) {
    if (tokens.isEmpty()) {
      throw error(line, "an action needs a value (empty '{{ }}' or a block without its condition)");
    }
    enter(line);
    List<Command> commands = new ArrayList<>();
    int parens = 0;
    int start = 0;
    for (int i = 0; i <= tokens.size(); i++) {
      Kind kind = i < tokens.size() ? tokens.get(i).kind() : null;
      if (kind == Kind.OPEN) {
        parens++;
      } else if (kind == Kind.CLOSE) {
        if (--parens < 0) {
          throw error(line, "')' without a matching '('");
        }
      } else if (parens == 0 && (kind == Kind.PIPE || kind == null)) {
        if (i == start) {
          throw error(line, "'|' needs a command on both sides");
        }
        commands.add(command(tokens.subList(start, i), line, dotIsData, !commands.isEmpty()));
        start = i + 1;
      }
    }
    if (parens > 0) {
      throw error(line, "'(' is never closed with ')'");
    }
    depth--;
    return new Pipeline(line, List.copyOf(commands));
  }

  @SuppressWarnings("unchecked")
  private Command command(List<Token> tokens, int line, boolean dotIsData, boolean piped) {
    List<Operand> operands = new ArrayList<>();
    int i = 0;
    while (i < tokens.size()) {
      Token token = tokens.get(i);
      if (token.kind() == Kind.OPEN) {
        int close = matching(tokens, i);
        Node.Nested nested = new Node.Nested(pipeline(tokens.subList(i + 1, close), line, dotIsData));
        i = close + 1;
        if (i < tokens.size() && tokens.get(i).kind() == Kind.CHAIN) {
          operands.add(new Node.Chain(nested, (List<String>) tokens.get(i++).value()));
        } else {
          operands.add(nested);
        }
        continue;
      }
      operands.add(operand(token, line, dotIsData));
      i++;
    }
    if (operands.get(0) instanceof Node.Function function) {
      int given = operands.size() - 1 + (piped ? 1 : 0);
      TemplateFunctions.checkArity(function.name(), given).ifPresent(problem -> {
        throw error(line, problem);
      });
    } else if (operands.size() > 1 || piped) {
      throw error(line, "only a function takes arguments, and '" + tokens.get(0).text() + "' is not one"
          + (piped ? " (the value before '|' is given to it as its last argument)" : ""));
    }
    for (Operand operand : operands.subList(1, operands.size())) {
      if (operand instanceof Node.Function function) {
        throw error(line, "the function " + function.name() + " must come first in its command: write ("
            + function.name() + " ...)");
      }
    }
    return new Command(List.copyOf(operands));
  }

  private int matching(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).kind() == Kind.OPEN) {
        depth++;
      } else if (tokens.get(i).kind() == Kind.CLOSE && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced parentheses passed the pipeline's check");
  }

  @SuppressWarnings("unchecked")
  private Operand operand(Token token, int line, boolean dotIsData) {
    return switch (token.kind()) {
      case FIELD -> {
        List<String> path = (List<String>) token.value();
        if (dotIsData && !path.isEmpty()) {
          checkKnown(path.get(0), line);
        }
        yield new Field(false, path);
      }
      case ROOT -> {
        List<String> path = (List<String>) token.value();
        if (!path.isEmpty()) {
          checkKnown(path.get(0), line);
        }
        yield new Field(true, path);
      }
      case STRING, NUMBER -> new Node.Literal(token.value());
      case IDENT -> switch (token.text()) {
        case "true" -> new Node.Literal(Boolean.TRUE);
        case "false" -> new Node.Literal(Boolean.FALSE);
        case "nil" -> throw error(line, "nil is not supported in orch's prompt templates");
        case "if", "else", "end", "with", "range" -> throw error(line, "'" + token.text() + "' cannot be used as a value");
        default -> {
          if (!TemplateFunctions.NAMES.contains(token.text())) {
            throw error(line, "unknown function \"" + token.text() + "\" (known: " + String.join(", ",
                TemplateFunctions.NAMES.stream().sorted().toList()) + ")");
          }
          yield new Node.Function(token.text());
        }
      };
      case PIPE, OPEN, CLOSE, CHAIN -> throw error(line, "unexpected '" + token.text() + "'");
    };
  }

  private void checkKnown(String name, int line) {
    if (!known.contains(name)) {
      throw error(line, "unknown variable ." + name + " (known: "
          + known.stream().sorted().map(k -> "." + k).reduce((a, b) -> a + ", " + b).orElse("none") + ")");
    }
  }

  private PromptTemplate.TemplateException error(int line, String message) {
    return new PromptTemplate.TemplateException(source, line, message);
  }
}
