package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceTemplatesTest {
  @TempDir
  Path tmp;

  private final Map<String, String> values = Map.of("Scope", "the module core", "Module", "core", "Package", "");

  @Test
  void withoutAWrapperTheBodyIsThePrompt() {
    MaintenanceTemplates templates = new MaintenanceTemplates(List.of(tmp.resolve("project"), tmp.resolve("user")));
    assertThat(templates.prompt(templates.get("docs"), values)).startsWith("# Document the module core\n");
  }

  @Test
  void theWrapperWrapsEveryTemplatesBodyAndIsNoTemplateOfItsOwn() throws Exception {
    Path user = tmp.resolve("user");
    Files.createDirectories(user.resolve("maintenance"));
    Files.writeString(user.resolve("maintenance/wrapper.md"),
        "{{.Prompt}}\n\n**Unattended** on {{.Scope}}{{with .Module}} (module {{.}}){{end}}.\n");
    MaintenanceTemplates templates = new MaintenanceTemplates(List.of(tmp.resolve("project"), user));

    assertThat(templates.all()).as("listed without wrapper.md, which has no frontmatter").doesNotContainKey("wrapper")
        .containsKeys("docs", "lint");
    assertThat(templates.prompt(templates.get("docs"), values)).startsWith("# Document the module core\n")
        .endsWith("\n\n**Unattended** on the module core (module core).\n");

    Path project = tmp.resolve("project");
    Files.createDirectories(project.resolve("maintenance"));
    Files.writeString(project.resolve("maintenance/wrapper.md"), "project wrapper\n{{.Promt}}\n");
    assertThatThrownBy(() -> templates.prompt(templates.get("docs"), values))
        .hasMessageStartingWith(project.resolve("maintenance/wrapper.md") + ":2: unknown variable .Promt (known: .Module, "
            + ".Package, .Prompt, .Scope)");
  }
}
