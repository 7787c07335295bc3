package dev.orch.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code build-agent}: a worker host's process. This release finds its config file and reports it; joining the
 * coordinator's cluster and running jobs come with the build pool (see README, "What works today").
 */
@Command(name = "build-agent", mixinStandardHelpOptions = true, versionProvider = BuildAgentMain.Version.class,
    description = "Build agent for orch's build pool.")
public final class BuildAgentMain implements Callable<Integer> {
  static final List<Path> DEFAULT_CONFIGS = List.of(Path.of("/etc/build-agent/config.toml"), Path.of("/etc/build-agent.toml"));

  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file (default: /etc/build-agent/config.toml, else /etc/build-agent.toml).")
  Path config;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BuildAgentMain()).execute(args));
  }

  @Override
  public Integer call() {
    Path chosen = config != null ? config : DEFAULT_CONFIGS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    if (config != null && !Files.isRegularFile(config)) {
      System.err.println("error: " + config + ": config file not found");
      return 2;
    }
    System.err.println("build-agent: config " + (chosen == null ? "(none found; defaults)" : chosen));
    System.err.println("build-agent: this release does not join a build pool yet; orch runs builds locally.");
    return 1;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BuildAgentMain.class.getPackage().getImplementationVersion();
      return new String[] {"build-agent " + (version == null ? "(development build)" : version)};
    }
  }
}
