package dev.orch.executor.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each limit fails fast, naming the file and line, where the template without it would take the heap or the stack. */
@Timeout(10)
class TemplateLimitsTest {
  private static String render(String template) {
    return PromptTemplate.parse(template, "limits.md", Set.of("Title")).render(Map.of("Title", "T"));
  }

  @Test
  void rangeOverAHugeNumberStopsAtTheIterationLimitWithoutBuildingTheList() {
    assertThatThrownBy(() -> render("a\n{{range 30000000}}x{{end}}"))
        .isInstanceOf(PromptTemplate.TemplateException.class)
        .hasMessage("limits.md:2: the template's ranges go round more than 10000 times in all");
    assertThat(render("{{range 10000}}x{{end}}")).hasSize(10_000);
  }

  @Test
  void nestedRangesCountTogether() {
    assertThatThrownBy(() -> render("{{range 200}}\n{{range 200}}{{end}}{{end}}"))
        .hasMessage("limits.md:2: the template's ranges go round more than 10000 times in all");
  }

  @Test
  void theRenderedTextIsCapped() {
    assertThatThrownBy(() -> render("\n\n{{range 10000}}{{printf \"%200s\" .}}{{end}}"))
        .isInstanceOf(PromptTemplate.TemplateException.class)
        .hasMessage("limits.md:3: the rendered prompt would be longer than 1048576 characters");
  }

  @Test
  void aValueThatGrowsEachTimeItIsUsedIsCappedAsItIsMade() {
    String tenTimes = "printf \"%s%s%s%s%s%s%s%s%s%s\" . . . . . . . . . .";
    String template = "{{with printf \"%10000s\" \"\"}}{{with " + tenTimes + "}}{{with " + tenTimes + "}}\n{{with " + tenTimes
        + "}}{{with " + tenTimes + "}}{{.}}{{end}}{{end}}{{end}}{{end}}{{end}}";
    assertThatThrownBy(() -> render(template))
        .hasMessage("limits.md:2: printf made text longer than 1048576 characters");
  }

  @Test
  void deepBlocksParenthesesAndElseIfChainsFailInsteadOfOverflowingTheStack() {
    String ifs = "{{if true}}".repeat(20_000) + "{{end}}".repeat(20_000);
    assertThatThrownBy(() -> render("x\n" + ifs))
        .isInstanceOf(PromptTemplate.TemplateException.class)
        .hasMessage("limits.md:2: blocks and parentheses are nested more than 100 deep");
    String parens = "{{" + "(".repeat(20_000) + "1" + ")".repeat(20_000) + "}}";
    assertThatThrownBy(() -> render(parens))
        .hasMessage("limits.md:1: blocks and parentheses are nested more than 100 deep");
    String chain = "{{if false}}" + "{{else if false}}".repeat(20_000) + "{{end}}";
    assertThatThrownBy(() -> render(chain))
        .hasMessage("limits.md:1: blocks and parentheses are nested more than 100 deep");
    String withs = "{{with .Title}}".repeat(20_000) + "{{end}}".repeat(20_000);
    assertThatThrownBy(() -> render(withs)).hasMessageContaining("nested more than 100 deep");
  }

  @Test
  void nestingUpToTheLimitWorks() {
    assertThat(render("{{if true}}".repeat(99) + "{{.Title}}" + "{{end}}".repeat(99))).isEqualTo("T");
    assertThat(render("{{" + "(".repeat(99) + "1" + ")".repeat(99) + "}}")).isEqualTo("1");
  }

  @Test
  void printfWidthAndPrecisionAreCapped() {
    assertThatThrownBy(() -> render("\n{{printf \"%.200000d\" 1}}"))
        .isInstanceOf(PromptTemplate.TemplateException.class)
        .hasMessage("limits.md:2: printf: the precision 200000 in \"%.200000d\" is more than 10000");
    assertThatThrownBy(() -> render("{{printf \"%2000000000s\" .Title}}"))
        .hasMessage("limits.md:1: printf: the width 2000000000 in \"%2000000000s\" is more than 10000");
    assertThatThrownBy(() -> render("{{printf \"%99999999999d\" 1}}"))
        .hasMessage("limits.md:1: printf: the width 99999999999 in \"%99999999999d\" is more than 10000");
  }

  @Test
  void paddingUpToTheLimitIsQuick() {
    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(render("{{printf \"%.10000d\" 7}}")).hasSize(10_000).endsWith("07");
      assertThat(render("{{printf \"%010000d\" -7}}")).hasSize(10_000).startsWith("-00");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
