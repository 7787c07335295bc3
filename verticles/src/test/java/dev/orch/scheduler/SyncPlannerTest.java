package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {

  private static TaskSpec spec(String id, PlanStatus planStatus) {
    String module = id.substring(0, id.indexOf('/'));
    int number = Integer.parseInt(id.substring(id.indexOf("/E") + 2));
    return new TaskSpec(id, module, "E", number, "T " + id, "docs/plans/" + id + ".md", Priority.MEDIUM, List.of(), false,
        planStatus, 0, 0, List.of(), "h", null);
  }

  private static StoredTask stored(String id, TaskStatus status) {
    return new StoredTask(spec(id, null), status, 1, 1);
  }

  private static PlanSnapshot snapshot(List<TaskSpec> tasks, List<PlanIssue> errors) {
    return new PlanSnapshot("docs/plans", tasks, errors, Map.of(), tasks.size(), 1);
  }

  @Test
  void liveRunKeepsItsStateAndTheDisagreementIsReported() {
    var plan = SyncPlanner.plan(Map.of("m/E01", stored("m/E01", TaskStatus.RUNNING)),
        snapshot(List.of(spec("m/E01", PlanStatus.COMPLETE)), List.of()), 5);
    assertThat(plan.updates()).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo(TaskStatus.RUNNING));
    assertThat(plan.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.kept()).isEqualTo(TaskStatus.RUNNING);
      assertThat(c.reason()).contains("run is live");
    });
    assertThat(plan.transitions()).isEmpty();
  }

  @Test
  void failedTaskAgreesWithANotStartedPlan() {
    var plan = SyncPlanner.plan(Map.of("m/E01", new StoredTask(spec("m/E01", PlanStatus.NOT_STARTED), TaskStatus.FAILED, 1, 1)),
        snapshot(List.of(spec("m/E01", PlanStatus.NOT_STARTED)), List.of()), 5);
    assertThat(plan.unchanged()).isEqualTo(1);
    assertThat(plan.conflicts()).isEmpty();
  }

  @Test
  void fileThatBecameUnreadableBlocksItsTaskInsteadOfRemovingIt() {
    var plan = SyncPlanner.plan(Map.of("m/E01", stored("m/E01", TaskStatus.NOT_STARTED)),
        snapshot(List.of(), List.of(PlanIssue.of("docs/plans/m/E01.md", 2, "malformed YAML frontmatter: x"))), 5);
    assertThat(plan.removed()).isZero();
    assertThat(plan.updates()).singleElement().satisfies(t -> {
      assertThat(t.status()).isEqualTo(TaskStatus.BLOCKED);
      assertThat(t.blockedReason()).isEqualTo("docs/plans/m/E01.md:2: malformed YAML frontmatter: x");
    });
  }

  @Test
  void liveTaskWhosFileVanishedIsKeptAndReported() {
    var plan = SyncPlanner.plan(Map.of("m/E01", stored("m/E01", TaskStatus.IN_REVIEW)), snapshot(List.of(), List.of()), 5);
    assertThat(plan.removed()).isZero();
    assertThat(plan.updates()).isEmpty();
    assertThat(plan.conflicts()).singleElement().satisfies(c -> assertThat(c.reason()).contains("is gone"));
  }
}
