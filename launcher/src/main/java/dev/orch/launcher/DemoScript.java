package dev.orch.launcher;

import dev.orch.scripted.ScriptBook;

/** What the scripted model does for each task of the demo plan: write the files the plan asks for, and commit. */
final class DemoScript {
  private DemoScript() {
  }

  static ScriptBook book() {
    return new ScriptBook()
        .on("docs/plans/core/epic-01-greeting.md", ScriptBook.writeAndCommit("core/greeting.txt", "Hello, world!\n",
            "core/E01: add the greeting", "Added core/greeting.txt with the greeting and committed it."))
        .on("docs/plans/core/epic-02-farewell.md", ScriptBook.writeAndCommit("core/farewell.txt", "Goodbye!\n",
            "core/E02: add the farewell", "Added core/farewell.txt with the farewell and committed it."))
        .on("docs/plans/cli/epic-01-entrypoint.md", ScriptBook.writeAndCommit("cli/greet.sh",
            "#!/bin/sh\n# Prints the greeting, then the farewell.\nhere=$(dirname \"$0\")/..\ncat \"$here/core/greeting.txt\" \"$here/core/farewell.txt\"\n",
            "cli/E01: add the entry point", "Added cli/greet.sh, which prints the greeting and the farewell."))
        .on("docs/plans/cli/epic-02-usage.md", ScriptBook.writeAndCommit("cli/USAGE.md",
            "# Usage\n\nRun `sh cli/greet.sh` from the project folder. It prints the greeting and the farewell.\n",
            "cli/E02: document usage", "Added cli/USAGE.md explaining how to run the greeter."));
  }
}
