package dev.orch.executor;

import dev.orch.contract.McpRunToken;
import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Executor.Action;
import dev.orch.contract.AgentEvent;
import dev.orch.contract.RunLogPage;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.MessagePaths;
import dev.orch.contract.OrchException;
import dev.orch.contract.PrState;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.contract.WireJson;
import dev.orch.db.Database;
import dev.orch.db.UntilWritten;
import dev.orch.git.GitCli;
import dev.orch.process.ChildEnvironment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns worktrees, agent processes and their logs. Starts a run on request, follows its output file, publishes parsed
 * events, and reports how it ended. After a restart it re-attaches to agents that are still alive and settles the
 * ones that ended meanwhile from their log files.
 */
public final class ExecutorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorVerticle.class);
  private static final long POLL_MILLIS = 200;
  private static final long KILL_GRACE_MILLIS = 5_000;

  /**
   * This verticle's slice of the config. {@code mcpServers} is the JSON object written as each run's MCP config, with
   * {@code ${worktree}} and {@code ${task_id}} in its strings filled in for the run, and {@code ${mcp_token}} with the
   * run's own token derived from {@code mcpSecret} ({@link McpRunToken}). Without
   * {@code orchestrate} the executor only answers questions about runs (a CLI process while no orch is running): it
   * neither re-attaches to agents nor follows their output. A launch's plan file must be inside {@code plansDir}
   * (absolute; empty: anywhere in the project).
   */
  public record Settings(String projectRoot, String worktreeDir, String logDir, String stateDir, String databasePath,
      String mainBranch, String branchPrefix, List<String> copyFiles, String setupCommand, String promptOverrideDir,
      String command, List<String> args, String model, int maxTurns, String permissionMode, List<String> allowedTools,
      JsonObject mcpServers, String mcpSecret, Map<String, String> env, boolean orchestrate,
      ChildEnvironment commandEnv, String plansDir) implements BusMessage {
    public Settings {
      WireJson.require("project_root", projectRoot);
      WireJson.require("worktree_dir", worktreeDir);
      WireJson.require("log_dir", logDir);
      WireJson.require("database_path", databasePath);
      copyFiles = WireJson.listOrEmpty(copyFiles);
      args = WireJson.listOrEmpty(args);
      allowedTools = WireJson.listOrEmpty(allowedTools);
      mcpServers = mcpServers == null ? new JsonObject() : mcpServers;
      mcpSecret = mcpSecret == null ? "" : mcpSecret;
      env = env == null ? Map.of() : Map.copyOf(env);
      commandEnv = commandEnv == null ? ChildEnvironment.allowListOnly() : commandEnv;
      setupCommand = setupCommand == null ? "" : setupCommand;
      branchPrefix = branchPrefix == null ? "orch/" : branchPrefix;
      plansDir = plansDir == null ? "" : plansDir;
    }

    Path plansRelative() {
      return plansDir.isEmpty() ? null : Path.of(projectRoot).toAbsolutePath().normalize()
          .relativize(Path.of(plansDir).toAbsolutePath().normalize());
    }
  }

  private Settings settings;
  private Pool pool;
  private RunStore store;
  private Worktrees worktrees;
  private AgentLauncher launcher;
  private PromptLibrary prompts;
  private PrbotClient prbot;
  private final Map<Long, LiveRun> live = new HashMap<>();
  /** Runs that are over but whose end is not written yet (a full disk): published once it is. */
  private final Map<Long, RunView> recording = new HashMap<>();
  private boolean polling;
  private boolean undeploying;
  private long pollTimer = -1;

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    Path root = Path.of(settings.projectRoot());
    GitCli git = new GitCli(root);
    worktrees = new Worktrees(git, Path.of(settings.worktreeDir()), Path.of(settings.stateDir()).resolve("bundles"),
        settings.mainBranch(), settings.branchPrefix());
    launcher = new AgentLauncher(new AgentLauncher.Settings(settings.command(), settings.args(), settings.model(),
        settings.maxTurns(), settings.permissionMode(), settings.allowedTools()), settings.commandEnv(), settings.env());
    prompts = new PromptLibrary(root, settings.promptOverrideDir() == null ? null : Path.of(settings.promptOverrideDir()));
    prbot = new PrbotClient(vertx);
    return Database.open(vertx, Path.of(settings.databasePath()))
        .compose(opened -> {
          pool = opened;
          store = new RunStore(pool);
          return Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS);
        })
        .compose(v -> settings.orchestrate() ? recoverLiveRuns() : Future.succeededFuture())
        .compose(v -> CommandEndpoint.on(Addresses.Executor.CMD, Action.class)
            .handle(Action.LAUNCH, body -> launch(LaunchRequest.fromJson(body)))
            .handle(Action.RESUME, body -> resume(ResumeRequest.fromJson(body)))
            .handle(Action.STOP, body -> stop(StopRequest.fromJson(body)))
            .handle(Action.RUNS, this::runs)
            .handle(Action.RUN, this::run)
            .handle(Action.LOG, this::log)
            .handle(Action.REMOVE_WORKTREE, this::removeWorktree)
            .handle(Action.CLEANUP, this::cleanup)
            .handle(Action.SPEND, body -> store.spend(ZoneId.systemDefault()))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> poll());
          }
        });
  }

  @Override
  public Future<?> stop() {
    undeploying = true;
    vertx.cancelTimer(pollTimer);
    List<Future<Void>> finishing = new ArrayList<>();
    for (LiveRun run : List.copyOf(live.values())) {
      run.stop = new StopRequest(run.started.taskId(), RunStatus.STOPPED, StopCause.SHUTDOWN, null);
      kill(run.handle, true);
      finishing.add(finish(run, null));
    }
    return Future.join(finishing).transform(v -> pool == null ? Future.succeededFuture() : pool.close());
  }

  // ---- launching

  private Future<RunView> launch(LaunchRequest request) {
    if (!settings.orchestrate()) {
      return Future.failedFuture(OrchException.conflict("this orch process does not run agents"));
    }
    TaskId task = TaskId.parseFull(request.taskId());
    MessagePaths.planFile("file", request.file(), settings.plansRelative());
    if (liveRunOf(request.taskId()).isPresent()) {
      return Future.failedFuture(OrchException.conflict(request.taskId() + " already has a live run"));
    }
    String session = UUID.randomUUID().toString();
    String branch = worktrees.branchOf(task);
    String worktree = worktrees.pathOf(task).toString();
    long now = System.currentTimeMillis();
    RunView inserting = RunView.starting(0, request.taskId(), request.attempt(), session, 0, branch, worktree, "", now,
        request.title(), request.file());
    return store.insert(inserting)
        .recover(e -> Future.failedFuture(String.valueOf(e.getMessage()).contains("UNIQUE")
            ? OrchException.conflict(request.taskId() + " already has a live run") : e))
        .compose(runId -> {
          RunFiles files = RunFiles.of(Path.of(settings.logDir()), task, runId);
          RunView starting = RunView.starting(runId, request.taskId(), request.attempt(), session, 0, branch, worktree,
              files.log().toString(), now, request.title(), request.file());
          return vertx.executeBlocking(() -> prepareAndStart(task, request, starting, files), false)
              .compose(process -> started(starting, task, process, files))
              .recover(failure -> failedToStart(starting, failure));
        });
  }

  private Process prepareAndStart(TaskId task, LaunchRequest request, RunView run, RunFiles files) throws IOException {
    files.createDirectories();
    Path worktree = worktrees.create(task, "before-run-" + run.runId());
    worktrees.copyFiles(worktree, settings.copyFiles());
    worktrees.runSetup(worktree, settings.setupCommand(), files.setupLog(), settings.commandEnv());
    Files.writeString(files.prompt(), renderTaskPrompt(task, request, worktree, run.branch()), StandardCharsets.UTF_8);
    writeMcpConfig(files.mcpConfig(), worktree, request.taskId());
    return launcher.start(new AgentLauncher.Launch(worktree, files.prompt(), files.log(), files.stderr(), files.mcpConfig(),
        run.sessionId(), false, worktrees.hasGitIdentity(worktree)));
  }

  private String renderTaskPrompt(TaskId task, LaunchRequest request, Path worktree, String branch) throws IOException {
    Path root = Path.of(settings.projectRoot());
    String content = readFirst(worktree.resolve(request.file()), root.resolve(request.file()))
        .orElseThrow(() -> new IOException("plan file " + request.file() + " is in neither the worktree nor the project"));
    Path folder = Path.of(request.file()).getParent();
    String context = "";
    if (folder != null) {
      for (String name : List.of("README.md", "00-overview.md")) {
        Optional<String> found = readFirst(worktree.resolve(folder).resolve(name), root.resolve(folder).resolve(name));
        if (found.isPresent()) {
          context = found.get();
          break;
        }
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Title", request.title());
    values.put("EpicFilePath", request.file());
    values.put("EpicContent", content);
    values.put("ModuleContext", context);
    values.put("CompletedDeps", String.join(", ", request.completedDeps()));
    values.put("TaskID", task.toString());
    values.put("Module", task.module());
    values.put("Branch", branch);
    return prompts.render(PromptLibrary.EPIC_TASK, PromptLibrary.EPIC_VARIABLES, values);
  }

  private String followUpPrompt(ResumeRequest request) {
    if (request.template() == null) {
      return request.prompt();
    }
    Set<String> known = PromptLibrary.FOLLOW_UP_VARIABLES.get(request.template());
    if (known == null) {
      throw OrchException.badRequest("no follow-up prompt template " + request.template() + " (one of "
          + String.join(", ", PromptLibrary.FOLLOW_UP_VARIABLES.keySet()) + ")");
    }
    return prompts.render(request.template(), known, request.values());
  }

  private static Optional<String> readFirst(Path... candidates) throws IOException {
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(Files.readString(candidate, StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** Owner-only: it may carry the token of orch's MCP endpoint. */
  private void writeMcpConfig(Path file, Path worktree, String taskId) throws IOException {
    JsonObject servers = fillIn(settings.mcpServers(), Map.of("${worktree}", worktree.toString(), "${task_id}", taskId,
        "${mcp_token}", McpRunToken.of(settings.mcpSecret(), worktree.toString(), taskId)));
    Files.deleteIfExists(file);
    Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, new JsonObject().put("mcpServers", servers).encodePrettily());
  }

  private static JsonObject fillIn(JsonObject template, Map<String, String> values) {
    JsonObject out = new JsonObject();
    template.forEach(entry -> out.put(entry.getKey(), fillInValue(entry.getValue(), values)));
    return out;
  }

  private static Object fillInValue(Object value, Map<String, String> values) {
    if (value instanceof JsonObject object) {
      return fillIn(object, values);
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
      array.forEach(item -> out.add(fillInValue(item, values)));
      return out;
    }
    if (value instanceof String text) {
      for (Map.Entry<String, String> entry : values.entrySet()) {
        text = text.replace(entry.getKey(), entry.getValue());
      }
      return text;
    }
    return value;
  }

  private Future<RunView> started(RunView starting, TaskId task, Process process, RunFiles files) {
    ProcessHandle handle = process.toHandle();
    long pidStartedAt = handle.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    RunView running = starting.withStatus(RunStatus.RUNNING).withPid(process.pid());
    LiveRun run = new LiveRun(running, task, handle, process, new LogTail(files.log()));
    live.put(running.runId(), run);
    watchExit(run);
    // The agent runs from here on: a busy store must not turn it into a failed run that a second agent retries beside
    // it (the run is live above, so only undeploying, which kills it, gives up on the write).
    return UntilWritten.write(vertx, running.taskId() + " run " + running.runId() + "'s start",
        () -> store.markRunning(running.runId(), files.log().toString(), process.pid(), pidStartedAt),
        () -> undeploying).map(v -> {
      LOG.info("{} run {}: agent started (pid {}) in {}", running.taskId(), running.runId(), process.pid(), running.worktree());
      if (live.containsKey(running.runId())) {
        vertx.eventBus().publish(Addresses.Executor.EVT_STARTED, running.toJson());
      }
      return running;
    });
  }

  private Future<RunView> failedToStart(RunView starting, Throwable failure) {
    String reason = "could not start the agent: " + (failure.getMessage() == null ? failure.toString() : failure.getMessage());
    LOG.warn("{} run {}: {}", starting.taskId(), starting.runId(), reason);
    live.remove(starting.runId());
    long now = System.currentTimeMillis();
    RunView failed = starting.settled(RunStatus.FAILED, null, reason, null, now);
    return store.finish(failed).map(v -> {
      vertx.eventBus().publish(Addresses.Executor.EVT_FINISHED, failed.toJson());
      return failed;
    });
  }

  private Future<RunView> resume(ResumeRequest request) {
    if (!settings.orchestrate()) {
      return Future.failedFuture(OrchException.conflict("this orch process does not run agents"));
    }
    TaskId task = TaskId.parseFull(request.taskId());
    if (liveRunOf(request.taskId()).isPresent()) {
      return Future.failedFuture(OrchException.conflict(request.taskId() + " already has a live run"));
    }
    return store.latestForTask(request.taskId()).compose(latest -> {
      if (latest.isEmpty()) {
        return Future.failedFuture(OrchException.notFound(request.taskId() + " has no run to resume"));
      }
      RunView previous = latest.get().view();
      if (!Files.isDirectory(Path.of(previous.worktree()))) {
        return Future.failedFuture(OrchException.conflict(request.taskId() + ": the worktree of run " + previous.runId()
            + " is gone, so its session cannot be resumed"));
      }
      long now = System.currentTimeMillis();
      return store.insert(RunView.starting(0, request.taskId(), previous.attempt(), previous.sessionId(), previous.runId(),
              previous.branch(), previous.worktree(), "", now, previous.title(), previous.file()))
          .compose(runId -> {
            RunFiles files = RunFiles.of(Path.of(settings.logDir()), task, runId);
            RunView starting = RunView.starting(runId, request.taskId(), previous.attempt(), previous.sessionId(),
                previous.runId(), previous.branch(), previous.worktree(), files.log().toString(), now, previous.title(),
                previous.file());
            return vertx.executeBlocking(() -> {
                  files.createDirectories();
                  Files.writeString(files.prompt(), followUpPrompt(request), StandardCharsets.UTF_8);
                  Path worktree = Path.of(previous.worktree());
                  writeMcpConfig(files.mcpConfig(), worktree, request.taskId());
                  return launcher.start(new AgentLauncher.Launch(worktree, files.prompt(), files.log(),
                      files.stderr(), files.mcpConfig(), previous.sessionId(), true, worktrees.hasGitIdentity(worktree)));
                }, false)
                .compose(process -> started(starting, task, process, files))
                .recover(failure -> failedToStart(starting, failure));
          });
    });
  }

  // ---- following output

  private void watchExit(LiveRun run) {
    var context = vertx.getOrCreateContext();
    if (run.process != null) {
      run.process.onExit().thenAccept(p -> context.runOnContext(v -> {
        run.exitCode = p.exitValue();
        run.exited = true;
      }));
    } else {
      run.handle.onExit().thenAccept(h -> context.runOnContext(v -> run.exited = true));
    }
  }

  /** Every tick: read what each live run wrote, publish it, and settle the runs whose process has ended. */
  private void poll() {
    if (polling || live.isEmpty()) {
      return;
    }
    polling = true;
    List<LiveRun> runs = List.copyOf(live.values());
    Map<Long, Boolean> exitedBefore = new HashMap<>();
    runs.forEach(r -> exitedBefore.put(r.runId(), r.exited));
    vertx.executeBlocking(() -> {
      Map<Long, List<AgentEvent>> read = new HashMap<>();
      for (LiveRun run : runs) {
        List<String> lines = new ArrayList<>(run.tail.readNewLines());
        if (exitedBefore.get(run.runId())) {
          lines.addAll(run.tail.drainPartial());
        }
        List<AgentEvent> events = new ArrayList<>();
        lines.forEach(line -> events.addAll(StreamJsonReader.read(line)));
        read.put(run.runId(), events);
      }
      return read;
    }, false).onComplete(done -> {
      polling = false;
      if (done.failed()) {
        LOG.warn("reading agent output failed", done.cause());
        return;
      }
      long now = System.currentTimeMillis();
      for (LiveRun run : runs) {
        List<AgentEvent> events = done.result().getOrDefault(run.runId(), List.of());
        if (!events.isEmpty()) {
          absorb(run, events, now);
        }
        if (exitedBefore.get(run.runId()) && live.containsKey(run.runId())) {
          finish(run, readStderrTail(run));
        }
      }
    });
  }

  private void absorb(LiveRun run, List<AgentEvent> events, long now) {
    boolean sawResult = false;
    for (AgentEvent event : events) {
      run.totals = run.totals.with(event, now);
      sawResult |= event.kind() == AgentEvent.Kind.RESULT;
    }
    vertx.eventBus().publish(Addresses.Executor.EVT_OUTPUT,
        new AgentOutput(run.runId(), run.started.taskId(), events, now).toJson());
    if (sawResult) {
      store.saveUsage(run.runId(), run.totals.usage());
    }
  }

  private String readStderrTail(LiveRun run) {
    Path stderr = RunFiles.of(Path.of(settings.logDir()), run.task, run.runId()).stderr();
    try {
      if (!Files.isRegularFile(stderr)) {
        return "";
      }
      String text = Files.readString(stderr, StandardCharsets.UTF_8);
      return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private Future<Void> finish(LiveRun run, String stderrTail) {
    live.remove(run.runId());
    RunOutcome outcome = RunOutcome.decide(run.stop, run.exitCode, run.totals, stderrTail);
    long now = System.currentTimeMillis();
    RunView view = settled(run.started, outcome, run.exitCode, run.totals, now);
    LOG.info("{} run {}: {}{}", view.taskId(), view.runId(), outcome.status().wire(),
        outcome.reason() == null ? "" : " (" + outcome.reason() + ")");
    // Published only once recorded: a scheduler told first would start the next attempt beside a row still "running".
    recording.put(view.runId(), view);
    return UntilWritten.write(vertx, view.taskId() + " run " + view.runId() + "'s end",
            () -> store.finish(view),
            () -> undeploying)
        .onSuccess(v -> vertx.eventBus().publish(Addresses.Executor.EVT_FINISHED, view.toJson()))
        .onComplete(v -> recording.remove(view.runId()));
  }

  private static RunView settled(RunView run, RunOutcome outcome, Integer exitCode, RunTotals totals, long now) {
    String session = totals.sessionId() != null ? totals.sessionId() : run.sessionId();
    return run.withSessionId(session).withUsage(totals.usage())
        .settled(outcome.status(), outcome.cause(), outcome.reason(), exitCode, now);
  }

  // ---- stopping

  private Future<RunView> stop(StopRequest request) {
    Optional<LiveRun> found = liveRunOf(request.taskId());
    if (found.isEmpty()) {
      return store.latestForTask(request.taskId()).compose(latest -> {
        RunStore.StoredRun run = latest.orElseThrow(() -> OrchException.notFound(request.taskId() + " has no run"));
        RunView ending = recording.get(run.view().runId());
        if (ending != null) {
          return Future.succeededFuture(ending);
        }
        // Orchestrating, a running row without a live run is one whose end could not be recorded (a full disk):
        // settle it now. A starting row is still being spawned and is left to its launch.
        boolean orphan = run.view().status() == RunStatus.RUNNING && settings.orchestrate();
        return run.view().status().live() && (!settings.orchestrate() || orphan) ? stopUnfollowed(run, request)
            : Future.succeededFuture(run.view());
      });
    }
    LiveRun run = found.get();
    if (run.stop == null) {
      run.stop = request;
      LOG.info("{} run {}: stopping ({})", request.taskId(), run.runId(), request.reason());
      kill(run.handle, false);
      vertx.setTimer(KILL_GRACE_MILLIS, id -> {
        if (run.handle.isAlive()) {
          kill(run.handle, true);
        }
      });
    }
    return Future.succeededFuture(run.started);
  }

  /** A live run nobody follows (orch is not running): kill its agent if it is still the same process, and record it. */
  private Future<RunView> stopUnfollowed(RunStore.StoredRun run, StopRequest request) {
    RunView view = run.view();
    ProcessHandle.of(view.pid())
        .filter(h -> h.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - run.pidStartedAt()) < 2_000).orElse(false))
        .ifPresent(h -> kill(h, true));
    long now = System.currentTimeMillis();
    RunOutcome outcome = RunOutcome.stopped(request);
    RunView stopped = settled(view, outcome, null, RunTotals.empty(), now);
    return store.finish(stopped)
        .map(v -> {
          vertx.eventBus().publish(Addresses.Executor.EVT_FINISHED, stopped.toJson());
          return stopped;
        });
  }

  private static void kill(ProcessHandle handle, boolean force) {
    handle.descendants().forEach(child -> {
      if (force) {
        child.destroyForcibly();
      } else {
        child.destroy();
      }
    });
    if (force) {
      handle.destroyForcibly();
    } else {
      handle.destroy();
    }
  }

  // ---- queries and housekeeping

  private Future<JsonObject> runs(JsonObject body) {
    String taskId = body.getValue("task_id") instanceof String s ? TaskId.parseFull(s).toString() : null;
    boolean liveOnly = Boolean.TRUE.equals(body.getValue("live_only"));
    return store.list(taskId, liveOnly, 500).map(rows -> new JsonObject().put("runs",
        new JsonArray(rows.stream().map(r -> current(r.view()).toJson()).toList())));
  }

  private Future<RunView> run(JsonObject body) {
    if (!(body.getValue("run_id") instanceof Number id)) {
      return Future.failedFuture(OrchException.badRequest("field 'run_id' must be a number"));
    }
    return store.get(id.longValue()).map(found -> current(found.map(RunStore.StoredRun::view)
        .orElseThrow(() -> OrchException.notFound("no run " + id))));
  }

  private Future<RunLogPage> log(JsonObject body) {
    if (!(body.getValue("offset", 0) instanceof Number offset) || offset.longValue() < 0) {
      return Future.failedFuture(OrchException.badRequest("field 'offset' must be a byte offset of 0 or more"));
    }
    if (!(body.getValue("limit", 500) instanceof Number limit) || limit.intValue() < 1 || limit.intValue() > 5000) {
      return Future.failedFuture(OrchException.badRequest("field 'limit' must be a number from 1 to 5000"));
    }
    return run(body).compose(view -> vertx.executeBlocking(() -> RunLogReader.page(view, offset.longValue(),
        limit.intValue()), false));
  }

  /** A stored run, with live totals where orch is following it right now. */
  private RunView current(RunView stored) {
    LiveRun run = live.get(stored.runId());
    if (run == null) {
      return stored;
    }
    return stored.withUsage(run.totals.usage());
  }

  private Future<JsonObject> removeWorktree(JsonObject body) {
    String taskId = TaskId.parseFull(body.getValue("task_id") instanceof String s ? s : null).toString();
    if (liveRunOf(taskId).isPresent()) {
      return Future.failedFuture(OrchException.conflict(taskId + " has a live run; stop it first"));
    }
    String label = body.getValue("reason") instanceof String s && !s.isBlank() ? s.replaceAll("[^A-Za-z0-9._-]", "-") : "removed";
    return vertx.executeBlocking(() -> worktrees.archiveAndRemove(TaskId.parseFull(taskId), label), true)
        .map(saved -> new JsonObject().put("task_id", taskId).put("saved", new JsonArray(saved)));
  }

  private Future<JsonObject> cleanup(JsonObject body) {
    boolean dryRun = Boolean.TRUE.equals(body.getValue("dry_run"));
    Set<String> keep = new HashSet<>();
    live.values().forEach(r -> keep.add(r.started.taskId()));
    return Future.all(prbot.list(PrState.OPEN), prbot.list(PrState.FLAGGED), store.live())
        .map(all -> {
          for (int i = 0; i < 2; i++) {
            List<PullRequestView> prs = all.resultAt(i);
            prs.forEach(pr -> keep.add(pr.taskId()));
          }
          List<RunStore.StoredRun> running = all.resultAt(2);
          running.forEach(r -> keep.add(r.view().taskId()));
          return keep;
        })
        .compose(kept -> vertx.executeBlocking(() -> {
          Worktrees.Inventory inventory = worktrees.inventory();
          Set<TaskId> orphans = new java.util.TreeSet<>();
          for (Path folder : inventory.folders()) {
            taskOfName(folder.getFileName().toString()).filter(t -> !kept.contains(t.toString())).ifPresent(orphans::add);
          }
          for (String branch : inventory.branches()) {
            taskOfName(branch.substring(Math.min(branch.length(), settings.branchPrefix().length())))
                .filter(t -> !kept.contains(t.toString())).ifPresent(orphans::add);
          }
          JsonArray removed = new JsonArray();
          JsonArray saved = new JsonArray();
          for (TaskId task : orphans) {
            removed.add(task.toString());
            if (!dryRun) {
              worktrees.archiveAndRemove(task, "cleanup").forEach(saved::add);
            }
          }
          return new JsonObject().put("dry_run", dryRun).put("removed", removed).put("saved", saved);
        }, true));
  }

  /** Reads {@code module-E05} (a worktree folder or branch suffix) back into a task id. */
  private static Optional<TaskId> taskOfName(String name) {
    int dash = name.lastIndexOf('-');
    if (dash <= 0) {
      return Optional.empty();
    }
    try {
      return TaskId.parse(name.substring(dash + 1), name.substring(0, dash));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Optional<LiveRun> liveRunOf(String taskId) {
    return live.values().stream().filter(r -> r.started.taskId().equals(taskId)).findFirst();
  }

  // ---- restart

  /** Re-attaches to agents still alive after a restart; settles the others from what their logs say. */
  private Future<Void> recoverLiveRuns() {
    return store.live().compose(runs -> {
      List<Future<Void>> settled = new ArrayList<>();
      for (RunStore.StoredRun stored : runs) {
        settled.add(recover(stored));
      }
      return Future.join(settled).mapEmpty();
    });
  }

  private Future<Void> recover(RunStore.StoredRun stored) {
    RunView view = stored.view();
    TaskId task = TaskId.parseFull(view.taskId());
    Optional<ProcessHandle> alive = ProcessHandle.of(view.pid())
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - stored.pidStartedAt()) < 2_000)
            .orElse(false));
    LogTail tail = new LogTail(Path.of(view.logFile().isEmpty() ? "/nonexistent" : view.logFile()));
    return vertx.executeBlocking(() -> {
      RunTotals totals = RunTotals.empty();
      for (String line : tail.readNewLines()) {
        for (AgentEvent event : StreamJsonReader.read(line)) {
          totals = totals.with(event, System.currentTimeMillis());
        }
      }
      return totals;
    }, false).compose(totals -> {
      if (alive.isPresent() && view.status() == RunStatus.RUNNING) {
        RunView running = view;
        LiveRun run = new LiveRun(running, task, alive.get(), null, tail);
        run.totals = totals;
        live.put(view.runId(), run);
        watchExit(run);
        LOG.info("{} run {}: re-attached to agent pid {}", view.taskId(), view.runId(), view.pid());
        vertx.eventBus().publish(Addresses.Executor.EVT_STARTED, running.toJson());
        return Future.<Void>succeededFuture();
      }
      RunOutcome outcome = totals.resultSucceeded() ? new RunOutcome(RunStatus.SUCCEEDED, null)
          : new RunOutcome(RunStatus.FAILED, "the agent process was gone when orch restarted"
              + (totals.result() == null ? ", without a result" : ""));
      long now = System.currentTimeMillis();
      RunView settled = settled(view, outcome, null, totals, now);
      LOG.info("{} run {}: settled after restart as {}", view.taskId(), view.runId(), outcome.status().wire());
      return store.finish(settled)
          .onSuccess(v -> vertx.eventBus().publish(Addresses.Executor.EVT_FINISHED, settled.toJson()));
    });
  }
}
