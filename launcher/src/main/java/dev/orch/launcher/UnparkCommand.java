package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.GovernorView;
import dev.orch.text.CommandText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code orch unpark}: a person knows the model API's limit is gone before the governor's own resume time (or that the
 * reset time it was given is wrong). One paused agent goes first as the probe, exactly as when the wait ends.
 */
@Command(name = "unpark", description = "Lift the rate-limit governor's park now: one paused agent goes first as a "
    + "probe, the others follow once it gets through.")
final class UnparkCommand extends LocalCommand {
  @Option(names = "--json", description = "Print the governor's state after as one JSON document.")
  boolean json;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    GovernorView view = orch.await(orch.scheduler().unpark());
    if (json) {
      out().println(view.toJson().encodePrettily());
    } else {
      CommandText.unparked(out(), view);
    }
    return ExitCodes.OK;
  }
}
