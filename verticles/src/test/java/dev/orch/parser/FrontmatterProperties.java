package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Plain frontmatter is read by a line scan; whatever the frontmatter, the fields must be those SnakeYAML composes. */
class FrontmatterProperties {
  private static final List<String> LINES = List.of(
      "module: billing", "epic: 5", "epic: 05", "title: Task 1 of module-00", "priority: high", "status: complete",
      "needs_review: true", "standalone: no", "depends_on:", "  - billing/E04", "  - 4", "- E02", "    - cli/E01",
      "depends_on: billing/E01, 2", "title:", "title:   ", "empty: null", "x: ~", "title: a: b", "title: 'quoted'",
      "title: \"dq\"", "depends_on: [a/E01, 2]", "title: Trailing   ", "title: with # comment", "# comment", "",
      "  indented: key", "key:value", "title: -dash", "title: 1.5", "title: yes", "title: /path/x", "title: _x",
      "epic: 5", "other: &anchor v", "ref: *anchor", "- top item", "title: multi", "  line continuation", "? complex",
      "title: tab\there", "k: v ", "module: Billing-Module");

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of(LINES).list().ofMaxSize(8)
        .map(lines -> "---\n" + lines.stream().map(l -> l + "\n").collect(Collectors.joining()) + "---\n# Body\n");
  }

  /** Only plain lines, each key at most once in most draws, so the scan itself is exercised, not bypassed. */
  @Provide
  Arbitrary<String> plainTexts() {
    List<String> plain = List.of("module: billing", "epic: 5", "title: Task 1 of module-00", "priority: high",
        "status: complete", "needs_review: true", "standalone: no", "depends_on:", "  - billing/E04", "  - 4", "- E02",
        "  - cli/E01 ", "x:", "y:   ", "empty: null", "t: Trailing   ", "f: 1.5", "b: yes", "p: /path/x", "u: _x",
        "k: v ", "m: Billing-Module", "n: 007");
    return Arbitraries.of(plain).list().ofMaxSize(6).uniqueElements()
        .map(lines -> "---\n" + lines.stream().map(l -> l + "\n").collect(Collectors.joining()) + "---\n# Body\n");
  }

  @Property(tries = 3000)
  void plainFrontmatterReadsTheFieldsSnakeYamlReads(@ForAll("plainTexts") String text) {
    readsTheFieldsSnakeYamlReads(text);
  }

  @Property(tries = 5000)
  void readsTheFieldsSnakeYamlReads(@ForAll("texts") String text) {
    Frontmatter scanned = Frontmatter.split(text, true);
    Frontmatter composed = Frontmatter.split(text, false);
    Statistics.collect(PlainFrontmatter.scan(text.substring(4, text.lastIndexOf("---\n")),
        new org.yaml.snakeyaml.resolver.Resolver()) != null);
    assertThat(describe(scanned)).isEqualTo(describe(composed));
  }

  private static String describe(Frontmatter front) {
    return "problem=" + front.problem + "@" + front.problemLine + " body@" + front.bodyLine + "=" + front.body + " fields="
        + front.fields.values().stream().map(f -> f.key() + "@" + f.line() + "=" + describe(f.value()))
            .collect(Collectors.joining(", "));
  }

  private static String describe(Node node) {
    if (node instanceof ScalarNode scalar) {
      return scalar.getTag().getValue() + ":" + scalar.getValue() + "@" + scalar.getStartMark().getLine();
    }
    if (node instanceof SequenceNode sequence) {
      return "[" + sequence.getValue().stream().map(FrontmatterProperties::describe).collect(Collectors.joining(", ")) + "]";
    }
    return node.getClass().getSimpleName() + "@" + node.getStartMark().getLine();
  }
}
