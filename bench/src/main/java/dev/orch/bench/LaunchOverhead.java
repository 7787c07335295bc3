package dev.orch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what bench/agent-bench.sh recorded: when each task of a chain became ready (its dependency's transition to
 * complete, from orch's database) and when its agent process began (the agent's first act writes the time), and
 * compares the gap with the floor measured by the script (git worktree add, then spawning the same agent).
 * Usage: LaunchOverhead DATABASE STARTS_FILE FLOOR_FILE
 */
public final class LaunchOverhead {
  private LaunchOverhead() {
  }

  public static void main(String[] args) throws Exception {
    Path database = Path.of(args[0]);
    Map<String, Long> startedNanos = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String[] parts = line.trim().split(" ", 2);
      String worktree = Path.of(parts[1]).getFileName().toString();
      startedNanos.putIfAbsent(worktree, Long.parseLong(parts[0]));
    }
    List<Double> overhead = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database)) {
      Map<String, Long> completeAt = new HashMap<>();
      try (ResultSet rows = db.createStatement().executeQuery(
          "SELECT task_id, at FROM task_transitions WHERE to_status = 'complete' ORDER BY id")) {
        while (rows.next()) {
          completeAt.put(rows.getString(1), rows.getLong(2));
        }
      }
      for (Map.Entry<String, Long> started : startedNanos.entrySet()) {
        String worktree = started.getKey();
        int dash = worktree.lastIndexOf("-E");
        int number = Integer.parseInt(worktree.substring(dash + 2));
        String dependency = worktree.substring(0, dash) + "/E" + String.format("%02d", number - 1);
        Long readyAt = completeAt.get(dependency);
        if (readyAt != null) {
          overhead.add((started.getValue() / 1_000_000.0) - readyAt);
        }
      }
    }
    List<Double> floor = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      if (!line.isBlank()) {
        floor.add(Double.parseDouble(line.trim()));
      }
    }
    if (overhead.isEmpty() || floor.isEmpty()) {
      throw new IllegalStateException("nothing to compare: " + overhead.size() + " launches matched in " + args[1]
          + " and " + floor.size() + " floor timings in " + args[2] + " (did the stand-in agent write its start time?)");
    }
    Collections.sort(overhead);
    Collections.sort(floor);
    System.out.printf("floor: git worktree add + spawn the agent    n=%2d  min %6.1f ms  median %6.1f ms  max %6.1f ms%n",
        floor.size(), floor.get(0), median(floor), floor.get(floor.size() - 1));
    System.out.printf("orch: dependency merged -> agent started     n=%2d  min %6.1f ms  median %6.1f ms  max %6.1f ms%n",
        overhead.size(), overhead.get(0), median(overhead), overhead.get(overhead.size() - 1));
    System.out.printf("ratio of medians: %.2f (target: 1.3 or less)%n", median(overhead) / median(floor));
  }

  private static double median(List<Double> sorted) {
    return sorted.get(sorted.size() / 2);
  }
}
