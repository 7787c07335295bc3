package dev.orch.executor.template;

import dev.orch.executor.template.Node.Command;
import dev.orch.executor.template.Node.Operand;
import dev.orch.executor.template.Node.Pipeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/** Renders a parsed template over its data, as Go's text/template executes one. */
final class TemplateEvaluator {
  private final String source;
  private final Map<String, ?> data;
  private int iterations;

  TemplateEvaluator(String source, Map<String, ?> data) {
    this.source = source;
    this.data = data;
  }

  void render(List<Node> nodes, Object dot, StringBuilder out) {
    for (Node node : nodes) {
      if (node instanceof Node.Text text) {
        append(out, text.text(), 0);
      } else if (node instanceof Node.Print print) {
        append(out, GoValues.print(value(print.pipeline(), dot)), print.pipeline().line());
      } else if (node instanceof Node.If branch) {
        render(GoValues.truth(value(branch.condition(), dot)) ? branch.then() : branch.otherwise(), dot, out);
      } else if (node instanceof Node.With with) {
        Object value = value(with.value(), dot);
        if (GoValues.truth(value)) {
          render(with.then(), value, out);
        } else {
          render(with.otherwise(), dot, out);
        }
      } else if (node instanceof Node.Range range) {
        range(range, dot, out);
      }
    }
  }

  /** Text has no line of its own; the output cap names the line of the last action, which is close enough. */
  private int lastLine = 1;

  private void append(StringBuilder out, String text, int line) {
    if (line > 0) {
      lastLine = line;
    }
    if (out.length() + text.length() > TemplateLimits.MAX_OUTPUT) {
      throw error(lastLine, "the rendered prompt would be longer than " + TemplateLimits.MAX_OUTPUT + " characters");
    }
    out.append(text);
  }

  private void range(Node.Range range, Object dot, StringBuilder out) {
    int line = range.over().line();
    Object over = value(range.over(), dot);
    Iterator<?> elements;
    if (over instanceof List<?> list) {
      elements = list.iterator();
    } else if (over instanceof Map<?, ?> map) {
      elements = new TreeMap<>(map).values().iterator();
    } else if (over instanceof Long n) {
      // Counted as it goes: range over a large number must not build the list of all of them first.
      elements = LongStream.range(0, n).iterator();
    } else if (over == null) {
      elements = Collections.emptyIterator();
    } else {
      throw error(line, "range goes over a list, a map or a number, not " + GoValues.kind(over));
    }
    if (!elements.hasNext()) {
      render(range.otherwise(), dot, out);
    }
    while (elements.hasNext()) {
      if (++iterations > TemplateLimits.MAX_RANGE_ITERATIONS) {
        throw error(line, "the template's ranges go round more than " + TemplateLimits.MAX_RANGE_ITERATIONS
            + " times in all");
      }
      render(range.body(), GoValues.normalise(elements.next()), out);
    }
  }

  private Object value(Pipeline pipeline, Object dot) {
    try {
      Object piped = null;
      boolean hasPiped = false;
      for (Command command : pipeline.commands()) {
        piped = command(command, dot, hasPiped, piped, pipeline.line());
        hasPiped = true;
      }
      return piped;
    } catch (PromptTemplate.TemplateException e) {
      throw e;
    } catch (GoValues.Mismatch e) {
      throw error(pipeline.line(), e.getMessage());
    } catch (RuntimeException e) {
      // What a function met that it did not foresee still names the template's file and line.
      throw error(pipeline.line(), e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private Object command(Command command, Object dot, boolean hasPiped, Object piped, int line) {
    List<Operand> operands = command.operands();
    if (!(operands.get(0) instanceof Node.Function function)) {
      return operand(operands.get(0), dot);
    }
    List<Supplier<Object>> args = new ArrayList<>();
    for (Operand operand : operands.subList(1, operands.size())) {
      args.add(() -> operand(operand, dot));
    }
    if (hasPiped) {
      args.add(() -> piped);
    }
    Object result = GoValues.normalise(TemplateFunctions.call(function.name(), args));
    // A value is checked as it is made, since one fed to the next call (with, printf) could otherwise grow each time.
    if (result instanceof String text && text.length() > TemplateLimits.MAX_OUTPUT) {
      throw new GoValues.Mismatch(function.name() + " made text longer than " + TemplateLimits.MAX_OUTPUT + " characters");
    }
    return result;
  }

  private Object operand(Operand operand, Object dot) {
    if (operand instanceof Node.Literal literal) {
      return literal.value();
    }
    if (operand instanceof Node.Nested nested) {
      return value(nested.pipeline(), dot);
    }
    if (operand instanceof Node.Field field) {
      return fields(field.fromRoot() ? data : dot, field.path());
    }
    if (operand instanceof Node.Chain chain) {
      return fields(value(chain.base().pipeline(), dot), chain.path());
    }
    throw new IllegalStateException("the parser lets a function stand only first in a command: " + operand);
  }

  private Object fields(Object value, List<String> path) {
    Object current = value;
    for (String name : path) {
      current = field(current, name);
    }
    return GoValues.normalise(current);
  }

  /** The template's data gives "" for a variable the caller knows but did not fill; other maps must have the key. */
  private Object field(Object value, String name) {
    if (value == data) {
      Object found = data.get(name);
      return found == null ? "" : found;
    }
    if (value instanceof Map<?, ?> map) {
      if (!map.containsKey(name)) {
        throw new GoValues.Mismatch("no field ." + name + " here (there are: " + String.join(", ",
            new TreeMap<>(map).keySet().stream().map(k -> "." + k).toList()) + ")");
      }
      return map.get(name);
    }
    throw new GoValues.Mismatch("cannot read ." + name + " of " + GoValues.kind(value));
  }

  private PromptTemplate.TemplateException error(int line, String message) {
    return new PromptTemplate.TemplateException(source, line, message);
  }
}
