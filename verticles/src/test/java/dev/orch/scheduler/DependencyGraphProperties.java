package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import dev.orch.parser.DependencyResolver;
import dev.orch.parser.ParsedFile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random dependency graphs through the real resolver, sync planner and readiness rule. */
class DependencyGraphProperties {

  /** A random plan: tasks in a few modules, random explicit dependencies (cycles welcome), random plan statuses. */
  record Graph(List<ParsedFile> files) {
    @Override
    public String toString() {
      return files.stream().map(f -> f.id() + "->" + f.dependencies().stream().map(d -> d.id().toString()).toList()
          + (f.planStatus() == null ? "" : ":" + f.planStatus().wire())).collect(Collectors.joining(" "));
    }
  }

  @Provide
  Arbitrary<Graph> graphs() {
    return Combinators.combine(Arbitraries.integers().between(1, 30), Arbitraries.integers().between(1, 4),
        Arbitraries.doubles().between(0, 0.25), Arbitraries.longs()).as((size, modules, density, seed) -> {
          Random random = new Random(seed);
          List<TaskId> ids = new ArrayList<>();
          Set<TaskId> used = new HashSet<>();
          while (ids.size() < size) {
            TaskId id = TaskId.of("m" + random.nextInt(modules), random.nextInt(60));
            if (used.add(id)) {
              ids.add(id);
            }
          }
          List<ParsedFile> files = new ArrayList<>();
          PlanStatus[] statuses = {null, PlanStatus.NOT_STARTED, PlanStatus.COMPLETE, PlanStatus.IN_PROGRESS};
          for (TaskId id : ids) {
            List<ParsedFile.Dependency> deps = new ArrayList<>();
            for (TaskId other : ids) {
              if (random.nextDouble() < density) {
                deps.add(new ParsedFile.Dependency(other, 2));
              }
            }
            files.add(new ParsedFile("docs/plans/" + id.module() + "/epic-" + id.number() + ".md", ParsedFile.Kind.TASK, id,
                "t", Priority.MEDIUM, deps, false, statuses[random.nextInt(statuses.length)], 0, 0, List.of(), "", List.of(), false,
                List.of(), List.of()));
          }
          return new Graph(files);
        });
  }

  @Property(tries = 300)
  void everyTaskOnACycleIsFoundAndNoOtherIsBlocked(@ForAll("graphs") Graph graph) {
    Map<TaskId, Set<TaskId>> edges = expectedEdges(graph.files());
    Set<TaskId> expected = edges.keySet().stream().filter(id -> reachesItselfWithoutSelfLoop(id, edges))
        .collect(Collectors.toSet());
    Set<TaskId> selfLoops = graph.files().stream()
        .filter(f -> f.dependencies().stream().anyMatch(d -> d.id().equals(f.id())))
        .map(ParsedFile::id).collect(Collectors.toSet());

    var resolution = DependencyResolver.resolve(graph.files());
    Set<TaskId> blockedByCycle = resolution.tasks().stream()
        .filter(t -> t.blockedReason() != null && t.blockedReason().contains("dependency cycle"))
        .map(TaskSpec::taskId).collect(Collectors.toSet());
    assertThat(blockedByCycle).isEqualTo(expected);
    assertThat(resolution.tasks()).filteredOn(t -> t.blockedReason() != null)
        .allSatisfy(t -> assertThat(expected.contains(t.taskId()) || selfLoops.contains(t.taskId())).isTrue());
  }

  @Property(tries = 200)
  void resultIsTheSameWhateverOrderFilesAreRead(@ForAll("graphs") Graph graph, @ForAll long seed) {
    List<ParsedFile> shuffled = new ArrayList<>(graph.files());
    Collections.shuffle(shuffled, new Random(seed));
    var a = DependencyResolver.resolve(graph.files());
    var b = DependencyResolver.resolve(shuffled);
    assertThat(b.tasks()).isEqualTo(a.tasks());
    assertThat(b.issues()).containsExactlyInAnyOrderElementsOf(a.issues());
    assertThat(readySet(b.tasks())).isEqualTo(readySet(a.tasks()));
  }

  @Property(tries = 300)
  void aReadyTaskNeverHasAnIncompleteDependency(@ForAll("graphs") Graph graph) {
    var resolution = DependencyResolver.resolve(graph.files());
    Map<String, StoredTask> stored = store(resolution.tasks());
    for (StoredTask task : stored.values()) {
      if (Readiness.isReady(task, stored)) {
        assertThat(task.status()).isEqualTo(TaskStatus.NOT_STARTED);
        assertThat(task.blockedReason()).isNull();
        assertThat(task.dependsOn()).allSatisfy(dep -> assertThat(stored.get(dep).status()).isEqualTo(TaskStatus.COMPLETE));
      }
    }
  }

  private static Set<String> readySet(List<TaskSpec> tasks) {
    Map<String, StoredTask> stored = store(tasks);
    return stored.values().stream().filter(t -> Readiness.isReady(t, stored)).map(StoredTask::id).collect(Collectors.toSet());
  }

  private static Map<String, StoredTask> store(List<TaskSpec> tasks) {
    var plan = SyncPlanner.plan(Map.of(), new PlanSnapshot("docs/plans", tasks, List.of(), Map.of(), tasks.size(), 0), 1);
    return plan.inserts().stream().collect(Collectors.toMap(StoredTask::id, t -> t));
  }

  private static Map<TaskId, Set<TaskId>> expectedEdges(List<ParsedFile> files) {
    Map<TaskId, Set<TaskId>> edges = new HashMap<>();
    Set<TaskId> ids = files.stream().map(ParsedFile::id).collect(Collectors.toSet());
    for (ParsedFile f : files) {
      Set<TaskId> out = edges.computeIfAbsent(f.id(), k -> new HashSet<>());
      f.dependencies().forEach(d -> out.add(d.id()));
      ids.stream()
          .filter(o -> o.module().equals(f.id().module()) && o.prefix().equals(f.id().prefix()) && o.number() < f.id().number())
          .max((x, y) -> Integer.compare(x.number(), y.number()))
          .ifPresent(out::add);
    }
    return edges;
  }

  /** A self-dependency is reported on its own, so only longer paths back to the start count as a cycle. */
  private static boolean reachesItselfWithoutSelfLoop(TaskId start, Map<TaskId, Set<TaskId>> edges) {
    Deque<TaskId> todo = new ArrayDeque<>();
    Set<TaskId> seen = new HashSet<>();
    edges.get(start).stream().filter(next -> !next.equals(start)).forEach(todo::add);
    while (!todo.isEmpty()) {
      TaskId at = todo.poll();
      if (at.equals(start)) {
        return true;
      }
      if (seen.add(at)) {
        todo.addAll(edges.getOrDefault(at, Set.of()));
      }
    }
    return false;
  }
}
