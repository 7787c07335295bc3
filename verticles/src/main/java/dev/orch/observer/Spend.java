package dev.orch.observer;

import dev.orch.contract.SpendSummary;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/** Dollars spent per task and per day, seeded from the executor's stored runs and kept up to date from results. */
final class Spend {
  private final Map<String, Double> byTask = new HashMap<>();
  private LocalDate day;
  private double today;
  private double total;
  private long inputTokens;
  private long outputTokens;

  Spend(SpendSummary seed, LocalDate day) {
    this.day = day;
    if (seed != null) {
      byTask.putAll(seed.byTaskUsd());
      today = seed.todayUsd();
      total = seed.totalUsd();
      inputTokens = seed.inputTokens();
      outputTokens = seed.outputTokens();
    }
  }

  void add(String taskId, double usd, LocalDate now) {
    rollOver(now);
    byTask.merge(taskId, usd, Double::sum);
    today += usd;
    total += usd;
  }

  double ofTask(String taskId) {
    return byTask.getOrDefault(taskId, 0.0);
  }

  double today(LocalDate now) {
    rollOver(now);
    return today;
  }

  SpendSummary summary() {
    return new SpendSummary(today, total, byTask, inputTokens, outputTokens);
  }

  private void rollOver(LocalDate now) {
    if (!now.equals(day)) {
      day = now;
      today = 0;
    }
  }
}
