package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;

/**
 * The body reader skips inline parsing where it never looks; whatever markdown it is given, it must read exactly what
 * commonmark's default parser (every inline parsed) reads.
 */
class MarkdownBodyProperties {
  private static final Parser FULL = Parser.builder().extensions(List.of(TablesExtension.create())).build();

  /** Lines chosen to meet every construct the reader cares about, and the ones that could fool a shortcut. */
  private static final List<String> FRAGMENTS = List.of(
      "# Epic 4: Task", "#   ", "# `code` *title* [link][ref]", "# [ref]", "Setext title", "===", "---", "## Acceptance Criteria",
      "### acceptance criteria (more)", "## Test Summary", "## Notes", "# Test Summary", "- [ ] open", "- [x] done",
      "- [X] Done too", "* [ ] star", "1. [x] ordered", "  - [ ] nested", "    - [x] deep", "- [ ]", "- [x]", "- plain item",
      "-  [ ] two spaces", "- \\[ ] escaped", "- `[ ]` code", "- *[x]* emphasis", "- [x](http://link) a link", "- [ref]",
      "> - [ ] quoted", "> # quoted heading", "[ref]: http://example.com", "[x]: /x", "paragraph with [ ] inside",
      "[ ] paragraph start", "Lorem ipsum dolor sit amet, consectetur *adipiscing* elit.", "```", "~~~", "    - [ ] indented code",
      "<div>", "</div>", "<!-- - [ ] comment -->", "| Suite | Passed | Failed |", "|---|---|---|", "| unit | 3 | 0 |",
      "| `e2e` | **1** | [x] |", "| only |", "|:--|--:|", "a | b", "--- | ---", "", "", "");

  @Provide
  Arbitrary<String> markdown() {
    return Arbitraries.of(FRAGMENTS).list().ofMaxSize(40).map(lines -> String.join("\n", lines) + "\n");
  }

  @Property(tries = 2000)
  void readsWhatTheFullParserReads(@ForAll("markdown") String markdown) {
    MarkdownBody fast = MarkdownBody.read(markdown);
    MarkdownBody full = MarkdownBody.read(FULL, markdown);
    assertThat(fast.toString()).isEqualTo(full.toString());
    assertThat(fast.testSummary).isEqualTo(full.testSummary);
  }
}
