package dev.orch.executor.template;

import dev.orch.executor.template.Node.Command;
import dev.orch.executor.template.Node.Operand;
import dev.orch.executor.template.Node.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Renders a parsed template over its data, as Go's text/template executes one. */
final class TemplateEvaluator {
  private final String source;
  private final Map<String, ?> data;

  TemplateEvaluator(String source, Map<String, ?> data) {
    this.source = source;
    this.data = data;
  }

  void render(List<Node> nodes, Object dot, StringBuilder out) {
    for (Node node : nodes) {
      if (node instanceof Node.Text text) {
        out.append(text.text());
      } else if (node instanceof Node.Print print) {
        out.append(GoValues.print(value(print.pipeline(), dot)));
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

  private void range(Node.Range range, Object dot, StringBuilder out) {
    Object over = value(range.over(), dot);
    List<Object> elements = new ArrayList<>();
    if (over instanceof List<?> list) {
      list.forEach(e -> elements.add(GoValues.normalise(e)));
    } else if (over instanceof Map<?, ?> map) {
      new TreeMap<>(map).values().forEach(e -> elements.add(GoValues.normalise(e)));
    } else if (over instanceof Long n) {
      for (long i = 0; i < n; i++) {
        elements.add(i);
      }
    } else if (over != null) {
      throw error(range.over().line(), "range goes over a list, a map or a number, not " + GoValues.kind(over));
    }
    if (elements.isEmpty()) {
      render(range.otherwise(), dot, out);
    }
    for (Object element : elements) {
      render(range.body(), element, out);
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
    } catch (GoValues.Mismatch e) {
      throw error(pipeline.line(), e.getMessage());
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
    return GoValues.normalise(TemplateFunctions.call(function.name(), args));
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
