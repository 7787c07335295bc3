package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.config.PromptFolders;
import dev.orch.config.UserDirs;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.TaskId;
import dev.orch.executor.template.PromptTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplateTest {
  private static final Set<String> KNOWN = PromptLibrary.EPIC_VARIABLES;

  private static String render(String template, Map<String, String> values) {
    return PromptTemplate.parse(template, "test.md", KNOWN).render(values);
  }

  @Test
  void theReferencePromptRendersUnchanged() {
    String reference = """
        You are implementing: {{.Title}}

        Epic file: {{.EpicFilePath}}

        {{.EpicContent}}
        {{if .ModuleContext}}
        Module context:
        {{.ModuleContext}}
        {{end}}
        Dependencies completed: {{.CompletedDeps}}
        """;
    String withContext = render(reference, Map.of("Title", "Validators", "EpicFilePath", "docs/plans/t/epic-05.md",
        "EpicContent", "# Body", "ModuleContext", "ctx", "CompletedDeps", "t/E04"));
    assertThat(withContext).isEqualTo("You are implementing: Validators\n\nEpic file: docs/plans/t/epic-05.md\n\n# Body\n"
        + "\nModule context:\nctx\n\nDependencies completed: t/E04\n");
    String without = render(reference, Map.of("Title", "V", "EpicFilePath", "f", "EpicContent", "c", "ModuleContext", "",
        "CompletedDeps", ""));
    assertThat(without).doesNotContain("Module context").endsWith("Dependencies completed: \n");
  }

  @Test
  void elseElseIfAndTrimMarkers() {
    String template = "A {{- if .Title }} [{{.Title}}] {{- else if .Module }} <{{.Module}}> {{- else}} none {{- end -}} \n Z";
    assertThat(render(template, Map.of("Title", "t"))).isEqualTo("A [t]Z");
    assertThat(render(template, Map.of("Module", "m"))).isEqualTo("A <m>Z");
    assertThat(render(template, Map.of())).isEqualTo("A noneZ");
  }

  @Test
  void commentsVanish() {
    assertThat(render("a{{/* why */}}b", Map.of())).isEqualTo("ab");
  }

  @Test
  void unknownVariableNamesFileAndLine() {
    assertThatThrownBy(() -> render("line one\nline two {{.Nope}}\n", Map.of()))
        .hasMessageStartingWith("test.md:2: unknown variable .Nope");
  }

  @Test
  void unclosedIfNamesItsLine() {
    assertThatThrownBy(() -> render("x\n{{if .Title}}\nmore\n", Map.of())).hasMessageStartingWith("test.md:2: '{{if}}' is never closed");
  }

  @Test
  void strayEndAndUnsupportedActionsAreErrors() {
    assertThatThrownBy(() -> render("{{end}}", Map.of())).hasMessageContaining("without a matching");
    assertThatThrownBy(() -> render("a\n{{else}}", Map.of())).hasMessage("test.md:2: '{{else}}' without a matching "
        + "'{{if}}', '{{with}}' or '{{range}}'");
    assertThatThrownBy(() -> render("{{define \"x\"}}{{end}}", Map.of())).hasMessageContaining("not supported");
    assertThatThrownBy(() -> render("{{template \"x\"}}", Map.of())).hasMessageContaining("not supported");
    assertThatThrownBy(() -> render("{{$t := .Title}}", Map.of())).hasMessageContaining("template variables ($t)");
    assertThatThrownBy(() -> render("{{.Title .Module}}", Map.of())).hasMessageContaining("only a function takes arguments");
    assertThatThrownBy(() -> render("{{.Title | .Module}}", Map.of())).hasMessageContaining("only a function takes arguments");
    assertThatThrownBy(() -> render("{{}}", Map.of())).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> render("{{\"open}}", Map.of())).hasMessageContaining("never closed");
    assertThatThrownBy(() -> render("{{if .Title}}a{{else}}b{{else}}c{{end}}", Map.of()))
        .hasMessageContaining("a second '{{else}}'");
  }

  private static final Set<String> TYPED = Set.of("Title", "Module", "Empty", "N", "Ratio", "Ok", "Deps", "Files", "Labels",
      "Nothing");

  private static final Map<String, Object> DATA = Map.of("Title", "Validators", "Module", "core", "Empty", "", "N", 7,
      "Ratio", 2.5, "Ok", true, "Deps", List.of("core/E01", "web/E02"),
      "Files", List.of(Map.of("Path", "a.go", "Lines", 10), Map.of("Path", "b.go", "Lines", 0)),
      "Labels", Map.of("b", "second", "a", "first"), "Nothing", List.of());

  private static String typed(String template) {
    return PromptTemplate.parse(template, "typed.md", TYPED).render(DATA);
  }

  @Test
  void withSetsDotToItsValueAndFallsBackToElse() {
    assertThat(typed("{{with .Module}}module {{.}} of {{$.Title}}{{end}}")).isEqualTo("module core of Validators");
    assertThat(typed("{{with .Empty}}never{{else}}empty, dot is still the data: {{.Title}}{{end}}"))
        .isEqualTo("empty, dot is still the data: Validators");
    assertThat(typed("{{with .Empty}}a{{else with .Module}}b {{.}}{{else}}c{{end}}")).isEqualTo("b core");
  }

  @Test
  void rangeGoesOverListsMapsAndNumbersWithDotAndFieldsInside() {
    assertThat(typed("{{range .Deps}}- {{.}}\n{{end}}")).isEqualTo("- core/E01\n- web/E02\n");
    assertThat(typed("{{range .Files}}{{.Path}}: {{.Lines}} lines in {{$.Module}}; {{end}}"))
        .isEqualTo("a.go: 10 lines in core; b.go: 0 lines in core; ");
    assertThat(typed("{{range .Labels}}{{.}} {{end}}")).as("a map's values, by key").isEqualTo("first second ");
    assertThat(typed("{{range .Nothing}}x{{else}}no {{.Module}} deps{{end}}")).isEqualTo("no core deps");
    assertThat(typed("{{range 3}}{{.}}{{end}}")).isEqualTo("012");
    assertThat(typed("{{range .Files}}{{if .Lines}}{{.Path}} {{end}}{{end}}")).isEqualTo("a.go ");
  }

  @Test
  void notEqAndOrAndElse() {
    assertThat(typed("{{if not .Empty}}empty{{end}}")).isEqualTo("empty");
    assertThat(typed("{{if eq .Module \"core\"}}core{{else}}other{{end}}")).isEqualTo("core");
    assertThat(typed("{{if eq .Module \"web\" \"tools\" \"core\"}}one of them{{end}}")).isEqualTo("one of them");
    assertThat(typed("{{if ne .N 7}}x{{else if lt .N 10}}small{{end}}")).isEqualTo("small");
    assertThat(typed("{{if and .Title .Empty}}both{{else}}not both{{end}}")).isEqualTo("not both");
    assertThat(typed("{{if or .Empty .Module}}either{{end}}")).isEqualTo("either");
    assertThat(typed("{{or .Empty \"fallback\"}}|{{and .Title .Module}}")).isEqualTo("fallback|core");
    assertThat(typed("{{if and .Empty (index .Deps 5)}}x{{else}}and stops at the first empty value{{end}}"))
        .isEqualTo("and stops at the first empty value");
    assertThat(typed("{{if and (gt .N 5) (le .Ratio 2.5) .Ok (ge .Module \"core\")}}yes{{end}}")).isEqualTo("yes");
  }

  @Test
  void pipesAndPrintf() {
    assertThat(typed("{{.Title | printf \"%s!\"}}")).isEqualTo("Validators!");
    assertThat(typed("{{printf \"%d tasks\" .N}}")).isEqualTo("7 tasks");
    assertThat(typed("{{.Title | printf \"%.3s\" | printf \"[%6s]\"}}")).isEqualTo("[   Val]");
    assertThat(typed("{{printf \"%-4d|%04d|%+d|%x|%#X|%o|%b\" .N .N .N 255 255 8 5}}"))
        .isEqualTo("7   |0007|+7|ff|0XFF|10|101");
    assertThat(typed("{{printf \"%.2f %e %t %q %v %c %%\" .Ratio 1500.0 .Ok \"say \\\"hi\\\"\" .Deps 65}}"))
        .isEqualTo("2.50 1.500000e+03 true \"say \\\"hi\\\"\" [core/E01 web/E02] A %");
    assertThat(typed("{{printf \"%d\" \"42\"}}")).as("orch's values are text: a whole number in text is a number")
        .isEqualTo("42");
    assertThat(typed("{{len .Deps}} {{len .Title}} {{index .Deps 1}} {{index .Labels \"a\"}} {{(index .Files 0).Path}}"))
        .isEqualTo("2 10 web/E02 first a.go");
    assertThat(typed("{{print \"a\" 1 2 \"b\"}}|{{println .N .Title}}|{{.Labels}}|{{.Ratio}}"))
        .isEqualTo("a1 2b|7 Validators\n|map[a:first b:second]|2.5");
    assertThat(typed("{{printf \"}}%s{{\" .Module}}")).as("}} inside a string").isEqualTo("}}core{{");
    assertThat(typed("{{`raw \\n`}}")).isEqualTo("raw \\n");
    assertThat(typed("{{printf \"%x|%X|%5.1f|%-3v|\" \"hi\" \"42\" .N .Ok}}")).isEqualTo("6869|2A|  7.0|true|");
  }

  @Test
  void trimMarkersEatWhiteSpaceIncludingNewlines() {
    assertThat(typed("a  \n\t{{- .Module -}}  \n  b")).isEqualTo("acoreb");
    assertThat(typed("a {{-3}} b")).as("-3 without a space is a number").isEqualTo("a -3 b");
    assertThat(typed("list:\n{{- range .Deps}}\n  {{.}}\n{{- end}}\ndone")).isEqualTo("list:\n  core/E01\n  web/E02\ndone");
    assertThat(typed("a {{- /* why */ -}} b")).isEqualTo("ab");
  }

  @Test
  void problemsNameTheFileAndLine() {
    assertThatThrownBy(() -> typed("x\n{{with .Module}}\n{{.}}")).hasMessage("typed.md:2: '{{with}}' is never closed with '{{end}}'");
    assertThatThrownBy(() -> typed("x\n\n{{range .Deps}}")).hasMessage("typed.md:3: '{{range}}' is never closed with '{{end}}'");
    assertThatThrownBy(() -> typed("x\n{{upper .Title}}")).hasMessageStartingWith("typed.md:2: unknown function \"upper\" (known: and,");
    assertThatThrownBy(() -> typed("{{$.Nope}}")).hasMessageStartingWith("typed.md:1: unknown variable .Nope");
    assertThatThrownBy(() -> typed("{{range .Files}}\n{{.Name}}{{end}}"))
        .hasMessage("typed.md:2: no field .Name here (there are: .Lines, .Path)");
    assertThatThrownBy(() -> typed("\n{{range .Title}}{{end}}")).hasMessage("typed.md:2: range goes over a list, a map or a number, "
        + "not text");
    assertThatThrownBy(() -> typed("{{printf \"%d\" .Title}}")).hasMessage("typed.md:1: printf %d needs a whole number, got text "
        + "\"Validators\"");
    assertThatThrownBy(() -> typed("{{printf \"%s %s\" .Title}}")).hasMessageContaining("more verbs than the 1 argument(s)");
    assertThatThrownBy(() -> typed("{{printf \"%s\" .Title .N}}")).hasMessageContaining("1 argument(s) left over");
    assertThatThrownBy(() -> typed("{{printf \"%y\" .Title}}")).hasMessageContaining("the verb %y is not supported");
    assertThatThrownBy(() -> typed("{{not .Title .N}}")).hasMessage("typed.md:1: not takes 1 argument, not 2");
    assertThatThrownBy(() -> typed("{{if eq .Title 3}}{{end}}")).hasMessage("typed.md:1: cannot compare text with a number");
    assertThatThrownBy(() -> typed("{{.Title.Length}}")).hasMessage("typed.md:1: cannot read .Length of text");
  }

  @Test
  void printfTakesGoFlagsJavaWouldRefuse() {
    assertThat(typed("[{{printf \"%-.2f\" .Ratio}}] [{{printf \"%0.2f\" .Ratio}}] [{{printf \"%+ .2f\" .Ratio}}]"))
        .isEqualTo("[2.50] [2.50] [+2.50]");
    assertThat(typed("[{{printf \"%-08.1f\" .Ratio}}] [{{printf \"% 6.1f\" .Ratio}}]")).isEqualTo("[2.5     ] [   2.5]");
  }

  @Test
  void whatJavaWouldThrowIsATemplateErrorWithFileAndLine() {
    assertThatThrownBy(() -> typed("\n{{printf \"%c\" 99999999}}"))
        .isInstanceOf(PromptTemplate.TemplateException.class)
        .hasMessage("typed.md:2: printf %c needs a Unicode code point (0 to 1114111), got 99999999");
    assertThatThrownBy(() -> typed("{{printf \"%c\" -1}}")).isInstanceOf(PromptTemplate.TemplateException.class);
    assertThatThrownBy(() -> PromptTemplate.parse("\n\n{{\"\\U00110000\"}}", "typed.md", TYPED))
        .isInstanceOf(PromptTemplate.TemplateException.class)
        .hasMessage("typed.md:3: the escape '\\U00110000' is not a Unicode code point");
    assertThatThrownBy(() -> PromptTemplate.parse("{{\"\\ud800\"}}", "typed.md", TYPED))
        .hasMessage("typed.md:1: the escape '\\ud800' is not a Unicode code point");
    assertThatThrownBy(() -> PromptTemplate.parse("{{\"\\x-1\"}}", "typed.md", TYPED))
        .hasMessage("typed.md:1: bad escape '\\x-1'");
    assertThat(typed("{{\"\\U0001F600\\x41\"}}")).isEqualTo("\uD83D\uDE00A");
  }

  @Test
  void overridesWinInTheReferenceOrder(@TempDir Path tmp) throws Exception {
    Path project = tmp.resolve("project");
    Path user = tmp.resolve("user");
    PromptLibrary library = new PromptLibrary(PromptFolders.of(project, user, new UserDirs(tmp.resolve("home"),
        tmp.resolve("home/.config"))));
    Map<String, String> values = Map.of("Title", "T", "TaskID", "m/E01");
    assertThat(library.render("epic/task.md", KNOWN, values)).startsWith("You are implementing m/E01: T");

    Files.createDirectories(user.resolve("epic"));
    Files.writeString(user.resolve("epic/task.md"), "user says {{.Title}}");
    assertThat(library.render("epic/task.md", KNOWN, values)).isEqualTo("user says T");

    Files.createDirectories(project.resolve(".claude-orchestrator/prompts/epic"));
    Files.writeString(project.resolve(".claude-orchestrator/prompts/epic/task.md"), "project says\n{{.Bad}}");
    assertThatThrownBy(() -> library.render("epic/task.md", KNOWN, values))
        .hasMessage(project.resolve(".claude-orchestrator/prompts/epic/task.md") + ":2: unknown variable .Bad (known: "
            + ".Attempt, .Branch, .CompletedDeps, .Dependencies, .EpicContent, .EpicFilePath, .Module, .ModuleContext, .TaskID, "
            + ".Title)");
  }

  @Test
  void theResumeAfterALimitIsAPromptLikeAnyOtherAndCanBeOverridden(@TempDir Path tmp) throws Exception {
    Path user = tmp.resolve("user");
    PromptLibrary library = new PromptLibrary(PromptFolders.of(tmp.resolve("project"), user,
        new UserDirs(tmp.resolve("home"), tmp.resolve("home/.config"))));
    ResumeRequest request = ResumeRequest.afterLimit(TaskId.parseFull("m/E01"), "Billing", ApiLimit.Kind.USAGE);
    Set<String> known = PromptLibrary.FOLLOW_UP_VARIABLES.get(request.template());
    assertThat(library.render(request.template(), known, request.values()))
        .startsWith("The model API stopped your work on m/E01 (Billing) for a limit (the subscription's usage limit)");

    Files.createDirectories(user.resolve("resume"));
    Files.writeString(user.resolve("resume/after-limit.md"), "{{.Limit}} is over; go on with {{.TaskID}}.");
    assertThat(library.render(request.template(), known, request.values()))
        .isEqualTo("the subscription's usage limit is over; go on with m/E01.");
  }
}
