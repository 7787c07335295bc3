package dev.orch.mcp;

import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.JobOutput;
import dev.orch.contract.JobProgress;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.TaskId;
import dev.orch.contract.WorkerView;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The build pool's tools as an agent sees them: {@code build}, {@code test}, {@code lint} (and {@code clippy}),
 * {@code run_command}, {@code worker_status}, {@code get_job_logs}. A build tool snapshots the agent's worktree, submits
 * a job at that commit, follows its output to the end and answers with a report; a failing build is a normal answer
 * with the exit code and the output that matters ({@code isError} set), never a protocol error. Calls block: the MCP
 * transports call them off the event loop.
 */
public final class BuildTools {
  static final String WORKTREE_KEY = "worktree";
  static final String TASK_KEY = "task";
  private static final long FOLLOW_WAIT_MILLIS = 10_000;
  private static final int FOLLOW_CHUNK = 1 << 20;
  private static final int KEEP_CHARS = 8 << 20;

  private final BuildPoolClient pool;
  private final BuildCommands commands;

  public BuildTools(BuildPoolClient pool, BuildCommands commands) {
    this.pool = pool;
    this.commands = commands;
  }

  /** The tools with their input schemas. */
  public List<McpSchema.Tool> tools() {
    Map<String, Object> verbosity = Map.of("type", "string", "enum", List.of("minimal", "normal", "full"),
        "description", "How much output to return: minimal (status, and error lines on failure), normal (default), full");
    Map<String, Object> timeout = Map.of("type", "integer", "minimum", 1,
        "description", "Stop the job after this many seconds (default: the pool's job timeout)");
    Map<String, Object> pkg = Map.of("type", "string",
        "description", "Only this package or module (cargo -p, maven -pl, go ./pkg/..., npm -w, gradle :project)");
    return List.of(
        tool("build", "Build the project as it is in your worktree (uncommitted changes included) on the build pool.",
            Map.of("package", pkg, "verbosity", verbosity, "timeout_secs", timeout), List.of()),
        tool("test", "Run the project's tests on your worktree's current state on the build pool.",
            Map.of("filter", Map.of("type", "string", "description", "Only tests matching this name or pattern"),
                "package", pkg, "verbosity", verbosity, "timeout_secs", timeout), List.of()),
        tool("lint", "Run the project's linter on your worktree's current state on the build pool.",
            Map.of("package", pkg, "verbosity", verbosity, "timeout_secs", timeout), List.of()),
        tool("clippy", "Same as lint (for Rust projects, cargo clippy).",
            Map.of("package", pkg, "verbosity", verbosity, "timeout_secs", timeout), List.of()),
        tool("run_command", "Run a shell command in a copy of your worktree's current state on the build pool.",
            Map.of("command", Map.of("type", "string", "description", "The command, run with sh -c at the top of the checkout"),
                "timeout_secs", timeout, "verbosity", verbosity), List.of("command")),
        tool("worker_status", "Which build agents are connected, their slots and jobs, and how many jobs wait.",
            Map.of(), List.of()),
        tool("get_job_logs", "The output of a build job, by its number (from a build tool's answer).",
            Map.of("job_id", Map.of("type", "integer", "description", "The job's number"),
                "stream", Map.of("type", "string", "enum", List.of("all", "stdout", "stderr"),
                    "description", "Which output: all (default), stdout or stderr"),
                "offset", Map.of("type", "integer", "minimum", 0, "description", "Start at this byte (default 0)"),
                "max_bytes", Map.of("type", "integer", "minimum", 1, "description", "At most this many bytes (default 262144)")),
            List.of("job_id")));
  }

  private static McpSchema.Tool tool(String name, String description, Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("additionalProperties", false);
    return McpSchema.Tool.builder().name(name).description(description).inputSchema(schema).build();
  }

  /** Runs a tool; {@code worktree} is the caller's checkout (null when the transport could not tell). */
  public CallToolResult call(String name, Map<String, Object> args, Path worktree, String taskId) {
    Map<String, Object> arguments = args == null ? Map.of() : args;
    try {
      return switch (name) {
        case "build" -> runBuild("build", BuildCommands.Kind.BUILD, arguments, worktree, taskId);
        case "test" -> runBuild("test", BuildCommands.Kind.TEST, arguments, worktree, taskId);
        case "lint", "clippy" -> runBuild(name, BuildCommands.Kind.LINT, arguments, worktree, taskId);
        case "run_command" -> runCommand(arguments, worktree, taskId);
        case "worker_status" -> workerStatus();
        case "get_job_logs" -> jobLogs(arguments);
        default -> error("unknown tool '" + name + "'");
      };
    } catch (IllegalArgumentException e) {
      return error(e.getMessage());
    } catch (RuntimeException e) {
      return error(name + " could not run: " + e.getMessage());
    }
  }

