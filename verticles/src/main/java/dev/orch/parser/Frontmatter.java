package dev.orch.parser;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Splits a plan into YAML frontmatter and markdown body, and reads the frontmatter as nodes so each field keeps
 * its line number in the file.
 */
final class Frontmatter {
  private static final String FENCE = "---";
  /** Read-only once built, so one serves every parse; a Yaml object per file cost more than the frontmatter itself. */
  private static final Resolver RESOLVER = new Resolver();

  /** The frontmatter's fields by key, each with its value node and 1-based line in the file. */
  final Map<String, Field> fields;
  final String body;
  /** 1-based line of the body's first line in the file. */
  final int bodyLine;
  /** Set when the frontmatter could not be read; the body is still usable. */
  final String problem;
  final int problemLine;

  record Field(String key, Node value, int line) {
  }

  private Frontmatter(Map<String, Field> fields, String body, int bodyLine, String problem, int problemLine) {
    this.fields = fields;
    this.body = body;
    this.bodyLine = bodyLine;
    this.problem = problem;
    this.problemLine = problemLine;
  }

  boolean ok() {
    return problem == null;
  }

  static Frontmatter split(String text) {
    return split(text, true);
  }

  /** {@code plainScan} false: SnakeYAML reads every frontmatter (tests compare it with {@link PlainFrontmatter}). */
  static Frontmatter split(String text, boolean plainScan) {
    if (!startsWithFence(text)) {
      return new Frontmatter(Map.of(), text, 1, null, 0);
    }
    int firstLineEnd = text.indexOf('\n');
    int pos = firstLineEnd + 1;
    int line = 2;
    while (firstLineEnd >= 0 && pos <= text.length()) {
      int end = text.indexOf('\n', pos);
      String current = (end < 0 ? text.substring(pos) : text.substring(pos, end)).stripTrailing();
      if (current.equals(FENCE) || current.equals("...")) {
        String yaml = text.substring(firstLineEnd + 1, pos);
        String body = end < 0 ? "" : text.substring(end + 1);
        Map<String, Field> plain = plainScan ? PlainFrontmatter.scan(yaml, RESOLVER) : null;
        return plain != null ? new Frontmatter(plain, body, line + 1, null, 0) : parseYaml(yaml, body, line + 1);
      }
      if (end < 0) {
        break;
      }
      pos = end + 1;
      line++;
    }
    return new Frontmatter(Map.of(), firstLineEnd < 0 ? "" : text.substring(firstLineEnd + 1), 2,
        "frontmatter opened with '---' on line 1 is never closed (add a closing '---' line)", 1);
  }

  private static boolean startsWithFence(String text) {
    if (!text.startsWith(FENCE)) {
      return false;
    }
    int end = text.indexOf('\n');
    String first = end < 0 ? text : text.substring(0, end);
    return first.stripTrailing().equals(FENCE);
  }

  private static Frontmatter parseYaml(String yaml, String body, int bodyLine) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit((int) PlanText.MAX_BYTES);
    Node root;
    try {
      // What Yaml.compose does, without building a Yaml (its constructor, representer and dumper) for every file.
      root = new Composer(new ParserImpl(new StreamReader(new StringReader(yaml)), options), RESOLVER, options)
          .getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 1 : mark.getLine() + 2;
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? e.getContext() + ": " : "";
      return new Frontmatter(Map.of(), body, bodyLine, "malformed YAML frontmatter: " + context + what, line);
    } catch (YAMLException e) {
      return new Frontmatter(Map.of(), body, bodyLine, "malformed YAML frontmatter: " + e.getMessage(), 2);
    }
    if (root == null) {
      return new Frontmatter(Map.of(), body, bodyLine, null, 0);
    }
    if (!(root instanceof MappingNode mapping)) {
      return new Frontmatter(Map.of(), body, bodyLine,
          "frontmatter must be a YAML mapping of 'key: value' lines", root.getStartMark().getLine() + 2);
    }
    Map<String, Field> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node key = tuple.getKeyNode();
      int line = key.getStartMark().getLine() + 2;
      if (!(key instanceof ScalarNode scalarKey)) {
        return new Frontmatter(Map.of(), body, bodyLine, "frontmatter keys must be plain words", line);
      }
      fields.put(scalarKey.getValue(), new Field(scalarKey.getValue(), tuple.getValueNode(), line));
    }
    return new Frontmatter(fields, body, bodyLine, null, 0);
  }
}
