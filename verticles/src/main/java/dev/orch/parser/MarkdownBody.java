package dev.orch.parser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.internal.InlineParserImpl;
import org.commonmark.parser.InlineParser;
import org.commonmark.parser.InlineParserContext;
import org.commonmark.parser.Parser;
import org.commonmark.parser.SourceLines;

/**
 * What orch reads from a plan's markdown body: the first {@code # } heading, the acceptance-criteria checkboxes
 * (those under an "Acceptance Criteria" heading, or every checkbox when there is no such heading), and the rows
 * of a {@code ## Test Summary} table.
 */
final class MarkdownBody {
  private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create()))
      .inlineParserFactory(ReadInlinesOnlyWhereLooked::new)
      .build();

  final String firstHeading;
  final int criteriaDone;
  final int criteriaTotal;
  final List<Map<String, String>> testSummary;

  @Override
  public String toString() {
    return "heading=" + firstHeading + " criteria=" + criteriaDone + "/" + criteriaTotal + " tests=" + testSummary;
  }

  private MarkdownBody(String firstHeading, int criteriaDone, int criteriaTotal, List<Map<String, String>> testSummary) {
    this.firstHeading = firstHeading;
    this.criteriaDone = criteriaDone;
    this.criteriaTotal = criteriaTotal;
    this.testSummary = testSummary;
  }

  /**
   * Plans in the plain shape orch's own plans take are read by a line scan ({@link MarkdownLines}); anything else,
   * or anything the scan is not sure of, by commonmark.
   */
  static MarkdownBody read(String markdown) {
    Findings scanned = new Findings();
    if (MarkdownLines.scan(markdown, scanned)) {
      return scanned.body();
    }
    return read(PARSER, markdown);
  }

  /** With commonmark only: tests compare the line scan and the skipped inlines with commonmark's full parse. */
  static MarkdownBody read(Parser parser, String markdown) {
    Reader reader = new Reader();
    parser.parse(markdown).accept(reader);
    return reader.findings.body();
  }

  /** What a body says, in document order, whoever reads it: headings, list items' leading text, tables. */
  static final class Findings {
    private String firstHeading;
    private int allDone;
    private int allTotal;
    private int sectionDone;
    private int sectionTotal;
    private final List<Map<String, String>> testSummary = new ArrayList<>();
    private int acceptanceLevel;
    private boolean inTestSummary;

    void heading(int level, String text) {
      if (level == 1 && firstHeading == null && !text.isEmpty()) {
        firstHeading = text;
      }
      if (acceptanceLevel > 0 && level <= acceptanceLevel) {
        acceptanceLevel = 0;
      }
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.contains("acceptance criteria")) {
        acceptanceLevel = level;
      }
      inTestSummary = lower.equals("test summary");
    }

    /** A list item whose first paragraph starts with {@code lead} (at least its first few characters). */
    void listItem(String lead) {
      if (lead.startsWith("[ ]") || lead.startsWith("[x]") || lead.startsWith("[X]")) {
        boolean done = lead.charAt(1) != ' ';
        allTotal++;
        allDone += done ? 1 : 0;
        if (acceptanceLevel > 0) {
          sectionTotal++;
          sectionDone += done ? 1 : 0;
        }
      }
    }

    boolean wantsTable() {
      return inTestSummary && testSummary.isEmpty();
    }

    void tableRow(List<String> header, List<String> cells) {
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < cells.size(); i++) {
        values.put(i < header.size() && !header.get(i).isEmpty() ? header.get(i) : "column" + (i + 1), cells.get(i));
      }
      testSummary.add(values);
    }

    MarkdownBody body() {
      boolean scoped = sectionTotal > 0;
      return new MarkdownBody(firstHeading, scoped ? sectionDone : allDone, scoped ? sectionTotal : allTotal,
          List.copyOf(testSummary));
    }
  }

  private static final class Reader extends AbstractVisitor {
    final Findings findings = new Findings();

    @Override
    public void visit(Heading heading) {
      findings.heading(heading.getLevel(), textOf(heading).trim());
    }

    @Override
    public void visit(ListItem item) {
      if (item.getFirstChild() instanceof Paragraph paragraph) {
        findings.listItem(leadingText(paragraph));
      }
      visitChildren(item);
    }

    @Override
    public void visit(org.commonmark.node.CustomBlock block) {
      if (block instanceof TableBlock table && findings.wantsTable()) {
        readTable(table);
      }
      visitChildren(block);
    }

    private void readTable(TableBlock table) {
      List<String> header = new ArrayList<>();
      for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
        for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
          if (!(row instanceof TableRow)) {
            continue;
          }
          List<String> cells = new ArrayList<>();
          for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
            if (cell instanceof TableCell) {
              cells.add(textOf(cell).trim());
            }
          }
          if (section instanceof TableHead) {
            header.addAll(cells);
          } else {
            findings.tableRow(header, cells);
          }
        }
      }
    }
  }

  /**
   * Inline parsing was most of the markdown's cost, and the only paragraph text orch reads is a list item's first
   * paragraph (its checkbox). Other paragraphs keep no children; headings, table cells and list items' first
   * paragraphs are parsed in full, so everything read comes out as before (link reference definitions are found at
   * block level, before this runs). {@link InlineParserImpl} is commonmark's own default inline parser.
   */
  private static final class ReadInlinesOnlyWhereLooked implements InlineParser {
    private final InlineParser full;

    ReadInlinesOnlyWhereLooked(InlineParserContext context) {
      full = new InlineParserImpl(context);
    }

    @Override
    public void parse(SourceLines lines, Node block) {
      if (!(block instanceof Paragraph) || (block.getParent() instanceof ListItem && block.getPrevious() == null)) {
        full.parse(lines, block);
      }
    }
  }

  private static String leadingText(Paragraph paragraph) {
    StringBuilder out = new StringBuilder();
    for (Node node = paragraph.getFirstChild(); node != null && out.length() < 4; node = node.getNext()) {
      if (node instanceof Text text) {
        out.append(text.getLiteral());
      } else {
        break;
      }
    }
    return out.toString();
  }

  static String textOf(Node node) {
    StringBuilder out = new StringBuilder();
    node.accept(new AbstractVisitor() {
      @Override
      public void visit(Text text) {
        out.append(text.getLiteral());
      }

      @Override
      public void visit(Code code) {
        out.append(code.getLiteral());
      }

      @Override
      public void visit(SoftLineBreak softLineBreak) {
        out.append(' ');
      }
    });
    return out.toString();
  }
}
