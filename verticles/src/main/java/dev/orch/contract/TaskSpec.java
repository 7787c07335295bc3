package dev.orch.contract;

import java.util.List;
import java.util.Map;

/**
 * A task as the plan files describe it, after dependency resolution. {@code dependsOn} holds explicit and
 * implicit dependencies, as full ids. {@code blockedReason} is set when the file or its dependencies are in
 * error; {@code planStatus} is null when neither frontmatter nor a README table says anything. {@code files} are the
 * path globs its frontmatter declares it touches, {@code mentions} those its text names in backticks.
 */
public record TaskSpec(
    String id,
    String module,
    String prefix,
    int number,
    String title,
    String file,
    Priority priority,
    List<String> dependsOn,
    boolean needsReview,
    PlanStatus planStatus,
    int criteriaDone,
    int criteriaTotal,
    List<Map<String, String>> testSummary,
    String contentHash,
    String blockedReason,
    List<String> files,
    List<String> mentions) implements BusMessage {

  public TaskSpec {
    WireJson.require("id", id);
    WireJson.require("module", module);
    WireJson.require("prefix", prefix);
    WireJson.require("title", title);
    WireJson.require("file", file);
    WireJson.require("priority", priority);
    dependsOn = WireJson.listOrEmpty(dependsOn);
    testSummary = WireJson.listOrEmpty(testSummary);
    contentHash = contentHash == null ? "" : contentHash;
    files = WireJson.listOrEmpty(files);
    mentions = WireJson.listOrEmpty(mentions);
  }

  /** A task that declares no files and names none. */
  public TaskSpec(String id, String module, String prefix, int number, String title, String file, Priority priority,
      List<String> dependsOn, boolean needsReview, PlanStatus planStatus, int criteriaDone, int criteriaTotal,
      List<Map<String, String>> testSummary, String contentHash, String blockedReason) {
    this(id, module, prefix, number, title, file, priority, dependsOn, needsReview, planStatus, criteriaDone,
        criteriaTotal, testSummary, contentHash, blockedReason, List.of(), List.of());
  }

  public TaskId taskId() {
    return new TaskId(module, prefix, number);
  }

  public TaskSpec withDependsOn(List<String> deps) {
    return new TaskSpec(id, module, prefix, number, title, file, priority, deps, needsReview, planStatus,
        criteriaDone, criteriaTotal, testSummary, contentHash, blockedReason, files, mentions);
  }

  public TaskSpec withBlockedReason(String reason) {
    return new TaskSpec(id, module, prefix, number, title, file, priority, dependsOn, needsReview, planStatus,
        criteriaDone, criteriaTotal, testSummary, contentHash, reason, files, mentions);
  }

  public TaskSpec withPlanStatus(PlanStatus status) {
    return new TaskSpec(id, module, prefix, number, title, file, priority, dependsOn, needsReview, status,
        criteriaDone, criteriaTotal, testSummary, contentHash, blockedReason, files, mentions);
  }
}
