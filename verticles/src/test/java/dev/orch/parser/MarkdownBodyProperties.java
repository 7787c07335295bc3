package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
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
      "| `e2e` | **1** | [x] |", "| only |", "|:--|--:|", "a | b", "--- | ---", "", "", "",
      // The plain shape the line scan reads itself, several times over so that whole bodies of it come up often.
      "# Epic 4: Task 4", "## Acceptance Criteria", "## Test Summary", "## Notes", "### Details (optional)",
      "- [ ] criterion 1", "- [x] criterion 2", "- [X] criterion 3", "- a plain item", "Some text: with (parens), 3.5 and more.",
      "| Suite | Passed | Failed |", "|---|---|---|", "| unit | 12 | 0 |", "| e2e |  | 1 |", "|:---|---:|:---:|",
      "| a | b |", "", "", "", "# ", "#### four", "####### seven", "#hash", "- [ ]  two spaces", "- [x]",
      "Text | with a pipe", "| header only |", "|  |  |  |", "| x |y|z |", "| unit | 1 | 0", "- [ ] item &amp; more",
      "# heading \u2003", "| cell\u00a0 | b | c |", "\tTabbed", "   - [ ] indented", "-", "- ", "---", "===", "Title");

  @Provide
  Arbitrary<String> markdown() {
    return Arbitraries.of(FRAGMENTS).list().ofMaxSize(30).map(lines -> String.join("\n", lines) + "\n")
        .map(text -> text.replace("\\u2003", "\u2003").replace("\\u00a0", "\u00a0").replace("\\t", "\t"));
  }

  /** Whole plain blocks (tables set apart, lists, headings), so that the line scan reads most bodies and is checked. */
  private static final List<String> PLAIN_BLOCKS = List.of(
      "# Epic 4: Task 4", "## Acceptance Criteria", "### acceptance criteria, again", "## Test Summary", "# Test Summary",
      "## Notes", "#", "###### six", "- [ ] criterion 1", "- [x] criterion 2", "- [X] criterion 3", "- a plain item",
      "Some text: with (parens), 3.5 and more.", "Text | with a pipe", "",
      "\n| Suite | Passed | Failed |\n|---|---|---|\n| unit | 12 | 0 |\n| e2e |  | 1 |\n",
      "\n| a | b |\n|:---|---:|\n", "\n| x | y |\n|:---:|---|\n| 1 | 2 |\n|  |  |\n",
      "\n| Suite |\n|---|\n| e2e |\n| int |\n");

  @Provide
  Arbitrary<String> plainMarkdown() {
    return Arbitraries.of(PLAIN_BLOCKS).list().ofMaxSize(25).map(lines -> String.join("\n", lines) + "\n");
  }

  @Property(tries = 3000)
  void plainBodiesReadWhatTheFullParserReads(@ForAll("plainMarkdown") String markdown) {
    Statistics.label("line scan").collect(MarkdownLines.scan(markdown, new MarkdownBody.Findings()));
    readsWhatTheFullParserReads(markdown);
  }

  @Test
  void aPlanShapedBodyIsReadByTheLineScan() {
    String body = """

        # Epic 3: Task 3

        Implement the behaviour described here, with tests, and keep the public API stable.

        ## Acceptance Criteria

        - [ ] criterion 1
        - [x] criterion 2

        ## Test Summary

        | Suite | Passed | Failed |
        |---|---|---|
        | unit | 7 | 0 |

        ## Notes

        Lorem ipsum dolor sit amet, consectetur adipiscing elit.
        """;
    MarkdownBody.Findings findings = new MarkdownBody.Findings();
    assertThat(MarkdownLines.scan(body, findings)).isTrue();
    assertThat(findings.body().toString()).isEqualTo(MarkdownBody.read(FULL, body).toString())
        .isEqualTo("heading=Epic 3: Task 3 criteria=1/2 tests=[{Suite=unit, Passed=7, Failed=0}]");
  }

  @Property(tries = 3000)
  void readsWhatTheFullParserReads(@ForAll("markdown") String markdown) {
    MarkdownBody fast = MarkdownBody.read(markdown);
    MarkdownBody full = MarkdownBody.read(FULL, markdown);
    assertThat(fast.toString()).isEqualTo(full.toString());
    assertThat(fast.testSummary).isEqualTo(full.testSummary);
  }
}
