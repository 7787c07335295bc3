package dev.orch.agent;

import dev.orch.buildworker.SlotPool;
import dev.orch.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code build-agent}: joins the clustered event bus of one or more orchestrators and runs their build jobs, up to
 * {@code max_jobs} at a time across all of them. Stops on SIGTERM or Ctrl-C, handing its running jobs back.
 */
@Command(name = "build-agent", mixinStandardHelpOptions = true, versionProvider = BuildAgentMain.Version.class,
    description = "Build agent for orch's build pool.", subcommands = BuildAgentMain.Service.class)
public final class BuildAgentMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BuildAgentMain.class);
  static final List<Path> DEFAULT_CONFIGS = List.of(Path.of("/etc/build-agent/config.toml"), Path.of("/etc/build-agent.toml"));

  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file (default: /etc/build-agent/config.toml, else /etc/build-agent.toml).")
  Path config;

  @Option(names = "--join", paramLabel = "HOST:PORT[,...]", split = ",",
      description = "Serve the orchestrator whose cluster is at these addresses (instead of the config's servers).")
  List<String> join;

  @Option(names = "--server", paramLabel = "URL",
      description = {"The reference's orchestrator URL (ws://host:8081/ws): joins orch's cluster on that host at orch's",
          "cluster port (ORCH_BUILD_POOL__CLUSTER_PORT, else 5701), with a warning; repeat it for several",
          "orchestrators. --join says it exactly."})
  List<String> servers;

  @Option(names = "--id", paramLabel = "ID", description = "This agent's name (default: the host name).")
  String id;

  @Option(names = "--jobs", paramLabel = "N", description = "Jobs at once, over all orchestrators (default: 4).")
  int jobs;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "The cluster's name (orch's build_pool.cluster_name).")
  String clusterName;

  @Option(names = "--host", paramLabel = "ADDR", description = "The interface to bind (default 127.0.0.1).")
  String host;

  @Option(names = "--secret-file", paramLabel = "FILE",
      description = "The cluster secret (a copy of orch's .orch/cluster-secret); required here or in the config.")
  Path secretFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BuildAgentMain()).setExecutionExceptionHandler(BuildAgentMain::handle).execute(args));
  }

  private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof ConfigException ce) {
      ce.warnings().forEach(w -> err.println("warning: " + w));
      ce.problems().forEach(p -> err.println("error: " + p));
      return 2;
    }
    err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    return 1;
  }

  /** The config file given, else the first default that exists, else none. */
  static Path configFile(Path given) {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new ConfigException(List.of(given + ": config file not found"));
      }
      return given;
    }
    return DEFAULT_CONFIGS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }

  @Override
  public Integer call() throws InterruptedException {
    Path file = configFile(config);
    AgentConfig agent = AgentConfig.load(file, new AgentConfig.Overrides(join, id, jobs, clusterName, host, secretFile,
        servers, System.getenv(AgentConfig.ORCH_CLUSTER_PORT_ENV)), ServerLink.hostName());
    agent.warnings().forEach(w -> System.err.println("warning: " + w));
    SlotPool slots = new SlotPool(agent.maxJobs());
    List<ServerLink> links = new ArrayList<>();
    for (AgentConfig.Server server : agent.servers()) {
      links.add(new ServerLink(agent, server, slots));
    }
    LOG.info("build agent {} with {} slots for {} ({})", agent.workerId(), agent.maxJobs(),
        agent.servers().stream().map(AgentConfig.Server::name).toList(), file == null ? "no config file" : file);
    if (agent.useNix()) {
      NixPrewarm.start(agent.prewarmPackages());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      links.forEach(ServerLink::stop);
      stopped.countDown();
    }, "build-agent-shutdown"));
    links.forEach(ServerLink::start);
    stopped.await();
    return 0;
  }

  @Command(name = "service", description = "Install, remove or show the systemd unit that runs this agent.")
  static final class Service implements Callable<Integer> {
    @Parameters(paramLabel = "ACTION", description = "install, uninstall or status")
    String action;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "/etc/build-agent/config.toml",
        description = "The config the service runs with (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--user", paramLabel = "USER", description = "Run as this user (default: root).")
    String user;

    @Option(names = "--unit-dir", paramLabel = "DIR", defaultValue = "/etc/systemd/system",
        description = "Where the unit file goes (default: ${DEFAULT-VALUE}).")
    Path unitDir;

    @Option(names = "--no-systemctl", description = "Only write or remove the unit file.")
    boolean noSystemctl;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      SystemdService service = new SystemdService(unitDir, !noSystemctl, out);
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Path jar = Path.of(BuildAgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      int exit = switch (action) {
        case "install" -> service.install(java, jar.toAbsolutePath(), config.toAbsolutePath(), user);
        case "uninstall" -> service.uninstall();
        case "status" -> service.status();
        default -> {
          spec.commandLine().getErr().println("error: ACTION must be install, uninstall or status, not '" + action + "'");
          yield 2;
        }
      };
      out.flush();
      return exit;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BuildAgentMain.class.getPackage().getImplementationVersion();
      return new String[] {"build-agent " + (version == null ? "(development build)" : version)};
    }
  }
}
