package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DependencyResolverTest {

  static ParsedFile task(String file, String id, String... deps) {
    TaskId taskId = TaskId.parseFull(id);
    List<ParsedFile.Dependency> dependencies = Arrays.stream(deps)
        .map(d -> new ParsedFile.Dependency(TaskId.parse(d, taskId.module()).orElseThrow(), 3))
        .toList();
    return new ParsedFile(file, ParsedFile.Kind.TASK, taskId, "Title of " + id, Priority.MEDIUM, dependencies, false, null,
        0, 0, List.of(), "", List.of(), false, List.of(), List.of());
  }

  private static Map<String, TaskSpec> byId(DependencyResolver.Resolution resolution) {
    return resolution.tasks().stream().collect(Collectors.toMap(TaskSpec::id, Function.identity()));
  }

  @Test
  void implicitDependencyIsTheHighestExistingLowerNumber() {
    var tasks = byId(DependencyResolver.resolve(List.of(
        task("a/epic-01.md", "a/E01"), task("a/epic-03.md", "a/E03"), task("a/epic-07.md", "a/E07"),
        task("a/epic-cli-01.md", "a/CLI01"), task("a/epic-cli-02.md", "a/CLI02"))));
    assertThat(tasks.get("a/E01").dependsOn()).isEmpty();
    assertThat(tasks.get("a/E03").dependsOn()).containsExactly("a/E01");
    assertThat(tasks.get("a/E07").dependsOn()).containsExactly("a/E03");
    assertThat(tasks.get("a/CLI01").dependsOn()).as("prefix sequences are separate").isEmpty();
    assertThat(tasks.get("a/CLI02").dependsOn()).containsExactly("a/CLI01");
  }

  @Test
  void explicitDependenciesCrossModulesAndAddToImplicitOnes() {
    var tasks = byId(DependencyResolver.resolve(List.of(
        task("a/1.md", "a/E01"), task("a/2.md", "a/E02", "b/E01", "a/E01"), task("b/1.md", "b/E01"))));
    assertThat(tasks.get("a/E02").dependsOn()).containsExactly("a/E01", "b/E01");
    assertThat(tasks.values()).allSatisfy(t -> assertThat(t.blockedReason()).isNull());
  }

  @Test
  void unknownDependencyBlocksOnlyThatTask() {
    var resolution = DependencyResolver.resolve(List.of(task("a/1.md", "a/E01", "zzz/E09"), task("b/1.md", "b/E01")));
    var tasks = byId(resolution);
    assertThat(tasks.get("a/E01").blockedReason()).contains("unknown task zzz/E09").contains("a/1.md:3");
    assertThat(tasks.get("a/E01").dependsOn()).isEmpty();
    assertThat(tasks.get("b/E01").blockedReason()).isNull();
    assertThat(resolution.issues()).singleElement().satisfies(i -> {
      assertThat(i.file()).isEqualTo("a/1.md");
      assertThat(i.line()).isEqualTo(3);
    });
  }

  @Test
  void selfDependencyIsReported() {
    var resolution = DependencyResolver.resolve(List.of(task("a/1.md", "a/E01", "a/E01")));
    assertThat(resolution.issues()).extracting(PlanIssue::message).containsExactly("a/E01 depends on itself");
    assertThat(resolution.tasks().get(0).blockedReason()).contains("depends on itself");
  }

  @Test
  void wholeCycleIsReportedAndEveryMemberBlocked() {
    var resolution = DependencyResolver.resolve(List.of(
        task("a/1.md", "a/E01", "c/E01"), task("b/1.md", "b/E01", "a/E01"), task("c/1.md", "c/E01", "b/E01"),
        task("d/1.md", "d/E01", "c/E01")));
    assertThat(resolution.issues()).singleElement().extracting(PlanIssue::message)
        .isEqualTo("dependency cycle: a/E01 -> c/E01 -> b/E01 -> a/E01");
    var tasks = byId(resolution);
    assertThat(List.of("a/E01", "b/E01", "c/E01")).allSatisfy(id ->
        assertThat(tasks.get(id).blockedReason()).contains("a/E01 -> c/E01 -> b/E01 -> a/E01"));
    assertThat(tasks.get("d/E01").blockedReason()).as("depends on the cycle but is not in it").isNull();
  }

  @Test
  void cycleThroughAnImplicitDependencyIsFound() {
    var resolution = DependencyResolver.resolve(List.of(task("a/1.md", "a/E01", "a/E02"), task("a/2.md", "a/E02")));
    assertThat(resolution.issues()).singleElement().extracting(PlanIssue::message)
        .isEqualTo("dependency cycle: a/E01 -> a/E02 -> a/E01");
  }

  @Test
  void twoFilesClaimingOneIdNameBothFiles() {
    var resolution = DependencyResolver.resolve(List.of(task("x/epic-01-b.md", "x/E01"), task("x/epic-01-a.md", "x/E01")));
    assertThat(resolution.tasks()).singleElement().satisfies(t -> {
      assertThat(t.file()).isEqualTo("x/epic-01-a.md");
      assertThat(t.blockedReason()).contains("x/epic-01-a.md").contains("x/epic-01-b.md");
    });
    assertThat(resolution.issues()).extracting(PlanIssue::file).containsExactlyInAnyOrder("x/epic-01-a.md", "x/epic-01-b.md");
  }

  @Test
  void longChainsDoNotOverflowTheStack() {
    List<ParsedFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      files.add(task("m/" + i + ".md", "m/E" + i));
    }
    var resolution = DependencyResolver.resolve(files);
    assertThat(resolution.issues()).isEmpty();
    assertThat(resolution.tasks()).hasSize(20_000);
  }
}
