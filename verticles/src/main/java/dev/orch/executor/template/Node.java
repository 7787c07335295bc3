package dev.orch.executor.template;

import java.util.List;

/** The parsed template: text, actions that print a pipeline, and the blocks if, with and range. */
sealed interface Node permits Node.Text, Node.Print, Node.If, Node.With, Node.Range {

  record Text(String text) implements Node {
  }

  /** {@code {{pipeline}}}: prints the pipeline's value. */
  record Print(Pipeline pipeline) implements Node {
  }

  /** {@code {{if}}}; an {@code {{else if}}} is an If alone in {@code otherwise}. */
  record If(Pipeline condition, List<Node> then, List<Node> otherwise) implements Node {
  }

  /** {@code {{with}}}: {@code then} runs with dot set to the value when it is not empty. */
  record With(Pipeline value, List<Node> then, List<Node> otherwise) implements Node {
  }

  /** {@code {{range}}}: {@code body} once per element with dot set to it; {@code otherwise} when there is none. */
  record Range(Pipeline over, List<Node> body, List<Node> otherwise) implements Node {
  }

  /** Commands joined by {@code |}: each command's value is the last argument of the next. */
  record Pipeline(int line, List<Command> commands) {
  }

  /** A function call ({@code printf "%d" .N}) or a single operand ({@code .Title}). */
  record Command(List<Operand> operands) {
  }

  sealed interface Operand permits Field, Literal, Function, Nested, Chain {
  }

  /** {@code .A.B} from dot, or {@code $.A.B} from the template's data ({@code fromRoot}); {@code .} has no path. */
  record Field(boolean fromRoot, List<String> path) implements Operand {
  }

  /** A string, a number (Long or Double), or a boolean. */
  record Literal(Object value) implements Operand {
  }

  record Function(String name) implements Operand {
  }

  /** {@code (pipeline)}. */
  record Nested(Pipeline pipeline) implements Operand {
  }

  /** {@code (pipeline).A.B}: fields of a parenthesised value. */
  record Chain(Nested base, List<String> path) implements Operand {
  }
}
