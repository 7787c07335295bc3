package dev.orch.parser;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns the parsed task files of a whole plan into tasks with their dependencies, and finds what is wrong
 * between files: two files claiming one id, unknown and self dependencies, cycles (reported whole). Within one
 * module and prefix, a task implicitly depends on the highest existing lower number (unless it says
 * {@code standalone: true}). A task with any problem is
 * kept, with the reason it is blocked.
 */
public final class DependencyResolver {

  public record Resolution(List<TaskSpec> tasks, List<PlanIssue> issues) {
  }

  private final Map<TaskId, ParsedFile> byId = new TreeMap<>();
  private final Map<TaskId, Map<TaskId, Integer>> edges = new HashMap<>();
  private final Map<TaskId, List<String>> blocked = new HashMap<>();
  private final List<PlanIssue> issues = new ArrayList<>();

  private DependencyResolver() {
  }

  public static Resolution resolve(List<ParsedFile> taskFiles) {
    return new DependencyResolver().run(taskFiles);
  }

  private Resolution run(List<ParsedFile> taskFiles) {
    List<ParsedFile> sorted = taskFiles.stream().sorted(Comparator.comparing(ParsedFile::file)).toList();
    indexAndFindDuplicates(sorted);
    byId.values().forEach(file -> file.issues().forEach(issue -> {
      issues.add(issue);
      block(file.id(), describeInFile(issue));
    }));
    addImplicitDependencies();
    addExplicitDependencies();
    findCycles();
    List<TaskSpec> tasks = byId.values().stream().map(this::toSpec).toList();
    issues.sort(Comparator.comparing(PlanIssue::file).thenComparingInt(PlanIssue::line));
    return new Resolution(tasks, List.copyOf(issues));
  }

  private void indexAndFindDuplicates(List<ParsedFile> sorted) {
    Map<TaskId, List<ParsedFile>> claims = new LinkedHashMap<>();
    for (ParsedFile file : sorted) {
      claims.computeIfAbsent(file.id(), k -> new ArrayList<>()).add(file);
    }
    claims.forEach((id, files) -> {
      byId.put(id, files.get(0));
      edges.put(id, new LinkedHashMap<>());
      if (files.size() > 1) {
        String all = files.stream().map(ParsedFile::file).collect(Collectors.joining(" and "));
        for (ParsedFile file : files) {
          String others = files.stream().filter(f -> f != file).map(ParsedFile::file).collect(Collectors.joining(", "));
          issues.add(new PlanIssue(file.file(), 0, id, "task id " + id + " is also claimed by " + others));
        }
        block(id, "two files claim " + id + ": " + all);
      }
    });
  }

  private void addImplicitDependencies() {
    Map<String, List<TaskId>> sequences = new HashMap<>();
    byId.keySet().forEach(id -> sequences.computeIfAbsent(id.module() + "/" + id.prefix(), k -> new ArrayList<>()).add(id));
    for (List<TaskId> sequence : sequences.values()) {
      sequence.sort(Comparator.comparingInt(TaskId::number));
      for (int i = 1; i < sequence.size(); i++) {
        if (!byId.get(sequence.get(i)).standalone()) {
          edges.get(sequence.get(i)).put(sequence.get(i - 1), 0);
        }
      }
    }
  }

  private void addExplicitDependencies() {
    byId.forEach((id, file) -> {
      for (ParsedFile.Dependency dep : file.dependencies()) {
        if (dep.id().equals(id)) {
          report(file, dep.line(), id, id + " depends on itself");
        } else if (!byId.containsKey(dep.id())) {
          report(file, dep.line(), id, "depends on unknown task " + dep.id());
        } else {
          edges.get(id).putIfAbsent(dep.id(), dep.line());
        }
      }
    });
  }

  private void findCycles() {
    for (List<TaskId> component : stronglyConnectedComponents()) {
      if (component.size() < 2) {
        continue;
      }
      Set<TaskId> members = Set.copyOf(component);
      TaskId start = component.stream().min(Comparator.naturalOrder()).orElseThrow();
      List<TaskId> cycle = shortestCycle(start, members);
      String path = cycle.stream().map(TaskId::toString).collect(Collectors.joining(" -> "));
      ParsedFile startFile = byId.get(start);
      int line = edges.get(start).getOrDefault(cycle.get(1), 0);
      String others = component.size() > cycle.size() - 1
          ? " (also caught in it: " + component.stream().filter(id -> !cycle.contains(id)).sorted()
              .map(TaskId::toString).collect(Collectors.joining(", ")) + ")"
          : "";
      issues.add(new PlanIssue(startFile.file(), line, start, "dependency cycle: " + path + others));
      for (TaskId member : component) {
        block(member, "dependency cycle: " + path + others);
      }
    }
  }

