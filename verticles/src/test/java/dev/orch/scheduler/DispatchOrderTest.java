package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.Priority;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchOrderTest {
  private final Map<String, StoredTask> all = new LinkedHashMap<>();

  private void task(String id, Priority priority, TaskStatus status, String... deps) {
    String module = id.substring(0, id.indexOf('/'));
    int number = Integer.parseInt(id.substring(id.indexOf("/E") + 2));
    all.put(id, new StoredTask(new TaskSpec(id, module, "E", number, id, "f/" + id, priority, Arrays.asList(deps), false,
        null, 0, 0, List.of(), "", null), status, 0, 0));
  }

  private List<String> next(int capacity) {
    return DispatchOrder.next(all, capacity, System.currentTimeMillis(), id -> true).stream().map(StoredTask::id).toList();
  }

  @Test
  void priorityThenDependantsThenModuleThenNumber() {
    task("b/E01", Priority.MEDIUM, TaskStatus.NOT_STARTED);
    task("a/E02", Priority.MEDIUM, TaskStatus.NOT_STARTED);
    task("a/E01", Priority.MEDIUM, TaskStatus.NOT_STARTED);
    task("z/E09", Priority.HIGH, TaskStatus.NOT_STARTED);
    task("c/E01", Priority.MEDIUM, TaskStatus.NOT_STARTED);
    task("d/E01", Priority.LOW, TaskStatus.NOT_STARTED, "c/E01");
    task("d/E02", Priority.LOW, TaskStatus.NOT_STARTED, "d/E01");
    assertThat(next(10)).containsExactly("z/E09", "c/E01", "a/E01", "a/E02", "b/E01");
    assertThat(next(2)).containsExactly("z/E09", "c/E01");
    assertThat(next(0)).isEmpty();
  }

  @Test
  void onlyTasksWhoseDependenciesAreCompleteAndRetriesThatAreDue() {
    task("a/E01", Priority.MEDIUM, TaskStatus.COMPLETE);
    task("a/E02", Priority.MEDIUM, TaskStatus.NOT_STARTED, "a/E01");
    task("a/E03", Priority.MEDIUM, TaskStatus.NOT_STARTED, "a/E02");
    StoredTask failed = new StoredTask(all.get("a/E01").spec().withDependsOn(List.of()), TaskStatus.FAILED, 0, 0, 1,
        System.currentTimeMillis() - 1, "boom");
    all.put("b/E01", new StoredTask(new TaskSpec("b/E01", "b", "E", 1, "b", "f", Priority.MEDIUM, List.of(), false, null, 0, 0,
        List.of(), "", null), TaskStatus.FAILED, 0, 0, 1, System.currentTimeMillis() - 1, "boom"));
    all.put("b/E02", new StoredTask(new TaskSpec("b/E02", "b", "E", 2, "b", "f", Priority.MEDIUM, List.of(), false, null, 0, 0,
        List.of(), "", null), TaskStatus.FAILED, 0, 0, 3, 0, "gave up"));
    assertThat(failed.retryDue(System.currentTimeMillis())).isTrue();
    assertThat(next(10)).containsExactly("a/E02", "b/E01");
  }

  @Test
  void retryBackoffDoublesUpToTheCap() {
    RetryPolicy policy = new RetryPolicy(2, Duration.ofSeconds(30), Duration.ofMinutes(2));
    assertThat(policy.mayRetry(1)).isTrue();
    assertThat(policy.mayRetry(2)).isTrue();
    assertThat(policy.mayRetry(3)).isFalse();
    assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofMinutes(2));
    assertThat(policy.delayAfter(30)).isEqualTo(Duration.ofMinutes(2));
  }
}
