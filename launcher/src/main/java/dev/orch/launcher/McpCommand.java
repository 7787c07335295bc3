package dev.orch.launcher;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.CommandTransport;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import dev.orch.mcp.BuildCommands;
import dev.orch.mcp.BuildTools;
import dev.orch.mcp.McpStdioServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.vertx.core.Future;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "mcp", description = {"Serve the build tools (build, test, lint, clippy, run_command, worker_status,",
    "get_job_logs) over MCP on stdin/stdout, for Claude Code: claude mcp add orch -- orch mcp. Jobs go to the",
    "build pool of the orch running for this project (orch run or orch build-pool start)."})
final class McpCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--worktree", paramLabel = "DIR", description = "The checkout the tools build (default: the current folder).")
  Path worktree;

  @Option(names = "--task", paramLabel = "ID", description = "The task the jobs are for (shown with them).")
  String task;

  @Override
  public Integer call() throws InterruptedException {
    ConfigLoader.Loaded loaded = ((OrchCommand) spec.root().userObject()).loadConfig(spec);
    OrchConfig config = loaded.config();
    Path checkout = (worktree == null ? Path.of("") : worktree).toAbsolutePath().normalize();
    var bp = config.buildPool();
    BuildTools tools = new BuildTools(new BuildPoolClient(new RunningOrch(config.general().stateDir())),
        new BuildCommands(bp.preset(), bp.commands()));
    CountDownLatch inputEnded = new CountDownLatch(1);
    InputStream in = new FilterInputStream(new FileInputStream(FileDescriptor.in)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          int read = super.read(b, off, len);
          if (read < 0) {
            inputEnded.countDown();
          }
          return read;
        } catch (IOException e) {
          inputEnded.countDown();
          throw e;
        }
      }
    };
    McpSyncServer server = McpStdioServer.start(tools, checkout, task, in, new FileOutputStream(FileDescriptor.out));
    inputEnded.await();
    server.closeGracefully();
    return ExitCodes.OK;
  }

  /** The API of the orch running for the project, looked up at each call, so it can be started after this server. */
  private static final class RunningOrch implements CommandTransport {
    private final Path stateDir;

    RunningOrch(Path stateDir) {
      this.stateDir = stateDir;
    }

    @Override
    public Future<Object> request(String address, dev.orch.contract.CommandAction action, io.vertx.core.json.JsonObject body,
        java.time.Duration timeout) {
      return OrchInstance.find(stateDir)
          .map(running -> new HttpTransport(running).request(address, action, body, timeout))
          .orElseGet(() -> Future.failedFuture(new OrchException(ErrorCode.TRANSIENT, "no orch is running for this"
              + " project (state in " + stateDir + "): start orch run or orch build-pool start")));
    }
  }
}
