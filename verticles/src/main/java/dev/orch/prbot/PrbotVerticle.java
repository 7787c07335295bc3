package dev.orch.prbot;

import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Prbot.Action;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.GovernorView;
import dev.orch.contract.OrchException;
import dev.orch.contract.ParserClient;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import dev.orch.git.GitCli;
import dev.orch.process.ChildEnvironment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * prbot's wiring: {@link PullRequestPipeline} takes a successful run to a merged change; this verticle binds it to the
 * executor's finished runs, prbot's commands, git (off the event loop), the neighbours' clients and timers, and
 * publishes what it announces.
 */
public final class PrbotVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PrbotVerticle.class);

  /**
   * This verticle's slice of the config: the [forge], [github], [checks] and [review] sections as {@link OrchConfig}
   * typed them. Without {@code orchestrate} it only answers questions (a CLI process).
   */
  public record Settings(OrchConfig.General general, OrchConfig.Forge forge, OrchConfig.GitHub github,
      OrchConfig.Checks checks, OrchConfig.Review review, boolean orchestrate, ChildEnvironment commandEnv) {
    public Settings {
      OrchConfig.required("general", general);
      OrchConfig.required("forge", forge);
      OrchConfig.required("github", github);
      OrchConfig.required("checks", checks);
      OrchConfig.required("review", review);
      OrchConfig.required("executor.env", commandEnv);
    }

    public static Settings from(OrchConfig config, boolean orchestrate) {
      return new Settings(config.general(), config.forge(), config.github(), config.checks(), config.review(), orchestrate,
          config.childEnvironment());
    }

    boolean onGitHub() {
      return "github".equals(forge.kind());
    }

    String mainBranch() {
      return general.mainBranch();
    }

    String worktreeDir() {
      return general.worktreeDir().toString();
    }
  }

  private final Settings settings;
  private Pool pool;
  private PrStore store;
  private GitRepository repo;
  private GitHubApi api;
  private PullRequestPipeline pipeline;

  public PrbotVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    GitCli git = new GitCli(settings.general().projectRoot());
    Offload offload = BusPorts.offload(vertx);
    repo = new GitRepository(git, offload, settings.mainBranch(), reviewRouter());
    var finished = vertx.eventBus().<JsonObject>consumer(Addresses.Executor.EVT_FINISHED, m -> {
      if (settings.orchestrate() && pipeline != null) {
        pipeline.onRunFinished(RunView.fromJson(m.body()));
      }
    });
    // The scheduler tells its governor when it loads it and whenever it changes; agents' rounds start by it.
    var governed = vertx.eventBus().<JsonObject>consumer(Addresses.Scheduler.EVT_GOVERNOR, m -> {
      if (settings.orchestrate() && pipeline != null) {
        try {
          pipeline.onGovernor(GovernorView.fromJson(m.body()));
        } catch (RuntimeException e) {
          LOG.warn("ignoring a malformed governor event: {}", e.getMessage());
        }
      }
    });
    return Database.open(vertx, settings.general().databasePath())
        .compose(opened -> {
          pool = opened;
          store = new PrStore(pool);
          pipeline = pipeline(git, offload);
          return Database.migrate(pool, PrStore.OWNER, PrStore.MIGRATIONS);
        })
        .compose(v -> finished.completion())
        .compose(v -> governed.completion())
        .compose(v -> CommandEndpoint.on(Addresses.Prbot.CMD, Action.class)
            .handle(Action.OPEN, this::openCommand)
            .handle(Action.LIST, this::list)
            .handle(Action.GET, this::get)
            .handle(Action.MERGE, this::mergeCommand)
            .handle(Action.REJECT, this::rejectCommand)
            .handle(Action.API_USAGE, body -> Future.succeededFuture(apiUsage()))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            pipeline.resumeAll();
            if (settings.onGitHub()) {
              vertx.setPeriodic(settings.github().pollInterval().toMillis(), id -> pipeline.pollForgeChecks());
            }
          }
        });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private ReviewRouter reviewRouter() {
    List<ReviewRouter.Category> categories = settings.review().categories().entrySet().stream()
        .map(e -> new ReviewRouter.Category(e.getKey(), e.getValue().paths(), e.getValue().patterns())).toList();
    Optional<String> plans = ControlFiles.relativePlansDir(settings.general().projectRoot(), settings.general().plansDir());
    return new ReviewRouter(categories, settings.review().maxChangedLines(), new ControlFiles(plans));
  }

  private PullRequestPipeline pipeline(GitCli git, Offload offload) {
    Forge forge;
    if (settings.onGitHub()) {
      OrchConfig.GitHub gh = settings.github();
      api = new GitHubApi(vertx, gh.apiUrl(), gh.token());
      forge = new GitHubForge(vertx, git, api, gh.owner(), gh.repo(), gh.remote(), settings.mainBranch());
    } else {
      forge = new LocalForge(offload, git, Path.of(settings.worktreeDir()).resolve(".merge"), settings.mainBranch());
    }
    var checks = settings.checks();
    CheckRunner runner = new CheckRunner(checks.commands(), checks.timeout(), checks.outputBudgetChars(),
        settings.commandEnv());
    ExecutorClient executor = new ExecutorClient(vertx);
    return new PullRequestPipeline(
        new PullRequestPipeline.Settings(settings.forge().mergeMethod(), settings.forge().updateMethod(),
            checks.maxFixRounds(), settings.general().logDir(), settings.onGitHub()),
        Clock.systemUTC(), store, forge, repo, BusPorts.agent(executor),
        BusPorts.tasks(new SchedulerClient(vertx), executor), BusPorts.status(new ParserClient(vertx)),
        BusPorts.checks(vertx, runner), BusPorts.events(vertx.eventBus()),
        (delay, action) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> action.run()),
        // An orch that runs agents waits to hear from the scheduler's governor; a process that runs none has none.
        settings.orchestrate() ? new ModelApiGate() : new ModelApiGate(ModelApiGate.openView()));
  }

  /** How many GitHub API requests this orch made, and how many counted against the rate limit (for the benchmark). */
  private JsonObject apiUsage() {
    return new JsonObject().put("requests", api == null ? 0 : api.requests.get())
        .put("counted", api == null ? 0 : api.counted.get());
  }

  // ---- commands

  private Future<PullRequestView> openCommand(JsonObject body) {
    TaskId taskId = TaskId.parseFull(body.getValue("task_id") instanceof String s ? s : null);
    if (!(body.getValue("run_id") instanceof Number runId)) {
      return Future.failedFuture(OrchException.badRequest("field 'run_id' must be a number"));
    }
    return pipeline.open(taskId, runId.longValue());
  }

  private Future<PullRequestView> mergeCommand(JsonObject body) {
    if (!(body.getValue("number") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'number' must be a pull request number"));
    }
    if (!settings.orchestrate()) {
      return Future.failedFuture(OrchException.conflict("merging needs a running orch (orch run)"));
    }
    return pipeline.mergeByPerson(number.intValue(), Boolean.TRUE.equals(body.getValue("force")));
  }

  private Future<PullRequestView> rejectCommand(JsonObject body) {
    if (!(body.getValue("number") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'number' must be a pull request number"));
    }
    if (!(body.getValue("reason") instanceof String reason) || reason.isBlank()) {
      return Future.failedFuture(OrchException.badRequest("field 'reason' must say what to change"));
    }
    return pipeline.reject(number.intValue(), reason);
  }

  private Future<JsonObject> list(JsonObject body) {
    PrState state = body.getValue("state") instanceof String s ? PrState.fromWire(s) : null;
    return store.list(state).map(prs -> new JsonObject().put("pull_requests",
        new JsonArray(prs.stream().map(PullRequestView::toJson).toList())));
  }

  private Future<JsonObject> get(JsonObject body) {
    if (!(body.getValue("number") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'number' must be a pull request number"));
    }
    return store.get(number.intValue()).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      return repo.diffOf(pr).map(diff -> pr.toJson().put("diff", diff));
    });
  }
}
