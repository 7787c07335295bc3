package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.OrchException;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Show a task's agent log, readable, or raw stream-json; -f follows a live run.")
final class LogsCommand extends LocalCommand {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Parameters(paramLabel = "ID", description = "The task, such as billing/E05.")
  String id;

  @Option(names = {"-f", "--follow"}, description = "Keep printing while the run is live.")
  boolean follow;

  @Option(names = "--raw", description = "Print the agent's stream-json lines as they are.")
  boolean raw;

  @Option(names = "--run", paramLabel = "N", description = "This run instead of the latest.")
  Long runId;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    TaskId task = TaskId.parseFull(id);
    List<RunView> runs = orch.await(orch.executor().runs(task, false));
    RunView run = runs.stream().filter(r -> runId == null || r.runId() == runId).findFirst()
        .orElseThrow(() -> OrchException.notFound(runId == null ? task + " has no runs yet" : task + " has no run " + runId));
    var out = out();
    if (!raw) {
      out.printf("%s run %d (attempt %d%s), started %s, %s%s%n", task, run.runId(), run.attempt(),
          run.resumedFrom() > 0 ? ", resumes run " + run.resumedFrom() : "", TIME.format(Instant.ofEpochMilli(run.startedAt())),
          run.status().wire(), run.reason() == null ? "" : ": " + run.reason());
      out.printf("worktree %s, branch %s%nlog %s%n%n", run.worktree(), run.branch(), run.logFile());
    }
    Path log = Path.of(run.logFile());
    long offset = 0;
    StringBuilder partial = new StringBuilder();
    while (true) {
      offset = printNew(log, offset, partial);
      if (!follow) {
        break;
      }
      RunView now = orch.await(orch.executor().run(run.runId()));
      if (!now.status().live()) {
        printNew(log, offset, partial);
        if (!raw) {
          out.printf("%nrun %d %s%s%n", now.runId(), now.status().wire(), now.reason() == null ? "" : ": " + now.reason());
        }
        break;
      }
      sleep();
    }
    if (partial.length() > 0) {
      emit(partial.toString());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private long printNew(Path log, long offset, StringBuilder partial) {
    try {
      if (!Files.exists(log) || Files.size(log) <= offset) {
        return offset;
      }
      try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
        in.seek(offset);
        byte[] bytes = new byte[(int) (in.length() - offset)];
        in.readFully(bytes);
        partial.append(new String(bytes, StandardCharsets.UTF_8));
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
          emit(partial.substring(0, newline));
          partial.delete(0, newline + 1);
        }
        out().flush();
        return offset + bytes.length;
      }
    } catch (IOException e) {
      throw new OrchException(dev.orch.contract.ErrorCode.TERMINAL, "cannot read " + log + ": " + e.getMessage());
    }
  }

  private void emit(String line) {
    if (raw) {
      out().println(line);
    } else {
      LogRenderer.render(line, out());
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
