package dev.orch.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.footprint.ModuleHistory.Merge;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ModuleHistoryTest {

  @Test
  void aTaskIsPredictedToTouchWhatItsModulesMergedTasksChangedNewestFirst() {
    ModuleHistory history = new ModuleHistory(10);
    history.record(new Merge("billing", "billing/E01", 100, List.of("src/billing/Invoice.java", "pom.xml")));
    history.record(new Merge("billing", "billing/E02", 200, List.of("src/billing/Tax.java", "pom.xml")));
    history.record(new Merge("shipping", "shipping/E01", 300, List.of("src/shipping/Parcel.java")));

    assertThat(history.predictedFor("billing", "billing/E03"))
        .containsExactly("src/billing/Tax.java", "pom.xml", "src/billing/Invoice.java");
    assertThat(history.predictedFor("shipping", "shipping/E02")).containsExactly("src/shipping/Parcel.java");
    assertThat(history.predictedFor("docs", "docs/E01")).isEmpty();
  }

  @Test
  void aTasksOwnMergeIsNoPredictionForItAndAMergeAgainReplacesIt() {
    ModuleHistory history = new ModuleHistory(10);
    history.record(new Merge("billing", "billing/E01", 100, List.of("a.txt")));
    history.record(new Merge("billing", "billing/E02", 200, List.of("b.txt")));

    assertThat(history.predictedFor("billing", "billing/E01")).containsExactly("b.txt");

    history.record(new Merge("billing", "billing/E01", 300, List.of("c.txt")));
    assertThat(history.predictedFor("billing", "billing/E03")).containsExactly("c.txt", "b.txt");
  }

  @Test
  void onlyTheMostRecentPathsOfAModuleAreKept() {
    ModuleHistory history = new ModuleHistory(3);
    IntStream.rangeClosed(1, 6).forEach(i ->
        history.record(new Merge("m", "m/E0" + i, i, List.of("f" + i + "a", "f" + i + "b"))));

    assertThat(history.predictedFor("m", "m/E09")).containsExactly("f6a", "f6b", "f5a");
    assertThat(history.predictedFor("m", "m/E06")).as("its own merge skipped, the older ones still there")
        .containsExactly("f5a", "f5b", "f4a");
  }

  @Test
  void loadingInAnyOrderGivesTheSameNewestFirst() {
    ModuleHistory forwards = new ModuleHistory(5);
    ModuleHistory backwards = new ModuleHistory(5);
    List<Merge> merges = List.of(new Merge("m", "m/E01", 1, List.of("one")), new Merge("m", "m/E02", 2, List.of("two")),
        new Merge("m", "m/E03", 3, List.of("three")));
    merges.forEach(forwards::record);
    for (int i = merges.size() - 1; i >= 0; i--) {
      backwards.record(merges.get(i));
    }

    assertThat(backwards.predictedFor("m", "m/E04")).isEqualTo(forwards.predictedFor("m", "m/E04"))
        .containsExactly("three", "two", "one");
  }

  @Test
  void aMergeThatChangedNothingReadableIsNotKeptAndTheCapMustBePositive() {
    ModuleHistory history = new ModuleHistory(2);
    history.record(new Merge("m", "m/E01", 1, List.of()));
    assertThat(history.predictedFor("m", "m/E02")).isEmpty();
    assertThatThrownBy(() -> new ModuleHistory(0)).hasMessageContaining("perModule");
  }

  @Test
  void aPredictionFromTheModuleDefersATaskInPreferButNeverForbidsIt() {
    ModuleHistory history = new ModuleHistory(5);
    history.record(new Merge("billing", "billing/E01", 1, List.of("src/billing/Invoice.java")));
    Footprint e03 = Footprint.NONE.withPredicted(history.predictedFor("billing", "billing/E03").stream()
        .map(PathGlob::parse).toList());
    Map<String, Footprint> running = Map.of("billing/E02",
        Footprint.declared(List.of(PathGlob.parse("src/billing/**"))));

    FootprintGate.Decision alone = FootprintGate.choose(List.of(new FootprintGate.Candidate("billing/E03", e03)),
        running, 2, FootprintMode.PREFER);
    FootprintGate.Decision strict = FootprintGate.choose(List.of(new FootprintGate.Candidate("billing/E03", e03)),
        running, 2, FootprintMode.STRICT);

    assertThat(alone.start()).as("nothing else to start: it goes").containsExactly("billing/E03");
    assertThat(strict.start()).isEmpty();
    assertThat(strict.held().get("billing/E03").overlap().shared().text()).isEqualTo("src/billing/Invoice.java");
  }
}
