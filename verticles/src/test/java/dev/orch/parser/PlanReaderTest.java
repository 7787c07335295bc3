package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.TaskSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanReaderTest {
  @TempDir
  Path root;

  private void write(String file, String text) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  private PlanSnapshot read() {
    return new PlanReader(root, root.resolve("docs/plans")).read();
  }

  private static Map<String, TaskSpec> byId(PlanSnapshot snapshot) {
    return snapshot.tasks().stream().collect(Collectors.toMap(TaskSpec::id, Function.identity()));
  }

  @Test
  void readmeStatusTableFillsInWhereFrontmatterIsSilent() throws IOException {
    write("docs/plans/billing/epic-01-a.md", "# A\n");
    write("docs/plans/billing/epic-02-b.md", "---\nstatus: not_started\n---\n# B\n");
    write("docs/plans/billing/epic-03-c.md", "# C\n");
    write("docs/plans/cli/epic-01-d.md", "# D\n");
    write("docs/plans/README.md", """
        # Plans

        ## Billing Module

        | Epic | Title | Status |
        |------|-------|--------|
        | [E01](billing/epic-01-a.md) | A | 🟢 |
        | [E02](billing/epic-02-b.md) | B | 🟢 |
        | E03 | C | 🟡 |

        ## Status

        | Epic | Status |
        |---|---|
        | E09 | 🟢 |
        """);
    write("README.md", "| cli/E01 | D | 🟢 |\n");
    var tasks = byId(read());
    assertThat(tasks.get("billing/E01").planStatus()).isEqualTo(PlanStatus.COMPLETE);
    assertThat(tasks.get("billing/E02").planStatus()).as("frontmatter wins").isEqualTo(PlanStatus.NOT_STARTED);
    assertThat(tasks.get("billing/E03").planStatus()).isEqualTo(PlanStatus.IN_PROGRESS);
    assertThat(tasks.get("cli/E01").planStatus()).isEqualTo(PlanStatus.COMPLETE);
  }

  @Test
  void badFilesAreReportedAndEverythingElseIsRead() throws IOException {
    write("docs/plans/good/epic-01-ok.md", "# Fine\n");
    write("docs/plans/good/epic-02-ok.md", "# Also fine\n");
    Files.write(root.resolve("docs/plans/good/epic-03-latin1.md"), "# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Files.write(root.resolve("docs/plans/good/epic-04-binary.md"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0});
    try (RandomAccessFile huge = new RandomAccessFile(root.resolve("docs/plans/good/epic-05-huge.md").toFile(), "rw")) {
      huge.setLength(10L * 1024 * 1024);
    }
    write("docs/plans/good/epic-06-yaml.md", "---\ntitle: [\n---\n# Y\n");
    PlanSnapshot snapshot = read();
    assertThat(byId(snapshot).keySet()).contains("good/E01", "good/E02", "good/E06");
    assertThat(snapshot.errors()).extracting(PlanIssue::file).containsExactlyInAnyOrder(
        "docs/plans/good/epic-03-latin1.md", "docs/plans/good/epic-04-binary.md", "docs/plans/good/epic-05-huge.md",
        "docs/plans/good/epic-06-yaml.md");
    assertThat(snapshot.errors()).anySatisfy(i -> assertThat(i.message()).contains("10.0 MB"));
    assertThat(byId(snapshot).get("good/E06").blockedReason()).contains("malformed YAML");
    assertThat(byId(snapshot).get("good/E01").blockedReason()).isNull();
  }

  @Test
  void moduleContextsAndHiddenFolders() throws IOException {
    write("docs/plans/billing/README.md", "# Billing context\n");
    write("docs/plans/billing/epic-01-a.md", "# A\n");
    write("docs/plans/cli/00-overview.md", "# CLI overview\n");
    write("docs/plans/.trash/epic-01-old.md", "# old\n");
    PlanSnapshot snapshot = read();
    assertThat(snapshot.moduleContexts()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "billing", "docs/plans/billing/README.md", "cli", "docs/plans/cli/00-overview.md"));
    assertThat(snapshot.tasks()).extracting(TaskSpec::id).containsExactly("billing/E01");
  }

  @Test
  void missingPlansFolderIsOneClearError() {
    PlanSnapshot snapshot = read();
    assertThat(snapshot.tasks()).isEmpty();
    assertThat(snapshot.errors()).singleElement().extracting(PlanIssue::message).asString().contains("plans folder not found");
  }
}
