package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
    assertThatThrownBy(() -> render("{{range .Title}}{{end}}", Map.of())).hasMessageContaining("cannot read");
  }

  @Test
  void overridesWinInTheReferenceOrder(@TempDir Path tmp) throws Exception {
    Path project = tmp.resolve("project");
    Path user = tmp.resolve("user");
    PromptLibrary library = new PromptLibrary(project, user);
    Map<String, String> values = Map.of("Title", "T", "TaskID", "m/E01");
    assertThat(library.render("epic/task.md", KNOWN, values)).startsWith("You are implementing m/E01: T");

    Files.createDirectories(user.resolve("epic"));
    Files.writeString(user.resolve("epic/task.md"), "user says {{.Title}}");
    assertThat(library.render("epic/task.md", KNOWN, values)).isEqualTo("user says T");

    Files.createDirectories(project.resolve(".claude-orchestrator/prompts/epic"));
    Files.writeString(project.resolve(".claude-orchestrator/prompts/epic/task.md"), "project says\n{{.Bad}}");
    assertThatThrownBy(() -> library.render("epic/task.md", KNOWN, values))
        .hasMessage(project.resolve(".claude-orchestrator/prompts/epic/task.md") + ":2: unknown variable .Bad (known: "
            + ".Branch, .CompletedDeps, .EpicContent, .EpicFilePath, .Module, .ModuleContext, .TaskID, .Title)");
  }
}
