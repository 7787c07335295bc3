package dev.orch.executor;

import dev.orch.contract.AgentOutput;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunView;

/** What a {@link RunSupervisor} tells the rest of orch; the verticle publishes it on the executor's event addresses. */
interface RunEvents {
  void started(RunView run);

  void output(AgentOutput output);

  /** Only once the end is written: a scheduler told earlier would start the next attempt beside a live row. */
  void finished(RunView run);

  /** The files a running agent has changed so far; told only when they differ from the last telling. */
  void touched(RunTouched touched);
}
