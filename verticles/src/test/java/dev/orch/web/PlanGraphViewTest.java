package dev.orch.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.Priority;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanGraphViewTest {
  private static TaskView task(String id, TaskStatus status, String... dependsOn) {
    String module = id.substring(0, id.indexOf('/'));
    return new TaskView(id, module, "E", Integer.parseInt(id.substring(id.indexOf('/') + 2)), "title of " + id, status,
        Priority.MEDIUM, List.of(dependsOn), false, null, "docs/plans/" + id + ".md", false, 0, 1, 0, 0, 0, null);
  }

  @Test
  void theCriticalPathIsTheLongestChainOfUnfinishedTasks() {
    List<TaskView> plan = List.of(
        task("a/E01", TaskStatus.COMPLETE),
        task("a/E02", TaskStatus.RUNNING, "a/E01"),
        task("a/E03", TaskStatus.NOT_STARTED, "a/E02"),
        task("a/E04", TaskStatus.NOT_STARTED, "a/E03"),
        task("b/E01", TaskStatus.NOT_STARTED),
        task("b/E02", TaskStatus.NOT_STARTED, "b/E01", "a/E02"),
        task("c/E01", TaskStatus.REMOVED));
    JsonObject graph = PlanGraphView.of(plan);
    assertThat(graph.getJsonArray("critical_path")).containsExactly("a/E02", "a/E03", "a/E04");
    assertThat(graph.getJsonArray("nodes")).hasSize(6);
    assertThat(graph.getJsonArray("edges")).hasSize(5);
  }

  @Test
  void tasksInACycleDoNotHangItAndAFinishedPlanHasNoPath() {
    assertThat(PlanGraphView.of(List.of(task("a/E01", TaskStatus.BLOCKED, "a/E02"),
        task("a/E02", TaskStatus.BLOCKED, "a/E01"), task("a/E03", TaskStatus.NOT_STARTED)))
        .getJsonArray("critical_path")).containsExactly("a/E03");
    assertThat(PlanGraphView.of(List.of(task("a/E01", TaskStatus.COMPLETE))).getJsonArray("critical_path")).isEmpty();
  }
}
