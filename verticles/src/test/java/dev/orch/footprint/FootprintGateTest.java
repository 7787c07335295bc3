package dev.orch.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.footprint.FootprintGate.Candidate;
import dev.orch.footprint.FootprintGate.Decision;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FootprintGateTest {

  private static List<PathGlob> globs(String... texts) {
    return Arrays.stream(texts).map(PathGlob::parse).toList();
  }

  private static Candidate declared(String id, String... files) {
    return new Candidate(id, Footprint.declared(globs(files)));
  }

  private static Candidate predicted(String id, String... files) {
    return new Candidate(id, Footprint.NONE.withPredicted(globs(files)));
  }

  @Test
  void predictionsHeldOnlyBeforeStartingMeetRunningTasksNotEachOther() {
    Footprint history = Footprint.NONE.withPredicted(globs("src/billing/Invoice.java"));
    Candidate first = new Candidate("billing/E02", history, Footprint.NONE);
    Candidate second = new Candidate("billing/E03", history, Footprint.NONE);

    Decision apart = FootprintGate.choose(List.of(first, second), Map.of(), 3, FootprintMode.STRICT);
    Decision behind = FootprintGate.choose(List.of(first, second),
        Map.of("billing/E01", Footprint.NONE.withObserved(globs("src/billing/Invoice.java"))), 3, FootprintMode.STRICT);

    assertThat(apart.start()).as("two tasks of one module share its history, which says nothing about them")
        .containsExactly("billing/E02", "billing/E03");
    assertThat(behind.start()).isEmpty();
    assertThat(behind.held()).containsOnlyKeys("billing/E02", "billing/E03");
  }

  @Test
  void inPreferTasksHeldOnlyByTheirModulesHistoryTakeFreeSlotsBeforeOnesThatWouldPairAgents() {
    Footprint history = Footprint.NONE.withPredicted(globs("src/billing/Invoice.java"));
    Map<String, Footprint> running = Map.of("billing/E01", Footprint.NONE.withObserved(globs("src/billing/Invoice.java")));
    List<Candidate> ordered = List.of(predicted("billing/E02", "src/billing/Invoice.java"),
        new Candidate("billing/E03", history, Footprint.NONE), new Candidate("billing/E04", history, Footprint.NONE));

    Decision two = FootprintGate.choose(ordered, running, 2, FootprintMode.PREFER);
    Decision three = FootprintGate.choose(ordered, running, 3, FootprintMode.PREFER);

    assertThat(two.start()).containsExactly("billing/E03", "billing/E04");
    assertThat(two.held()).containsOnlyKeys("billing/E02");
    assertThat(three.start()).as("then, a slot still free, one pair of agents in the same file")
        .containsExactly("billing/E03", "billing/E04", "billing/E02");
  }

  @Test
  void offStartsInOrderUpToCapacity() {
    Decision d = FootprintGate.choose(List.of(declared("a", "x/"), declared("b", "x/"), declared("c", "x/")),
        Map.of(), 2, FootprintMode.OFF);
    assertThat(d.start()).containsExactly("a", "b");
    assertThat(d.held()).isEmpty();
  }

  @Test
  void declaredOverlapsNeverRunTogetherEvenWhenPreferred() {
    Map<String, Footprint> running = Map.of("billing/E01", Footprint.declared(globs("src/billing/**")));
    Decision d = FootprintGate.choose(List.of(declared("billing/E02", "src/billing/Invoice.java")), running, 3,
        FootprintMode.PREFER);
    assertThat(d.start()).isEmpty();
    assertThat(d.held()).containsOnlyKeys("billing/E02");
    assertThat(d.held().get("billing/E02").otherTaskId()).isEqualTo("billing/E01");
    assertThat(d.held().get("billing/E02").overlap().declared()).isTrue();
    assertThat(d.held().get("billing/E02").overlap().shared().text()).isEqualTo("src/billing/Invoice.java");
  }

  @Test
  void preferPassesOverAnOverlappingTaskForOneThatOverlapsNothing() {
    Map<String, Footprint> running = Map.of("a/E01", Footprint.NONE.withObserved(globs("src/a/A.java")));
    Decision d = FootprintGate.choose(List.of(predicted("a/E02", "src/a/"), predicted("b/E01", "src/b/")), running, 1,
        FootprintMode.PREFER);
    assertThat(d.start()).containsExactly("b/E01");
    assertThat(d.held()).containsOnlyKeys("a/E02");
  }

  @Test
  void preferStartsOneOverlappingTaskWhenNothingElseIsReady() {
    Map<String, Footprint> running = Map.of("a/E01", Footprint.NONE.withPredicted(globs("src/a/")));
    Decision d = FootprintGate.choose(List.of(predicted("a/E02", "src/a/x"), predicted("a/E03", "src/a/y")), running,
        3, FootprintMode.PREFER);
    assertThat(d.start()).containsExactly("a/E02");
    assertThat(d.held()).containsOnlyKeys("a/E03");
  }

  @Test
  void preferStartsNoSecondOverlappingPairWhileOneRuns() {
    Map<String, Footprint> running = Map.of(
        "a/E01", Footprint.NONE.withPredicted(globs("src/a/")),
        "a/E02", Footprint.NONE.withPredicted(globs("src/a/x")));
    Decision d = FootprintGate.choose(List.of(predicted("a/E03", "src/a/y")), running, 2, FootprintMode.PREFER);
    assertThat(d.start()).isEmpty();
    assertThat(d.held()).containsOnlyKeys("a/E03");
  }

  @Test
  void strictHoldsEveryOverlapHoweverItIsKnown() {
    Map<String, Footprint> running = Map.of("a/E01", Footprint.NONE.withObserved(globs("src/a/A.java")));
    Decision d = FootprintGate.choose(List.of(predicted("a/E02", "src/a/"), predicted("b/E01", "src/b/")), running, 3,
        FootprintMode.STRICT);
    assertThat(d.start()).containsExactly("b/E01");
    assertThat(d.held()).containsOnlyKeys("a/E02");
  }

  @Test
  void tasksChosenInOneRoundKeepEachOtherApart() {
    Decision d = FootprintGate.choose(List.of(declared("a", "pom.xml"), declared("b", "**/pom.xml"), declared("c", "x")),
        Map.of(), 3, FootprintMode.STRICT);
    assertThat(d.start()).containsExactly("a", "c");
    assertThat(d.held().get("b").otherTaskId()).isEqualTo("a");
  }

  @Test
  void tasksWithoutAFootprintOverlapNothing() {
    Decision d = FootprintGate.choose(List.of(new Candidate("a", Footprint.NONE), new Candidate("b", Footprint.NONE)),
        Map.of("c", Footprint.declared(globs("**"))), 2, FootprintMode.STRICT);
    assertThat(d.start()).containsExactly("a", "b");
  }
}
