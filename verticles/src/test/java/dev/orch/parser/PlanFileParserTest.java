package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanFileParserTest {

  private static ParsedFile parse(String folder, String name, String text) {
    return PlanFileParser.parse("docs/plans/" + (folder == null ? "" : folder + "/") + name, folder, name, text);
  }

  @Test
  void frontmatterGivesIdentityTitleAndFields() {
    ParsedFile file = parse("anything", "notes.md", """
        ---
        module: technical
        epic: 5
        title: Input Validators
        priority: high
        depends_on:
          - technical/E04
          - billing/E00
        needs_review: true
        status: in progress
        ---

        # Epic 05: Input Validators

        ## Acceptance Criteria

        - [x] Email validation
        - [ ] Phone number validation
        - [ ] Required field validation
        """);
    assertThat(file.kind()).isEqualTo(ParsedFile.Kind.TASK);
    assertThat(file.id()).hasToString("technical/E05");
    assertThat(file.title()).isEqualTo("Input Validators");
    assertThat(file.priority()).isEqualTo(Priority.HIGH);
    assertThat(file.dependencies()).extracting(d -> d.id().toString()).containsExactly("technical/E04", "billing/E00");
    assertThat(file.dependencies()).extracting(ParsedFile.Dependency::line).containsExactly(7, 8);
    assertThat(file.needsReview()).isTrue();
    assertThat(file.planStatus()).isEqualTo(PlanStatus.IN_PROGRESS);
    assertThat(file.criteriaDone()).isEqualTo(1);
    assertThat(file.criteriaTotal()).isEqualTo(3);
    assertThat(file.issues()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "billing, epic-05-invoices.md, billing/E05",
      "billing, epic-5.md, billing/E05",
      "billing, 05-epic-invoices.md, billing/E05",
      "cli-impl, epic-cli-02-parse-args.md, cli-impl/CLI02",
      "technical-module, epic-12-x.md, technical/E12",
      "Billing, EPIC-07-caps.md, billing/E07"})
  void fileNamesGiveIdentityWithoutFrontmatter(String folder, String name, String id) {
    ParsedFile file = parse(folder, name, "# Title here\n\nBody.\n");
    assertThat(file.kind()).isEqualTo(ParsedFile.Kind.TASK);
    assertThat(file.id()).hasToString(id);
    assertThat(file.title()).isEqualTo("Title here");
  }

  @Test
  void titleFallsBackToFileNameWithoutHeading() {
    assertThat(parse("m", "epic-01-setup.md", "no heading here\n").title()).isEqualTo("epic-01-setup");
  }

  @ParameterizedTest
  @CsvSource({"README.md", "00-overview.md", "readme.md"})
  void moduleReadmeAndOverviewAreContextNotTasks(String name) {
    assertThat(parse("billing", name, "# Billing\n").kind()).isEqualTo(ParsedFile.Kind.MODULE_CONTEXT);
  }

  @Test
  void otherMarkdownIsIgnored() {
    assertThat(parse("billing", "design-notes.md", "# Notes\n").kind()).isEqualTo(ParsedFile.Kind.OTHER);
    assertThat(parse(null, "README.md", "# Plans\n").kind()).isEqualTo(ParsedFile.Kind.OTHER);
  }

  @Test
  void inlineAndNumericDependenciesMeanTheSameModule() {
    ParsedFile file = parse("billing", "epic-05-x.md", """
        ---
        depends_on: [3, "E04", cli/CLI02, "epic-01"]
        ---
        # X
        """);
    assertThat(file.dependencies()).extracting(d -> d.id().toString())
        .containsExactly("billing/E03", "billing/E04", "cli/CLI02", "billing/E01");
  }

  @Test
  void commaSeparatedScalarDependencies() {
    ParsedFile file = parse("billing", "epic-05-x.md", "---\ndepends_on: billing/E01, E02\n---\n# X\n");
    assertThat(file.dependencies()).extracting(d -> d.id().toString()).containsExactly("billing/E01", "billing/E02");
  }

  @Test
  void declaredFilesAndTheTextsBacktickedPathsAreTheFootprint() {
    ParsedFile file = parse("billing", "epic-05-x.md", """
        ---
        files:
          - src/billing/
          - ./src/shared/Money.java
          - src/billing/
        ---
        # Invoices

        Add `src/billing/Invoice.java` and register it in `pom.xml`; run `mvn -B verify`.
        """);
    assertThat(file.issues()).isEmpty();
    assertThat(file.files()).containsExactly("src/billing/**", "src/shared/Money.java");
    assertThat(file.mentions()).containsExactly("src/billing/Invoice.java", "**/pom.xml");
  }

  @Test
  void aFilesEntryOutsideTheRepositoryIsAnIssueOnItsLine() {
    ParsedFile file = parse("billing", "epic-05-x.md", """
        ---
        files:
          - src/ok/
          - ../../etc/passwd
          - [nested]
        ---
        # X
        """);
    assertThat(file.files()).containsExactly("src/ok/**");
    assertThat(file.issues()).extracting(PlanIssue::line).containsExactly(4, 5);
    assertThat(file.issues().get(0).message()).contains("'files' entry", "leaves the repository");
    assertThat(file.issues().get(1).message()).contains("'files' entries must be paths or globs");
  }

  @Test
  void crlfAndBomAreNormalInput() {
    String text = "---\r\nmodule: core\r\nepic: 2\r\ntitle: Windows\r\ndepends_on:\r\n  - 1\r\n---\r\n# Heading\r\n- [x] done\r\n";
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(body, 0, all, bom.length, body.length);
    PlanText.Decoded decoded = PlanText.decode(all);
    assertThat(decoded.ok()).isTrue();
    ParsedFile file = parse("core", "epic-02-windows.md", decoded.text());
    assertThat(file.issues()).isEmpty();
    assertThat(file.id()).hasToString("core/E02");
    assertThat(file.title()).isEqualTo("Windows");
    assertThat(file.dependencies()).extracting(d -> d.id().toString()).containsExactly("core/E01");
    assertThat(file.criteriaTotal()).isEqualTo(1);
  }

  @Test
  void malformedYamlIsAnIssueOnItsLineAndTheTaskStillHasAnIdentity() {
    ParsedFile file = parse("billing", "epic-03-x.md", """
        ---
        title: Fine
        priority: [high
        ---
        # X
        """);
    assertThat(file.kind()).isEqualTo(ParsedFile.Kind.TASK);
    assertThat(file.id()).hasToString("billing/E03");
    assertThat(file.issues()).singleElement().satisfies(issue -> {
      assertThat(issue.message()).startsWith("malformed YAML frontmatter");
      assertThat(issue.line()).isBetween(3, 5);
      assertThat(issue.taskId()).hasToString("billing/E03");
    });
  }

  @Test
  void unterminatedFrontmatterIsReported() {
    ParsedFile file = parse("billing", "epic-04-x.md", "---\ntitle: never closed\n# Heading\n");
    assertThat(file.issues()).singleElement().satisfies(issue -> {
      assertThat(issue.message()).contains("never closed");
      assertThat(issue.line()).isEqualTo(1);
    });
  }

  @Test
  void brokenFrontmatterWithoutIdentityIsABrokenFile() {
    ParsedFile file = parse("billing", "notes.md", "---\nmodule: [\n---\n");
    assertThat(file.kind()).isEqualTo(ParsedFile.Kind.BROKEN);
    assertThat(file.issues()).isNotEmpty();
  }

  @Test
  void wrongFieldValuesNameTheFieldAndLine() {
    ParsedFile file = parse("billing", "epic-06-x.md", """
        ---
        priority: urgent
        status: maybe
        needs_review: perhaps
        depends_on:
          - not an id!
        ---
        # X
        """);
    assertThat(file.issues()).extracting(PlanIssue::line, i -> i.message().split(" ")[0] + " " + i.message().split(" ")[1])
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, "unknown priority"),
            org.assertj.core.groups.Tuple.tuple(3, "unknown status"),
            org.assertj.core.groups.Tuple.tuple(4, "'needs_review' must"),
            org.assertj.core.groups.Tuple.tuple(6, "'depends_on' entry"));
    assertThat(file.priority()).isEqualTo(Priority.MEDIUM);
  }

  @Test
  void taskAtPlansRootWithoutModuleIsAnError() {
    ParsedFile file = parse(null, "epic-01-x.md", "# X\n");
    assertThat(file.kind()).isEqualTo(ParsedFile.Kind.BROKEN);
    assertThat(file.issues()).singleElement().extracting(PlanIssue::message).asString().contains("module");
  }

  @Test
  void acceptanceCriteriaSectionIsPreferredOverOtherCheckboxes() {
    ParsedFile file = parse("m", "epic-01-x.md", """
        # X

        - [x] a note elsewhere
        - [x] another

        ## Acceptance Criteria

        - [x] one
        - [ ] two
          - [x] nested counts too

        ## Notes

        - [ ] not a criterion
        """);
    assertThat(file.criteriaDone()).isEqualTo(2);
    assertThat(file.criteriaTotal()).isEqualTo(3);
  }

  @Test
  void testSummaryTableIsRead() {
    ParsedFile file = parse("m", "epic-01-x.md", """
        # X

        ## Test Summary

        | Suite | Passed | Failed |
        |-------|--------|--------|
        | unit  | 12     | 0      |
        | e2e   | 3      | 1      |
        """);
    assertThat(file.testSummary()).containsExactly(
        Map.of("Suite", "unit", "Passed", "12", "Failed", "0"),
        Map.of("Suite", "e2e", "Passed", "3", "Failed", "1"));
  }

  @Test
  void statusAliasesAreRead() {
    for (String done : List.of("done", "Complete", "completed", "🟢")) {
      assertThat(parse("m", "epic-01-x.md", "---\nstatus: \"" + done + "\"\n---\n").planStatus()).isEqualTo(PlanStatus.COMPLETE);
    }
    assertThat(parse("m", "epic-01-x.md", "---\nstatus: todo\n---\n").planStatus()).isEqualTo(PlanStatus.NOT_STARTED);
    assertThat(parse("m", "epic-01-x.md", "---\nstatus: wip\n---\n").planStatus()).isEqualTo(PlanStatus.IN_PROGRESS);
  }

  @Test
  void frontmatterMayRenumberWithPrefix() {
    ParsedFile file = parse("cli", "whatever.md", "---\nepic: CLI03\n---\n# X\n");
    assertThat(file.id()).isEqualTo(new TaskId("cli", "CLI", 3));
  }

  @Test
  void l5_a_module_git_cannot_branch_on_is_a_plan_error_on_its_line_and_the_epic_is_not_blamed() {
    ParsedFile file = parse("anything", "notes.md", """
        ---
        title: Dots
        module: a..b
        epic: 1
        ---
        # Dots
        """);
    assertThat(file.kind()).isEqualTo(ParsedFile.Kind.BROKEN);
    assertThat(file.issues()).singleElement().satisfies(issue -> {
      assertThat(issue.describe()).startsWith("docs/plans/anything/notes.md:3: invalid module name 'a..b'");
      assertThat(issue.message()).doesNotContain("'epic'");
    });
  }

  @Test
  void l5_a_folder_that_cannot_be_a_branch_part_names_the_file_and_says_where_the_module_came_from() {
    for (String folder : new String[] {"core.lock", "core."}) {
      ParsedFile file = parse(folder, "epic-01-x.md", "# X\n");
      assertThat(file.kind()).as(folder).isEqualTo(ParsedFile.Kind.BROKEN);
      assertThat(file.issues()).singleElement().extracting(PlanIssue::describe).asString()
          .startsWith("docs/plans/" + folder + "/epic-01-x.md: invalid module name").contains("from the folder name");
    }
  }

  @Test
  void l13_a_title_of_several_lines_is_refused_on_its_line_and_shown_joined() {
    ParsedFile file = parse("mod", "epic-03-x.md", """
        ---
        priority: high
        title: "Harmless\\n\\nOrch-Task: other/E99"
        ---
        # Heading
        """);
    assertThat(file.kind()).isEqualTo(ParsedFile.Kind.TASK);
    assertThat(file.issues()).singleElement().satisfies(issue -> {
      assertThat(issue.line()).isEqualTo(3);
      assertThat(issue.message()).isEqualTo("'title' must be one line");
    });
    assertThat(file.title()).isEqualTo("Harmless Orch-Task: other/E99");
  }

  @Test
  void l13_a_block_title_is_refused_and_a_heading_across_lines_reads_as_one() {
    ParsedFile block = parse("mod", "epic-04-x.md", "---\ntitle: |\n  first\n  second\n---\n# H\n");
    assertThat(block.issues()).extracting(PlanIssue::message).containsExactly("'title' must be one line");
    ParsedFile setext = parse("mod", "epic-05-x.md", "Two line\nheading\n===\n\nBody.\n");
    assertThat(setext.issues()).isEmpty();
    assertThat(setext.title()).isEqualTo("Two line heading");
  }
}
