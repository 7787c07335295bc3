package dev.orch.notifier;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Something people are told about: what happened, to which task, with a link and the money it cost where known. */
record Notice(Kind kind, String taskId, String title, String text, String link, double costUsd) {

  enum Kind {
    TASK_COMPLETE("good"), TASK_FAILED("danger"), TASK_STUCK("danger"), PR_FLAGGED("warning"), BATCH_FINISHED("#439FE0"),
    PLAN_PARKED("warning"), PLAN_RESUMED("good");

    /** The colour of a Slack attachment's bar. */
    final String colour;

    Kind(String colour) {
      this.colour = colour;
    }

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static List<String> names() {
      return Arrays.stream(values()).map(Kind::wire).toList();
    }

    static Kind fromWire(String text, String key) {
      for (Kind kind : values()) {
        if (kind.wire().equals(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(key + ": unknown event '" + text + "' (one of " + String.join(", ", names()) + ")");
    }
  }

  /** One line: the headline of a desktop notification and of a Slack message. */
  String headline() {
    return switch (kind) {
      case TASK_COMPLETE -> "orch: " + taskId + " complete";
      case TASK_FAILED -> "orch: " + taskId + " failed";
      case TASK_STUCK -> "orch: " + taskId + " is stuck";
      case PR_FLAGGED -> "orch: " + taskId + " needs a review";
      case BATCH_FINISHED -> "orch: batch " + title + " finished";
      case PLAN_PARKED -> "orch: the plan is parked by a model API limit";
      case PLAN_RESUMED -> "orch: agents start again after a model API limit";
    };
  }
}
