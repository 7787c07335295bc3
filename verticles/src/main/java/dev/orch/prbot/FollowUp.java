package dev.orch.prbot;

import dev.orch.contract.FollowUpKind;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import java.util.Map;

/**
 * What the agent is asked to do next on its pull request, in the same session and worktree. Each kind names its prompt
 * template and fills its variables, and says in words what is happening. The template names and variable names must
 * match the executor's prompt library ({@code executor/PromptLibrary}), which renders them.
 */
sealed interface FollowUp {
  String CONFLICT_TEMPLATE = FollowUpKind.CONFLICT.template();
  String CHECKS_FAILED_TEMPLATE = FollowUpKind.CHECKS_FAILED.template();
  String REJECTED_TEMPLATE = FollowUpKind.REJECTED.template();

  FollowUpKind kind();

  String template();

  /** The template's variables beyond the task's id and title. */
  Map<String, String> variables(PullRequestView pr);

  /** What the agent is doing, as the pull request's reason shows it. */
  String reason();

  /** Whether it uses up one of the fix rounds a pull request gets ({@code [review] max_fix_rounds}). */
  default boolean countsAsFixRound() {
    return countsAsFixRound(kind());
  }

  /** Only red checks use up a round: a conflict is the main branch's doing, a person's request the person's. */
  static boolean countsAsFixRound(FollowUpKind kind) {
    return kind == FollowUpKind.CHECKS_FAILED;
  }

  default ResumeRequest request(PullRequestView pr) {
    Map<String, String> values = new java.util.HashMap<>(variables(pr));
    values.put("TaskID", pr.taskId().toString());
    values.put("Title", pr.taskTitle() == null ? pr.title() : pr.taskTitle());
    return ResumeRequest.withTemplate(pr.taskId(), template(), values);
  }

  /** The branch conflicts with the main branch in {@code files} (one per line). */
  record Conflict(String mainBranch, String files) implements FollowUp {
    @Override
    public FollowUpKind kind() {
      return FollowUpKind.CONFLICT;
    }

    @Override
    public String template() {
      return CONFLICT_TEMPLATE;
    }

    @Override
    public Map<String, String> variables(PullRequestView pr) {
      return Map.of("MainBranch", mainBranch, "Files", "    " + files.strip().replace("\n", "\n    "));
    }

    @Override
    public String reason() {
      return "resolving a conflict with the main branch in " + files.replace('\n', ' ');
    }
  }

  /** A check failed: a configured command here ({@code forge} false) or the forge's own checks. */
  record ChecksFailed(boolean forge, String command, String exitCode, String output, String summary, int round,
      int maxRounds) implements FollowUp {
    @Override
    public FollowUpKind kind() {
      return FollowUpKind.CHECKS_FAILED;
    }

    @Override
    public String template() {
      return CHECKS_FAILED_TEMPLATE;
    }

    @Override
    public Map<String, String> variables(PullRequestView pr) {
      return Map.of("Command", command, "ExitCode", exitCode, "Output", output, "Round", String.valueOf(round),
          "MaxRounds", String.valueOf(maxRounds));
    }

    @Override
    public String reason() {
      return (forge ? "fixing the forge's red checks: " : "fixing red checks: ") + summary;
    }
  }

  /** A person sent it back with what to change. */
  record Rejected(String why) implements FollowUp {
    @Override
    public FollowUpKind kind() {
      return FollowUpKind.REJECTED;
    }

    @Override
    public String template() {
      return REJECTED_TEMPLATE;
    }

    @Override
    public Map<String, String> variables(PullRequestView pr) {
      return Map.of("Number", String.valueOf(pr.number()), "Reason", why);
    }

    @Override
    public String reason() {
      return "changes requested by a person: " + why;
    }
  }
}
