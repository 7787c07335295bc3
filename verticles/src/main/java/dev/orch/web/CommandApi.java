package dev.orch.web;

import dev.orch.contract.Addresses;
import dev.orch.contract.CommandAction;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@code POST /api/cmd/<owner>/<action>} forwards: exactly the commands the CLI (and {@code orch mcp}) send to a
 * running orch, nothing more. Launching an agent on any file, a build agent's own messages (register, output) and
 * internal commands stay on the bus, out of reach of whoever holds the instance token.
 */
final class CommandApi {
  static final Map<String, Set<String>> ALLOWED = Map.of(
      "scheduler", wire(Addresses.Scheduler.Action.SYNC, Addresses.Scheduler.Action.STATUS,
          Addresses.Scheduler.Action.LIST, Addresses.Scheduler.Action.GET, Addresses.Scheduler.Action.START,
          Addresses.Scheduler.Action.STOP, Addresses.Scheduler.Action.RETRY, Addresses.Scheduler.Action.RESET,
          Addresses.Scheduler.Action.UNPARK),
      "executor", wire(Addresses.Executor.Action.RUNS, Addresses.Executor.Action.RUN, Addresses.Executor.Action.SPEND,
          Addresses.Executor.Action.CLEANUP),
      "prbot", wire(Addresses.Prbot.Action.LIST, Addresses.Prbot.Action.GET, Addresses.Prbot.Action.MERGE,
          Addresses.Prbot.Action.REJECT),
      "buildpool", wire(Addresses.BuildPool.Action.SUBMIT, Addresses.BuildPool.Action.JOB,
          Addresses.BuildPool.Action.JOBS, Addresses.BuildPool.Action.CANCEL, Addresses.BuildPool.Action.OUTPUT,
          Addresses.BuildPool.Action.FOLLOW, Addresses.BuildPool.Action.STATUS),
      "batch", wire(Addresses.Batch.Action.LIST, Addresses.Batch.Action.RUN, Addresses.Batch.Action.STOP));

  /** A command the API forwards: the owner's address and the action as the owner reads it. */
  record Target(String address, CommandAction action) {
  }

  private CommandApi() {
  }

  /** The command to forward, or empty when {@code owner}/{@code action} is not one the CLI sends. */
  static Optional<Target> resolve(String owner, String action) {
    String address = Addresses.remoteCommandAddresses().get(owner);
    String wire = action == null ? "" : action.toLowerCase(Locale.ROOT).replace('_', '-');
    if (address == null || !ALLOWED.getOrDefault(owner, Set.of()).contains(wire)) {
      return Optional.empty();
    }
    CommandAction named = () -> wire.toUpperCase(Locale.ROOT).replace('-', '_');
    return Optional.of(new Target(address, named));
  }

  /** For the 404's message: every owner/action pair the API offers. */
  static String offered() {
    return ALLOWED.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + " " + e.getValue().stream().sorted().collect(Collectors.joining("|")))
        .collect(Collectors.joining("; "));
  }

  private static Set<String> wire(CommandAction... actions) {
    return Stream.of(actions).map(CommandAction::wireName).collect(Collectors.toUnmodifiableSet());
  }
}
