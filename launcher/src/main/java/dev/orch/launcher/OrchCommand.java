package dev.orch.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.orch.config.ConfigException;
import dev.orch.config.ConfigLoader;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orch}: global options and the subcommands. */
@Command(name = "orch",
    mixinStandardHelpOptions = true,
    versionProvider = OrchCommand.Version.class,
    description = "Turns a plan of markdown tasks into merged code, with Claude Code agents in git worktrees.",
    subcommands = {RunCommand.class, ServeCommand.class, DemoCommand.class, SyncCommand.class, StatusCommand.class, ListCommand.class,
        GraphCommand.class, StartCommand.class, TaskActionCommand.Stop.class, TaskActionCommand.Retry.class,
        TaskActionCommand.Reset.class, UnparkCommand.class, LogsCommand.class, TuiCommand.class, PrCommand.class, BatchCommand.class, MaintainCommand.class,
        OnboardCommand.class,
        BuildPoolCommand.class, McpCommand.class, CleanupCommand.class, CommandLine.HelpCommand.class,
        // `source <(orch generate-completion)` completes commands and options in bash and zsh.
        picocli.AutoComplete.GenerateCompletion.class})
final class OrchCommand {

  @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
      description = "Config file (default: .claude-orchestrator.toml here or in a parent, else "
          + "~/.config/claude-plan-orchestrator/config.toml).")
  Path configFile;

  @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT, description = "Log what orch does (repeat for debug).")
  boolean[] verbose = new boolean[0];

  @Option(names = "--log-format", paramLabel = "FORMAT", scope = CommandLine.ScopeType.INHERIT,
      converter = LogFormat.Converter.class,
      description = "Log lines as text (the default) or json, one object per line (else general.log_format).")
  LogFormat logFormat;

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new OrchCommand());
    addHelpOption(cli);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> handle(e, commandLine));
    cli.setExecutionStrategy(parseResult -> {
      OrchCommand root = (OrchCommand) parseResult.commandSpec().root().userObject();
      root.applyVerbosity();
      if (root.logFormat != null) {
        root.logFormat.apply();
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    return cli;
  }

  /**
   * Gives every command and subcommand picocli's own -h/--help (the one mixinStandardHelpOptions gives orch), so a new
   * command has it too; --version stays on orch. Commands that already have one (help, generate-completion) keep theirs.
   */
  private static void addHelpOption(CommandLine command) {
    CommandLine.Model.CommandSpec spec = command.getCommandSpec();
    if (spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
      spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help message and exit.").build());
    }
    command.getSubcommands().values().forEach(OrchCommand::addHelpOption);
  }

  /** Loads the config once, printing warnings; a bad config ends the command with exit code 2. */
  ConfigLoader.Loaded loadConfig(CommandLine.Model.CommandSpec spec) {
    ConfigLoader.Loaded loaded = ConfigLoader.fromEnvironment().load(configFile);
    if (logFormat == null) {
      LogFormat.named(loaded.config().general().logFormat()).orElseThrow().apply();
    }
    loaded.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    return loaded;
  }

  private void applyVerbosity() {
    Level level = verbose.length == 0 ? Level.WARN : verbose.length == 1 ? Level.INFO : Level.DEBUG;
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
  }

  private static int handle(Exception e, CommandLine commandLine) {
    var err = commandLine.getErr();
    if (e instanceof ConfigException ce) {
      ce.warnings().forEach(w -> err.println("warning: " + w));
      ce.problems().forEach(p -> err.println("error: " + p));
      return ExitCodes.USAGE;
    }
    if (e instanceof OrchException oe) {
      err.println("error: " + oe.getMessage());
      return oe.code() == ErrorCode.BAD_REQUEST || oe.code() == ErrorCode.NOT_FOUND ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }
    err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    LoggerFactory.getLogger(OrchCommand.class).debug("command failed", e);
    return ExitCodes.FAILURE;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OrchCommand.class.getPackage().getImplementationVersion();
      return new String[] {"orch " + (version == null ? "(development build)" : version),
          "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
    }
  }
}