  private List<TaskId> shortestCycle(TaskId start, Set<TaskId> members) {
    Map<TaskId, TaskId> cameFrom = new HashMap<>();
    Deque<TaskId> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      TaskId current = queue.poll();
      for (TaskId next : sortedTargets(current)) {
        if (!members.contains(next)) {
          continue;
        }
        if (next.equals(start)) {
          List<TaskId> path = new ArrayList<>();
          for (TaskId at = current; at != null; at = cameFrom.get(at)) {
            path.add(0, at);
          }
          path.add(start);
          return path;
        }
        if (!cameFrom.containsKey(next) && !next.equals(start)) {
          cameFrom.put(next, current);
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException("no cycle through " + start);
  }

  private List<TaskId> sortedTargets(TaskId id) {
    return edges.get(id).keySet().stream().sorted().toList();
  }

  /** Tarjan's algorithm, iterative so a long chain of dependencies cannot overflow the stack. */
  private List<List<TaskId>> stronglyConnectedComponents() {
    Map<TaskId, Integer> index = new HashMap<>();
    Map<TaskId, Integer> low = new HashMap<>();
    Set<TaskId> onStack = new LinkedHashSet<>();
    Deque<TaskId> stack = new ArrayDeque<>();
    List<List<TaskId>> result = new ArrayList<>();
    int counter = 0;
    for (TaskId root : byId.keySet()) {
      if (index.containsKey(root)) {
        continue;
      }
      Deque<Object[]> work = new ArrayDeque<>();
      work.push(new Object[] {root, sortedTargets(root), 0});
      index.put(root, counter);
      low.put(root, counter++);
      stack.push(root);
      onStack.add(root);
      while (!work.isEmpty()) {
        Object[] frame = work.peek();
        TaskId node = (TaskId) frame[0];
        @SuppressWarnings("unchecked")
        List<TaskId> targets = (List<TaskId>) frame[1];
        int next = (Integer) frame[2];
        if (next < targets.size()) {
          frame[2] = next + 1;
          TaskId target = targets.get(next);
          if (!index.containsKey(target)) {
            index.put(target, counter);
            low.put(target, counter++);
            stack.push(target);
            onStack.add(target);
            work.push(new Object[] {target, sortedTargets(target), 0});
          } else if (onStack.contains(target)) {
            low.put(node, Math.min(low.get(node), index.get(target)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          TaskId parent = (TaskId) work.peek()[0];
          low.put(parent, Math.min(low.get(parent), low.get(node)));
        }
        if (low.get(node).equals(index.get(node))) {
          List<TaskId> component = new ArrayList<>();
          TaskId member;
          do {
            member = stack.pop();
            onStack.remove(member);
            component.add(member);
          } while (!member.equals(node));
          result.add(component);
        }
      }
    }
    return result;
  }

  private void report(ParsedFile file, int line, TaskId id, String message) {
    PlanIssue issue = new PlanIssue(file.file(), line, id, message);
    issues.add(issue);
    block(id, describeInFile(issue));
  }

  private static String describeInFile(PlanIssue issue) {
    return issue.message() + " (" + issue.file() + (issue.line() > 0 ? ":" + issue.line() : "") + ")";
  }

  private void block(TaskId id, String reason) {
    List<String> reasons = blocked.computeIfAbsent(id, k -> new ArrayList<>());
    if (!reasons.contains(reason)) {
      reasons.add(reason);
    }
  }

  private TaskSpec toSpec(ParsedFile file) {
    TaskId id = file.id();
    List<String> deps = edges.get(id).keySet().stream().map(TaskId::toString).toList();
    List<String> reasons = blocked.get(id);
    return new TaskSpec(id.toString(), id.module(), id.prefix(), id.number(), file.title(), file.file(), file.priority(),
        deps, file.needsReview(), file.planStatus(), file.criteriaDone(), file.criteriaTotal(), file.testSummary(),
        file.contentHash(), reasons == null ? null : String.join("; ", reasons), file.files(), file.mentions());
  }
}
