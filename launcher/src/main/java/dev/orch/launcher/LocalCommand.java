package dev.orch.launcher;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that loads the config and runs against orch's verticles inside this process. */
abstract class LocalCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    ConfigLoader.Loaded loaded = root().loadConfig(spec);
    try (OrchSession orch = OrchSession.connect(loaded.config())) {
      return run(orch, loaded.config());
    }
  }

  OrchCommand root() {
    return (OrchCommand) spec.root().userObject();
  }

  abstract int run(OrchSession orch, OrchConfig config);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
