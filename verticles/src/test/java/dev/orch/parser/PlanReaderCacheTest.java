package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader that has read the plans before reuses unchanged files' parses; what it reads must not show it. */
class PlanReaderCacheTest {
  @TempDir
  Path root;

  private Path write(String file, String text) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, text);
  }

  private PlanReader reader() {
    return new PlanReader(root, root.resolve("docs/plans"));
  }

  private static TaskSpec task(PlanSnapshot snapshot, String id) {
    return snapshot.tasks().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aChangedFileIsParsedAgainEvenWithItsSizeAndTimeUnchanged() throws IOException {
    Path file = write("docs/plans/billing/epic-01-a.md", "# Alpha\n");
    FileTime time = Files.getLastModifiedTime(file);
    PlanReader reader = reader();
    assertThat(task(reader.read(), "billing/E01").title()).isEqualTo("Alpha");

    Files.writeString(file, "# Gamma\n");
    Files.setLastModifiedTime(file, time);

    assertThat(task(reader.read(), "billing/E01").title()).isEqualTo("Gamma");
  }

  @Test
  void aFileChangedBackReadsAsItsEarlierContent() throws IOException {
    String first = "---\npriority: high\n---\n# One\n- [x] a\n- [ ] b\n";
    Path file = write("docs/plans/billing/epic-01-a.md", first);
    PlanReader reader = reader();
    TaskSpec before = task(reader.read(), "billing/E01");

    Files.writeString(file, "---\npriority: nonsense\n---\n# Two\n");
    PlanSnapshot broken = reader.read();
    assertThat(task(broken, "billing/E01").title()).isEqualTo("Two");
    assertThat(broken.errors()).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(2));

    Files.writeString(file, first);
    PlanSnapshot again = reader.read();
    assertThat(task(again, "billing/E01")).isEqualTo(before);
    assertThat(again.errors()).isEmpty();
  }

  @Test
  void aDeletedFileIsGoneAndComesBackWhenWrittenAgain() throws IOException {
    Path file = write("docs/plans/billing/epic-01-a.md", "# A\n");
    write("docs/plans/billing/epic-02-b.md", "---\ndepends_on: [billing/E01]\n---\n# B\n");
    PlanReader reader = reader();
    assertThat(reader.read().tasks()).hasSize(2);

    Files.delete(file);
    PlanSnapshot without = reader.read();
    assertThat(without.tasks()).extracting(TaskSpec::id).containsExactly("billing/E02");
    assertThat(without.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("billing/E01"));

    write("docs/plans/billing/epic-01-a.md", "# A\n");
    PlanSnapshot back = reader.read();
    assertThat(back.tasks()).hasSize(2);
    assertThat(back.errors()).isEmpty();
  }

  /** Random edits, deletions, additions and reverts: a reader that remembers reads what a fresh one reads. */
  @Test
  void readsWhatAFreshReaderReadsThroughRandomEdits() throws IOException {
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      Path plans = root.resolve("docs/plans");
      if (Files.exists(plans)) {
        try (Stream<Path> old = Files.walk(plans)) {
          old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      List<String> versions = new ArrayList<>();
      for (int v = 0; v < 6; v++) {
        versions.add(variant(random, v));
      }
      List<String> files = new ArrayList<>();
      for (int m = 0; m < 3; m++) {
        for (int n = 1; n <= 8; n++) {
          files.add("docs/plans/mod-" + m + "/epic-" + n + "-x.md");
        }
      }
      PlanReader remembering = reader();
      for (int round = 0; round < 6; round++) {
        for (String file : files) {
          int pick = random.nextInt(versions.size() + 2);
          if (pick == versions.size()) {
            Files.deleteIfExists(root.resolve(file));
          } else if (pick < versions.size()) {
            write(file, versions.get(pick));
          }
        }
        PlanSnapshot cached = remembering.read();
        PlanSnapshot fresh = reader().read();
        assertThat(cached.tasks()).as("seed %d round %d", seed, round).isEqualTo(fresh.tasks());
        assertThat(cached.errors()).as("seed %d round %d", seed, round).isEqualTo(fresh.errors());
        assertThat(cached.moduleContexts()).isEqualTo(fresh.moduleContexts());
        assertThat(cached.filesRead()).isEqualTo(fresh.filesRead());
      }
    }
  }

  /** Task files in the shapes a plan takes: dependencies (some dangling), statuses, checkboxes, a broken one. */
  private static String variant(Random random, int v) {
    return switch (v) {
      case 0 -> "# Plain\n\n- [ ] a\n";
      case 1 -> "---\npriority: low\nstatus: complete\n---\n# Done\n\n## Acceptance Criteria\n- [x] a\n- [x] b\n";
      case 2 -> "---\ndepends_on:\n  - mod-0/E" + (1 + random.nextInt(8)) + "\n  - mod-1/E" + (1 + random.nextInt(8))
          + "\n---\n# Depends\n\n## Test Summary\n\n| Suite | Passed |\n|---|---|\n| unit | 3 |\n";
      case 3 -> "---\ntitle: [not, one]\n---\n# Bad title field\n";
      case 4 -> "---\nmodule: other\nepic: " + (1 + random.nextInt(3)) + "\n---\n# Moved\n";
      default -> "---\nunclosed: frontmatter\n# never closed\n";
    };
  }
}
