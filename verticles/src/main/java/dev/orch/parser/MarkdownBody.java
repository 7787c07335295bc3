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

  static MarkdownBody read(String markdown) {
    return read(PARSER, markdown);
  }

  /** With another parser: tests compare the result with commonmark's default, which parses every inline. */
  static MarkdownBody read(Parser parser, String markdown) {
    Reader reader = new Reader();
    parser.parse(markdown).accept(reader);
    boolean scoped = reader.sectionTotal > 0;
    return new MarkdownBody(reader.firstHeading,
        scoped ? reader.sectionDone : reader.allDone,
        scoped ? reader.sectionTotal : reader.allTotal,
        List.copyOf(reader.testSummary));
  }

  private static final class Reader extends AbstractVisitor {
    String firstHeading;
    int allDone;
    int allTotal;
    int sectionDone;
    int sectionTotal;
    final List<Map<String, String>> testSummary = new ArrayList<>();
    private int acceptanceLevel;
    private boolean inTestSummary;

    @Override
    public void visit(Heading heading) {
      String text = textOf(heading).trim();
      if (heading.getLevel() == 1 && firstHeading == null && !text.isEmpty()) {
        firstHeading = text;
      }
      if (acceptanceLevel > 0 && heading.getLevel() <= acceptanceLevel) {
        acceptanceLevel = 0;
      }
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.contains("acceptance criteria")) {
        acceptanceLevel = heading.getLevel();
      }
      inTestSummary = lower.equals("test summary");
    }

    @Override
    public void visit(ListItem item) {
      Node first = item.getFirstChild();
      if (first instanceof Paragraph paragraph) {
        String lead = leadingText(paragraph);
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
      visitChildren(item);
    }

    @Override
    public void visit(org.commonmark.node.CustomBlock block) {
      if (block instanceof TableBlock table && inTestSummary && testSummary.isEmpty()) {
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
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < cells.size(); i++) {
              values.put(i < header.size() && !header.get(i).isEmpty() ? header.get(i) : "column" + (i + 1), cells.get(i));
            }
            testSummary.add(values);
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
