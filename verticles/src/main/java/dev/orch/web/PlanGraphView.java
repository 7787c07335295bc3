package dev.orch.web;

import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan as nodes and edges for the dashboard's graph, with its critical path: the longest chain of unfinished
 * tasks, each depending on the one before, which bounds how soon the plan can be done however many agents run.
 */
final class PlanGraphView {
  private PlanGraphView() {
  }

  static JsonObject of(List<TaskView> tasks) {
    Map<String, TaskView> byId = new LinkedHashMap<>();
    tasks.stream().filter(t -> t.status() != TaskStatus.REMOVED).forEach(t -> byId.put(t.id(), t));
    JsonArray nodes = new JsonArray();
    JsonArray edges = new JsonArray();
    for (TaskView task : byId.values()) {
      nodes.add(new JsonObject().put("id", task.id()).put("title", task.title()).put("module", task.module())
          .put("status", task.status().wire()).put("ready", task.ready()));
      for (String dependency : task.dependsOn()) {
        if (byId.containsKey(dependency)) {
          edges.add(new JsonObject().put("from", dependency).put("to", task.id()));
        }
      }
    }
    return new JsonObject().put("nodes", nodes).put("edges", edges).put("critical_path", new JsonArray(criticalPath(byId)));
  }

  /** Longest path over unfinished tasks in dependency order (Kahn's order, so tasks caught in a cycle are skipped). */
  static List<String> criticalPath(Map<String, TaskView> byId) {
    Map<String, List<String>> dependants = new HashMap<>();
    Map<String, Integer> waiting = new HashMap<>();
    for (TaskView task : byId.values()) {
      if (unfinished(task)) {
        int count = 0;
        for (String dependency : task.dependsOn()) {
          TaskView before = byId.get(dependency);
          if (before != null && unfinished(before)) {
            dependants.computeIfAbsent(dependency, d -> new ArrayList<>()).add(task.id());
            count++;
          }
        }
        waiting.put(task.id(), count);
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    waiting.forEach((id, count) -> {
      if (count == 0) {
        ready.add(id);
      }
    });
    Map<String, Integer> length = new HashMap<>();
    Map<String, String> previous = new HashMap<>();
    String end = null;
    while (!ready.isEmpty()) {
      String id = ready.poll();
      int here = length.getOrDefault(id, 1);
      length.put(id, here);
      if (end == null || here > length.get(end)) {
        end = id;
      }
      for (String next : dependants.getOrDefault(id, List.of())) {
        if (here + 1 > length.getOrDefault(next, 1)) {
          length.put(next, here + 1);
          previous.put(next, id);
        }
        if (waiting.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    List<String> path = new ArrayList<>();
    for (String at = end; at != null; at = previous.get(at)) {
      path.add(at);
    }
    Collections.reverse(path);
    return path;
  }

  private static boolean unfinished(TaskView task) {
    return task.status() != TaskStatus.COMPLETE && task.status() != TaskStatus.REMOVED;
  }
}
