package dev.orch.executor;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Executor.Action;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.HistoryQuery;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.MessagePaths;
import dev.orch.contract.OrchException;
import dev.orch.contract.PrState;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunLogPage;
import dev.orch.contract.RunView;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Owns worktrees, agent processes and their logs: binds the {@link RunSupervisor} (a run's life) and the
 * {@link WorktreeJanitor} to the executor's command address, publishes what they announce, and runs their timers (the
 * output poll, the sweep of unfollowed runs).
 */
public final class ExecutorVerticle extends VerticleBase {
  private static final long POLL_MILLIS = 200;
  /** How often running agents' worktrees are looked at for the files they changed (two git calls each). */
  private static final long TOUCHED_MILLIS = 5_000;
  /** How often live rows nobody follows are looked for (a full disk lost a run's end, an agent died unrecorded). */
  private static final long SWEEP_MILLIS = 30_000;

  private final ExecutorSettings settings;
  private Pool pool;
  private RunStore store;
  private RunSupervisor supervisor;
  private WorktreeJanitor janitor;
  private PrbotClient prbot;
  private volatile boolean undeploying;
  private long pollTimer = -1;
  private long sweepTimer = -1;
  private long touchedTimer = -1;

  public ExecutorVerticle(ExecutorSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    var general = settings.general();
    Path root = general.projectRoot();
    Worktrees worktrees = new Worktrees(new GitWorkspace(new GitCli(root)), general.worktreeDir(),
        general.stateDir().resolve("bundles"), general.mainBranch(), general.branchPrefix());
    var claude = settings.claude();
    AgentLauncher launcher = new AgentLauncher(new AgentLauncher.Settings(claude.command(), claude.args(),
        claude.model(), claude.maxTokens(), claude.maxTurns(), claude.permissionMode(), claude.allowedTools()), settings.commandEnv(),
        settings.env());
    PromptLibrary library = new PromptLibrary(settings.promptFolders());
    RunPrompts prompts = new RunPrompts(library, root, settings.mcpServers(), settings.mcpSecret());
    Context context = vertx.getOrCreateContext();
    AgentProcesses processes = new OsProcesses(launcher, task -> context.runOnContext(v -> task.run()));
    Host host = new VertxHost(vertx, () -> undeploying);
    prbot = new PrbotClient(vertx);
    return Database.open(vertx, general.databasePath())
        .compose(opened -> {
          pool = opened;
          store = new RunStore(pool);
          supervisor = new RunSupervisor(store, processes, new WorktreeWorkspace(worktrees, prompts,
              settings.copyFiles(), settings.setupCommand(), settings.commandEnv()), new BusEvents(vertx.eventBus()), host,
              Clock.systemUTC(), Path.of(settings.logDir()), settings.orchestrate());
          janitor = new WorktreeJanitor(worktrees, store, processes, supervisor::liveTasks, host);
          return Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS);
        })
        .compose(v -> supervisor.reconcile(true))
        .compose(v -> CommandEndpoint.on(Addresses.Executor.CMD, Action.class)
            .handle(Action.LAUNCH, body -> launch(LaunchRequest.fromJson(body)))
            .handle(Action.RESUME, body -> supervisor.resume(ResumeRequest.fromJson(body)))
            .handle(Action.STOP, body -> supervisor.stop(StopRequest.fromJson(body)))
            .handle(Action.RUNS, this::runs)
            .handle(Action.RUN, this::run)
            .handle(Action.LOG, this::log)
            .handle(Action.REMOVE_WORKTREE, this::removeWorktree)
            .handle(Action.CLEANUP, this::cleanup)
            .handle(Action.SPEND, body -> store.spend(ZoneId.systemDefault(), System.currentTimeMillis()))
            .handle(Action.SPEND_HISTORY, body -> store.spendHistory(HistoryQuery.fromJson(body)))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> supervisor.poll());
            sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> supervisor.reconcile(false));
            touchedTimer = vertx.setPeriodic(TOUCHED_MILLIS, id -> supervisor.lookAtWorktrees());
          }
        });
  }

  @Override
  public Future<?> stop() {
    undeploying = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(touchedTimer);
    Future<Void> stopped = supervisor == null ? Future.succeededFuture() : supervisor.shutdown();
    return stopped.transform(v -> pool == null ? Future.succeededFuture() : pool.close());
  }

  private Future<RunView> launch(LaunchRequest request) {
    MessagePaths.planFile("file", request.file(), settings.plansRelative());
    return supervisor.launch(request);
  }

  private Future<JsonObject> runs(JsonObject body) {
    TaskId taskId = body.getValue("task_id") instanceof String s ? TaskId.parseFull(s) : null;
    boolean liveOnly = Boolean.TRUE.equals(body.getValue("live_only"));
    return store.list(taskId, liveOnly, 500).map(rows -> new JsonObject().put("runs",
        new JsonArray(rows.stream().map(r -> supervisor.current(r.view()).toJson()).toList())));
  }

  private Future<RunView> run(JsonObject body) {
    if (!(body.getValue("run_id") instanceof Number id)) {
      return Future.failedFuture(OrchException.badRequest("field 'run_id' must be a number"));
    }
    return store.get(id.longValue()).map(found -> supervisor.current(found.map(RunRecords.StoredRun::view)
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

  private Future<JsonObject> removeWorktree(JsonObject body) {
    TaskId task = TaskId.parseFull(body.getValue("task_id") instanceof String s ? s : null);
    String label = body.getValue("reason") instanceof String s && !s.isBlank() ? s.replaceAll("[^A-Za-z0-9._-]", "-")
        : "removed";
    return janitor.remove(task, label)
        .map(saved -> new JsonObject().put("task_id", task.toString()).put("saved", new JsonArray(saved)));
  }

  private Future<JsonObject> cleanup(JsonObject body) {
    boolean dryRun = Boolean.TRUE.equals(body.getValue("dry_run"));
    return Future.all(prbot.list(PrState.OPEN), prbot.list(PrState.FLAGGED)).compose(all -> {
      Set<TaskId> keep = new HashSet<>();
      for (int i = 0; i < 2; i++) {
        List<PullRequestView> prs = all.resultAt(i);
        prs.forEach(pr -> keep.add(pr.taskId()));
      }
      return janitor.cleanup(dryRun, keep);
    }).map(done -> new JsonObject().put("dry_run", done.dryRun()).put("removed", new JsonArray(done.removed()))
        .put("saved", new JsonArray(done.saved())).put("busy", new JsonArray(done.busy())));
  }
}