  private CallToolResult runBuild(String tool, BuildCommands.Kind kind, Map<String, Object> args, Path worktree,
      String taskId) {
    Path dir = requireWorktree(worktree);
    String command = commands.command(kind, dir, text(args, "filter"), text(args, "package"));
    return runJob(tool, command, args, dir, taskId);
  }

  private CallToolResult runCommand(Map<String, Object> args, Path worktree, String taskId) {
    String command = text(args, "command");
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("run_command needs 'command'");
    }
    return runJob("run_command", command, args, requireWorktree(worktree), taskId);
  }

  private CallToolResult runJob(String tool, String command, Map<String, Object> args, Path worktree, String taskId) {
    JobReport.Verbosity verbosity = JobReport.Verbosity.of(args.get("verbosity"));
    int timeoutSecs = integer(args, "timeout_secs", 0);
    WorktreeSnapshot.Snapshot snapshot = WorktreeSnapshot.take(worktree);
    JobView job = await(pool.submit(new JobRequest(snapshot.commit(), snapshot.ref(), command, timeoutSecs, tool,
        TaskId.parse(taskId, null).orElse(null))));
    StringBuilder output = new StringBuilder();
    long offset = 0;
    JobProgress progress;
    do {
      progress = await(pool.follow(job.jobId(), offset, FOLLOW_CHUNK, FOLLOW_WAIT_MILLIS));
      output.append(progress.text());
      if (output.length() > KEEP_CHARS) {
        output.delete(0, output.length() - KEEP_CHARS / 2);
      }
      offset = progress.nextOffset();
    } while (!progress.finished());
    JobView done = progress.job();
    String report = JobReport.render(tool, done, output.toString(), verbosity);
    // Text only: with structured content Claude Code hands the model that instead of the report.
    return CallToolResult.builder().addTextContent(report).isError(done.state() != JobView.State.SUCCEEDED).build();
  }

  private CallToolResult workerStatus() {
    PoolStatus status = await(pool.status());
    JsonArray workers = new JsonArray();
    for (WorkerView worker : status.workers()) {
      workers.add(new JsonObject().put("id", worker.workerId()).put("host", worker.host()).put("max_jobs", worker.slots())
          .put("active_jobs", worker.runningJobs().size()).put("alive", worker.alive())
          .put("connected_since", Instant.ofEpochMilli(worker.connectedSince()).toString()));
    }
    JsonObject answer = new JsonObject().put("workers", workers).put("queued_jobs", status.queuedJobs())
        .put("running_jobs", status.runningJobs()).put("local_fallback_active", status.localFallbackActive())
        .put("local_fallback_slots", status.localSlots());
    return CallToolResult.builder().addTextContent(answer.encodePrettily()).isError(false).build();
  }

  private CallToolResult jobLogs(Map<String, Object> args) {
    if (!(args.get("job_id") instanceof Number id)) {
      throw new IllegalArgumentException("get_job_logs needs 'job_id', a job number");
    }
    String stream = text(args, "stream");
    long offset = integer(args, "offset", 0);
    int max = integer(args, "max_bytes", 256 * 1024);
    JobView job = await(pool.job(id.longValue()));
    JobOutput output = await(pool.output(id.longValue(), stream == null ? "all" : stream, offset, max));
    long next = offset + output.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    StringBuilder text = new StringBuilder(JobReport.statusLine(job.label(), job)).append('\n').append(output.text());
    if (output.text().isEmpty() && offset == 0) {
      text.append("(no output").append(job.state().done() ? "" : " yet").append(")\n");
    } else if (next < job.outputBytes() && (stream == null || stream.equals("all"))) {
      text.append("\n[more: get_job_logs job_id=").append(job.jobId()).append(" offset=").append(next).append("]\n");
    }
    return CallToolResult.builder().addTextContent(text.toString()).isError(false).build();
  }

  private static Path requireWorktree(Path worktree) {
    if (worktree == null) {
      throw new IllegalArgumentException("this MCP server does not know your worktree: start it in the checkout"
          + " (orch mcp --worktree DIR) or send the X-Orch-Worktree header");
    }
    return worktree;
  }

  private static String text(Map<String, Object> args, String field) {
    Object value = args.get(field);
    return value == null ? null : value.toString();
  }

  private static int integer(Map<String, Object> args, String field, int fallback) {
    Object value = args.get(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw new IllegalArgumentException("'" + field + "' must be a non-negative whole number, not " + value);
  }

  static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the build pool did not answer within 2 minutes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
