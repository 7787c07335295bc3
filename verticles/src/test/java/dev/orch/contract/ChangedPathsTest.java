package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChangedPathsTest {

  @Test
  void onlyNormalisedRelativePathsWithoutGlobCharactersPass() {
    assertThat(ChangedPaths.problem("src/billing/Invoice.java")).isEmpty();
    assertThat(ChangedPaths.problem(".github/workflows/ci.yml")).isEmpty();
    assertThat(List.of("", "/etc/passwd", "../outside", "src/../../x", "./src/a", "src//a", "src/a/", "src\\a",
        "src/*.java", "src/a?.java", "src/a\nb", "x".repeat(ChangedPaths.MAX_LENGTH + 1)))
        .allSatisfy(bad -> assertThat(ChangedPaths.problem(bad)).as(bad).isPresent());
  }

  @Test
  void keepingDropsWhatIsInvalidAndRepeatedAndStopsAtTheBound() {
    List<String> raw = new ArrayList<>(List.of("a.txt", "../x", "a.txt", "b.txt"));
    assertThat(ChangedPaths.keepValid(raw)).containsExactly("a.txt", "b.txt");

    List<String> many = IntStream.range(0, ChangedPaths.MAX_PATHS + 5).mapToObj(i -> "f" + i).toList();
    assertThat(ChangedPaths.keepValid(many)).hasSize(ChangedPaths.MAX_PATHS).startsWith("f0");
  }

  @Test
  void aMergedEventWithABadPathIsRefusedNamingTheFieldAndTheEntry() {
    PullRequestView pr = new PullRequestView(1, TaskId.parseFull("app/E01"), 1, "orch/app-E01", "X", "body",
        PrState.MERGED, null, "abc", "def", 1, 1, 0, "", 0, 0, 0, 0, null, 0, List.of(), null, null, null, 0);
    assertThat(PullRequestView.fromJson(pr.toJson().put("changed_paths", new JsonArray().add("src/a.txt"))).changedPaths())
        .containsExactly("src/a.txt");

    assertThatThrownBy(() -> PullRequestView.fromJson(pr.toJson().put("changed_paths",
        new JsonArray().add("src/a.txt").add("../../etc/passwd"))))
        .isInstanceOf(OrchException.class).hasMessageContaining("changed_paths").hasMessageContaining("entry 1");
    JsonArray tooMany = new JsonArray();
    IntStream.range(0, ChangedPaths.MAX_PATHS + 1).forEach(i -> tooMany.add("f" + i));
    assertThatThrownBy(() -> PullRequestView.fromJson(pr.toJson().put("changed_paths", tooMany)))
        .isInstanceOf(OrchException.class).hasMessageContaining("at most " + ChangedPaths.MAX_PATHS);
  }
}
