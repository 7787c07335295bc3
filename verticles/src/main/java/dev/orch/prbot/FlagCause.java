package dev.orch.prbot;

import java.nio.file.Path;

/**
 * Why a pull request needs a person. The pipeline decides on the kind; {@link #reason()} is the sentence the pull
 * request shows (and the notifier sends), rendered here only.
 */
sealed interface FlagCause {
  String reason();

  /** Review routing matched (or the branch carries secret-looking files, which are then never pushed). */
  record NeedsReview(String matched, boolean keptLocal) implements FlagCause {
    @Override
    public String reason() {
      return "review needed: " + matched + (keptLocal ? " (kept local: orch does not push such a branch)" : "");
    }
  }

  record ChecksStillFail(boolean forge, int rounds, String summary) implements FlagCause {
    @Override
    public String reason() {
      return (forge ? "the forge's checks" : "checks") + " still fail after " + rounds + " fix round"
          + (rounds == 1 ? "" : "s") + ": " + summary;
    }
  }

  record StillConflicts(String mainBranch, String files) implements FlagCause {
    @Override
    public String reason() {
      return "it still conflicts with " + mainBranch + " after the agent's attempt: " + files.replace('\n', ' ');
    }
  }

  /** The agent's run on feedback did not succeed; {@code outcome} is its reason or status. */
  record AgentGaveUp(String outcome) implements FlagCause {
    @Override
    public String reason() {
      return "the agent could not address the feedback: " + outcome;
    }
  }

  /**
   * orch stopped before the agent started on what a person asked for, which lived only in that request; {@code request}
   * is the pull request's reason as it was shown.
   */
  record RequestNotTakenUp(String request) implements FlagCause {
    @Override
    public String reason() {
      return "orch stopped before the agent started on it (" + request + "); send the changes back again";
    }
  }

  record WorktreeGone(Path worktree) implements FlagCause {
    @Override
    public String reason() {
      return "its worktree " + worktree + " is gone";
    }
  }

  /** The forge cannot merge it as it is (a conflict at merge time, a refused merge); {@code why} is the forge's word. */
  record MergeRefused(String why) implements FlagCause {
    @Override
    public String reason() {
      return why;
    }
  }

  /** Something failed that waiting will not fix; {@code doing} says what orch was doing. */
  record Failed(String doing, String error) implements FlagCause {
    static final String READING_BRANCH = "could not read the updated branch";
    static final String HANDING_OVER = "could not hand the feedback to the agent";
    static final String MERGING = "merge failed";
    static final String PROCESSING = "orch could not process it";

    @Override
    public String reason() {
      return doing + ": " + error;
    }
  }
}
