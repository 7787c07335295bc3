package dev.orch.parser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the plain frontmatter plans are usually written with ({@code key: word or words}, and {@code key:} followed by
 * {@code - item} lines) into the same nodes SnakeYAML composes, with the same tags and lines, at a fraction of the cost
 * (SnakeYAML was the largest part of a sync after the markdown). Anything else (quotes, flow lists, comments, colons
 * or other indicators in a value, odd indentation, a key twice, nothing at all) is left to SnakeYAML: scan returns
 * null. FrontmatterProperties holds the two to the same result.
 */
final class PlainFrontmatter {
  private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*):(?: +([A-Za-z0-9_/][A-Za-z0-9 _./-]*))? *");
  private static final Pattern ITEM = Pattern.compile("( *)- +([A-Za-z0-9_/][A-Za-z0-9 _./-]*?) *");

  private PlainFrontmatter() {
  }

  /** The fields with their 1-based file lines (the YAML starts on line 2), or null when not plain enough. */
  static Map<String, Frontmatter.Field> scan(String yaml, Resolver resolver) {
    String[] lines = yaml.split("\n", -1);
    Map<String, Frontmatter.Field> fields = new LinkedHashMap<>();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      if (line.isEmpty() && i == lines.length - 1) {
        break;
      }
      Matcher pair = KEY_VALUE.matcher(line);
      if (!pair.matches() || fields.containsKey(pair.group(1))) {
        return null;
      }
      String key = pair.group(1);
      int keyLine = i;
      i++;
      Node value;
      if (pair.group(2) != null) {
        value = scalar(pair.group(2).stripTrailing(), keyLine, resolver);
      } else {
        List<Node> items = new ArrayList<>();
        String indent = null;
        while (i < lines.length) {
          Matcher item = ITEM.matcher(lines[i]);
          if (!item.matches()) {
            break;
          }
          if (indent != null && !indent.equals(item.group(1))) {
            return null;
          }
          indent = item.group(1);
          items.add(scalar(item.group(2), i, resolver));
          i++;
        }
        value = items.isEmpty() ? scalar("", keyLine, resolver)
            : new SequenceNode(Tag.SEQ, true, items, mark(keyLine), mark(i), DumperOptions.FlowStyle.BLOCK);
      }
      fields.put(key, new Frontmatter.Field(key, value, keyLine + 2));
    }
    return fields.isEmpty() ? null : fields;
  }

  private static ScalarNode scalar(String value, int line, Resolver resolver) {
    return new ScalarNode(resolver.resolve(NodeId.scalar, value, true), value, mark(line), mark(line),
        DumperOptions.ScalarStyle.PLAIN);
  }

  private static Mark mark(int line) {
    return new Mark("frontmatter", 0, line, 0, new int[0], 0);
  }
}
