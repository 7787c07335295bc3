package dev.orch.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, in a user's prompt override, an instruction for the agent to push, open a pull request or merge: the
 * reference project's prompts tell the agent to, orch does it itself (after its checks and review). The rule, per
 * line, ignoring case: {@code git push}, {@code gh pr create}, {@code gh pr merge}, "push/merge the branch/PR/pull
 * request" or "create/open a PR/pull request" (with an optional "a", "the" or "your"), unless the same sentence says
 * not to before it ("not", "n't", "never" or "no" earlier in the sentence, so orch's own "Do not push" passes).
 */
public final class SelfMergeInstructions {
  private static final Pattern INSTRUCTION = Pattern.compile("\\bgit\\s+push\\b|\\bgh\\s+pr\\s+(?:create|merge)\\b"
      + "|\\b(?:push|merge)\\s+(?:(?:a|the|your)\\s+)?(?:branch|pr|pull\\s+request)\\b"
      + "|\\b(?:create|open)\\s+(?:(?:a|the|your)\\s+)?(?:pr|pull\\s+request)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern NEGATION = Pattern.compile("\\b(?:not|never|no)\\b|n't\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern SENTENCE_END = Pattern.compile("[.;!?]\\s");

  /** The overrides that reach the agent: its task prompt, the maintenance wrapper, its skill. */
  static final List<String> SCANNED = List.of(PromptLibrary.EPIC_TASK, "maintenance/wrapper.md", AgentSkill.OVERRIDE);

  /** The first such instruction: its line (from 1) and the words that matched. */
  public record Finding(int line, String words) {
  }

  private SelfMergeInstructions() {
  }

  public static Optional<Finding> scan(String text) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = INSTRUCTION.matcher(lines[i]);
      while (m.find()) {
        if (!negated(lines[i].substring(0, m.start()))) {
          return Optional.of(new Finding(i + 1, m.group()));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean negated(String before) {
    Matcher end = SENTENCE_END.matcher(before);
    int sentence = 0;
    while (end.find()) {
      sentence = end.end();
    }
    return NEGATION.matcher(before.substring(sentence)).find();
  }

  /** One line per override that tells the agent to push or merge, naming its file and line. */
  public static List<String> warnings(PromptLibrary library) {
    List<String> warnings = new ArrayList<>();
    for (String name : SCANNED) {
      library.override(name).ifPresent(source -> scan(source.text()).ifPresent(found -> warnings.add(source.origin() + ":"
          + found.line() + ": tells the agent to push or merge (\"" + found.words() + "\"), but orch pushes the branch,"
          + " opens the pull request and merges it itself; the agent should only commit")));
    }
    return warnings;
  }
}
