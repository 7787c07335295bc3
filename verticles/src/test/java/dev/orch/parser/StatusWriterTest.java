package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanStatus;
import dev.orch.contract.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusWriterTest {
  @TempDir
  Path root;

  @Test
  void frontmatterStatusIsReplacedAddedOrCreated() {
    assertThat(StatusWriter.withFrontmatterStatus("---\ntitle: A\nstatus: not_started\n---\n# A\n", PlanStatus.COMPLETE))
        .isEqualTo("---\ntitle: A\nstatus: complete\n---\n# A\n");
    assertThat(StatusWriter.withFrontmatterStatus("---\ntitle: A\n---\n# A\n", PlanStatus.COMPLETE))
        .isEqualTo("---\ntitle: A\nstatus: complete\n---\n# A\n");
    assertThat(StatusWriter.withFrontmatterStatus("# A\n", PlanStatus.IN_PROGRESS))
        .isEqualTo("---\nstatus: in_progress\n---\n# A\n");
    assertThat(StatusWriter.withFrontmatterStatus("\uFEFF---\r\ntitle: A\r\n---\r\n# A\r\n", PlanStatus.COMPLETE))
        .isEqualTo("\uFEFF---\r\ntitle: A\r\nstatus: complete\r\n---\r\n# A\r\n");
  }

  @Test
  void writesThePlanFileAndEveryReadmeRowThatNamesTheTask() throws Exception {
    Files.createDirectories(root.resolve("docs/plans/billing"));
    Files.writeString(root.resolve("docs/plans/billing/epic-05-x.md"), "---\ntitle: X\n---\n# X\n");
    Files.writeString(root.resolve("docs/plans/README.md"), """
        ## Billing

        | Epic | Status |
        |---|---|
        | [E05](billing/epic-05-x.md) | 🔴 |
        | E06 | 🔴 |

        ## Other

        | E05 | 🔴 |
        """);
    Files.writeString(root.resolve("docs/plans/billing/README.md"), "| E05 | Title | 🟡 |\n| E04 | Title | 🔴 |\n");
    Files.writeString(root.resolve("README.md"), "| billing/E05 | 🔴 |\n| cli/E05 | 🔴 |\n");

    var changed = new StatusWriter(root, Path.of("docs/plans")).write("docs/plans/billing/epic-05-x.md",
        TaskId.of("billing", 5), PlanStatus.COMPLETE);

    assertThat(changed).containsExactlyInAnyOrder("docs/plans/billing/epic-05-x.md", "docs/plans/README.md",
        "docs/plans/billing/README.md", "README.md");
    assertThat(Files.readString(root.resolve("docs/plans/billing/epic-05-x.md"))).contains("status: complete");
    assertThat(Files.readString(root.resolve("docs/plans/README.md")))
        .contains("| [E05](billing/epic-05-x.md) | 🟢 |", "| E06 | 🔴 |")
        .as("a heading naming no module of the task leaves its rows alone").contains("## Other\n\n| E05 | 🔴 |");
    assertThat(Files.readString(root.resolve("docs/plans/billing/README.md"))).isEqualTo("| E05 | Title | 🟢 |\n| E04 | Title | 🔴 |\n");
    assertThat(Files.readString(root.resolve("README.md"))).isEqualTo("| billing/E05 | 🟢 |\n| cli/E05 | 🔴 |\n");
  }
  @Test
  void h2_plan_files_and_readmes_that_are_links_out_of_the_checkout_are_left_alone() throws Exception {
    Path project = Files.createDirectories(root.resolve("project"));
    Path outside = Files.createDirectories(root.resolve("victim"));
    Path target = Files.writeString(outside.resolve("x.md"), "---\ntitle: X\n---\n# X\n");
    Path readmeTarget = Files.writeString(outside.resolve("README.md"), "| [E05](billing/epic-05-x.md) | 🔴 |\n");
    Files.createDirectories(project.resolve("docs/plans/billing"));
    Files.createSymbolicLink(project.resolve("docs/plans/billing/epic-05-x.md"), target);
    Files.createSymbolicLink(project.resolve("README.md"), readmeTarget);
    Files.createSymbolicLink(project.resolve("docs/plans/linked"), outside);

    var changed = new StatusWriter(project, Path.of("docs/plans")).write("docs/plans/billing/epic-05-x.md",
        TaskId.parseFull("billing/E05"), PlanStatus.COMPLETE);
    assertThat(changed).isEmpty();
    assertThat(Files.readString(target)).doesNotContain("status");
    assertThat(Files.readString(readmeTarget)).contains("🔴");
    assertThat(new StatusWriter(project, Path.of("docs/plans")).write("docs/plans/linked/x.md",
        TaskId.parseFull("billing/E05"), PlanStatus.COMPLETE)).isEmpty();
    assertThat(Files.readString(target)).doesNotContain("status");
  }
}
