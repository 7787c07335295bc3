package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.executor.PromptLibrary;
import dev.orch.executor.SelfMergeInstructions;
import java.io.PrintWriter;

/**
 * Said when agents are about to run: a prompt override copied from the reference project that tells the agent to push
 * or merge by itself, which would bypass orch's checks and review.
 */
final class PromptOverrideWarnings {
  private PromptOverrideWarnings() {
  }

  static void print(OrchConfig config, PrintWriter err) {
    PromptLibrary library = new PromptLibrary(config.prompts().folders());
    SelfMergeInstructions.warnings(library).forEach(warning -> err.println("warning: " + warning));
    err.flush();
  }
}
