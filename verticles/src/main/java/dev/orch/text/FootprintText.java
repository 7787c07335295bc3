package dev.orch.text;

import dev.orch.contract.TaskView;

/** Why a ready task waits for another's files, in the words every surface uses. */
public final class FootprintText {
  private FootprintText() {
  }

  /** "waits: shares src/billing/** with billing/E03", or null when nothing holds the task back. */
  public static String waits(TaskView task) {
    if (task.heldBy() == null) {
      return null;
    }
    return "waits: shares " + Printable.line(task.sharedFiles()) + " with " + task.heldBy();
  }
}
