package dev.orch.prbot;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Prbot.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.OrchException;
import dev.orch.contract.ParserClient;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.ChecksState;
import dev.orch.contract.FollowUpKind;
import dev.orch.contract.PrStage;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskView;
import dev.orch.contract.WireJson;
import dev.orch.contract.WriteStatusRequest;
import dev.orch.db.Database;
import dev.orch.git.GitCli;
import dev.orch.process.ChildEnvironment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a successful run to a merged change. The pull request goes through: bring the branch up to date with the main
 * branch (the agent resolves a conflict), run the checks (the agent fixes red ones, up to a number of rounds), route
 * the change (routine, or flagged for a person with the reason), and merge: the change and the plan's new status land
 * in one commit. Feedback always goes back to the same agent session in the same worktree, and the same pull request
 * is updated. Merges happen one at a time.
 */
public final class PrbotVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PrbotVerticle.class);
  static final String MERGED_REFS = "refs/orch/merged/";
  static final String NEEDS_REVIEW_LABEL = "needs-human-review";
  private static final long CLEANUP_DELAY_MILLIS = 2_000;
  private static final int MAX_MERGE_ATTEMPTS = 3;

  /** This verticle's slice of the config. Without {@code orchestrate} it only answers questions (a CLI process). */
  public record Settings(String projectRoot, String worktreeDir, String logDir, String databasePath, String mainBranch,
      String mergeMethod, String updateMethod, List<String> checkCommands, long checkTimeoutMillis, int maxFixRounds,
      int outputBudgetChars, int maxChangedLines, Map<String, Map<String, List<String>>> reviewRules, boolean orchestrate,
      String forgeKind, GitHub github, ChildEnvironment commandEnv, String plansDir) implements BusMessage {
    /** Where the GitHub forge finds the repository; the token stays out of every log line. */
    public record GitHub(String owner, String repo, String apiUrl, String token, String remote, long pollIntervalMillis) {
      @Override
      public String toString() {
        return "GitHub[" + owner + "/" + repo + " at " + apiUrl + "]";
      }
    }

    public Settings {
      WireJson.require("project_root", projectRoot);
      WireJson.require("worktree_dir", worktreeDir);
      WireJson.require("database_path", databasePath);
      logDir = logDir == null ? Path.of(worktreeDir).resolveSibling("logs").toString() : logDir;
      mergeMethod = mergeMethod == null ? "squash" : mergeMethod;
      updateMethod = updateMethod == null ? "rebase" : updateMethod;
      checkCommands = WireJson.listOrEmpty(checkCommands);
      checkTimeoutMillis = checkTimeoutMillis <= 0 ? Duration.ofMinutes(30).toMillis() : checkTimeoutMillis;
      outputBudgetChars = outputBudgetChars <= 0 ? 4000 : outputBudgetChars;
      maxChangedLines = maxChangedLines <= 0 ? 400 : maxChangedLines;
      reviewRules = reviewRules == null ? Map.of() : reviewRules;
      forgeKind = forgeKind == null ? "local" : forgeKind;
      commandEnv = commandEnv == null ? ChildEnvironment.allowListOnly() : commandEnv;
    }
  }

  private Settings settings;
  private Pool pool;
  private PrStore store;
  private GitCli git;
  private Forge forge;
  private GitHubApi api;
  private CheckRunner checks;
  private ReviewRouter router;
  private ExecutorClient executor;
  private SchedulerClient scheduler;
  private ParserClient parser;
  /** Pull requests being worked on right now; a second trigger for one of them waits for the first. */
  private final Set<Integer> advancing = new HashSet<>();
  private final Set<Integer> advanceAgain = new HashSet<>();
  private final TransientRetries transientRetries = new TransientRetries();
  /** Merges run one after another: each starts from the main branch the previous one left. */
  private Future<?> mergeQueue = Future.succeededFuture();

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    git = new GitCli(Path.of(settings.projectRoot()));
    forge = createForge();
    checks = new CheckRunner(settings.checkCommands(), Duration.ofMillis(settings.checkTimeoutMillis()),
        settings.outputBudgetChars(), settings.commandEnv());
    List<ReviewRouter.Category> categories = new ArrayList<>();
    settings.reviewRules().forEach((name, rules) -> categories.add(new ReviewRouter.Category(name,
        rules.getOrDefault("paths", List.of()), rules.getOrDefault("patterns", List.of()))));
    Optional<String> plans = settings.plansDir() == null ? Optional.of("docs/plans")
        : ControlFiles.relativePlansDir(Path.of(settings.projectRoot()), Path.of(settings.plansDir()));
    router = new ReviewRouter(categories, settings.maxChangedLines(), new ControlFiles(plans));
    executor = new ExecutorClient(vertx);
    scheduler = new SchedulerClient(vertx);
    parser = new ParserClient(vertx);
    var finished = vertx.eventBus().<JsonObject>consumer(Addresses.Executor.EVT_FINISHED, m -> {
      if (settings.orchestrate()) {
        onRunFinished(RunView.fromJson(m.body()));
      }
    });
    return Database.open(vertx, Path.of(settings.databasePath()))
        .compose(opened -> {
          pool = opened;
          store = new PrStore(pool);
          return Database.migrate(pool, PrStore.OWNER, PrStore.MIGRATIONS);
        })
        .compose(v -> finished.completion())
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
            resumeOpenPullRequests();
            if (settings.github() != null && "github".equals(settings.forgeKind())) {
              vertx.setPeriodic(settings.github().pollIntervalMillis(), id -> pollForgeChecks());
            }
          }
        });
  }

  private Forge createForge() {
    if ("github".equals(settings.forgeKind())) {
      Settings.GitHub gh = settings.github();
      api = new GitHubApi(vertx, gh.apiUrl(), gh.token());
      return new GitHubForge(vertx, git, api, gh.owner(), gh.repo(), gh.remote(), settings.mainBranch());
    }
    return new LocalForge(vertx, git, Path.of(settings.worktreeDir()).resolve(".merge"), settings.mainBranch());
  }

  /** How many GitHub API requests this orch made, and how many counted against the rate limit (for the benchmark). */
  private JsonObject apiUsage() {
    return new JsonObject().put("requests", api == null ? 0 : api.requests.get())
        .put("counted", api == null ? 0 : api.counted.get());
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  // ---- a run ended

  private void onRunFinished(RunView run) {
    store.activeForTask(run.taskId()).onSuccess(active -> {
      if (active.isPresent() && active.get().stage() == PrStage.FIXING) {
        afterFix(active.get(), run);
      } else if (active.isEmpty() && run.succeeded()) {
        open(run.taskId(), run.runId()).onFailure(e -> LOG.warn("{} run {}: no pull request: {}", run.taskId(), run.runId(),
            e.getMessage()));
      }
    });
  }

  /** The agent's turn on feedback ended: carry on with the updated branch, or hand the pull request to a person. */
  private void afterFix(PullRequestView pr, RunView run) {
    if (!run.succeeded()) {
      flag(pr, "the agent could not address the feedback: " + (run.reason() == null ? run.status().wire() : run.reason()));
      return;
    }
    inspect(pr, run).compose(updated -> store.save(updated.withRun(run.runId(), 0, 0).withStage(PrStage.CHECKING)))
        .onSuccess(updated -> advance(updated.number()))
        .onFailure(e -> flag(pr, "could not read the updated branch: " + e.getMessage()));
  }

  // ---- opening

  private Future<PullRequestView> openCommand(JsonObject body) {
    String taskId = TaskId.parseFull(body.getValue("task_id") instanceof String s ? s : null).toString();
    if (!(body.getValue("run_id") instanceof Number runId)) {
      return Future.failedFuture(OrchException.badRequest("field 'run_id' must be a number"));
    }
    return open(taskId, runId.longValue());
  }

  /** Idempotent: a run that already has a pull request gets that one back. */
  private Future<PullRequestView> open(String taskId, long runId) {
    return store.forRun(runId).compose(existing -> {
      if (existing.isPresent()) {
        return Future.succeededFuture(existing.get());
      }
      return store.activeForTask(taskId).compose(active -> active.isPresent() ? Future.succeededFuture(active.get())
          : Future.all(scheduler.get(taskId), executor.run(runId)).compose(both -> create(both.resultAt(0), both.resultAt(1))));
    });
  }

  private Future<PullRequestView> create(TaskView task, RunView run) {
    return vertx.executeBlocking(() -> BranchInspection.of(git, settings.mainBranch(), run.branch(), Path.of(run.worktree()),
            planFile(run, task)))
        .compose(inspection -> {
          if (inspection.commits() == 0) {
            String reason = "the agent finished without committing anything on " + run.branch();
            vertx.eventBus().publish(Addresses.Prbot.EVT_FAILED, new PullRequestFailure(task.id(), run.runId(), reason).toJson());
            return Future.failedFuture(OrchException.conflict(task.id() + ": " + reason));
          }
          PullRequestView draft = new PullRequestView(0, task.id(), run.runId(), run.branch(),
              task.title() + " (" + task.id() + ")", PrBody.of(task, run, inspection), PrState.OPEN, null,
              inspection.headCommit(), null, inspection.filesChanged(), inspection.additions(), inspection.deletions(),
              inspection.diffStat(), run.costUsd(), run.inputTokens() + run.outputTokens(), System.currentTimeMillis(), 0,
              PrStage.CHECKING, 0, List.of(), null, null, null, 0, ChecksState.NOT_RUN, null, task.title(), task.file(),
              run.worktree(), task.needsReview());
          // A branch with secret-looking files stays local: it is flagged on its way (secretsGate), never opened on a forge.
          return store.insert(draft)
              .compose(pr -> vertx.executeBlocking(() -> BranchSecrets.of(git, git.mainBranch(settings.mainBranch()),
                  pr.branch())).compose(secrets -> secrets.isEmpty() ? forge.open(pr).compose(store::save)
                  : Future.succeededFuture(pr)))
              .onSuccess(pr -> {
                LOG.info("{}: opened pull request #{} ({} files, +{} -{})", pr.taskId(), pr.number(), pr.filesChanged(),
                    pr.additions(), pr.deletions());
                vertx.eventBus().publish(Addresses.Prbot.EVT_OPENED, pr.toJson());
                advance(pr.number());
              });
        });
  }

  /** A pull request's fields after the agent changed its branch: head, diff, cost. */
  private Future<PullRequestView> inspect(PullRequestView pr, RunView run) {
    return scheduler.get(pr.taskId()).compose(task -> vertx.executeBlocking(() -> BranchInspection.of(git,
            settings.mainBranch(), pr.branch(), Path.of(run.worktree()), planFile(run, task)))
        .map(inspection -> pr.withHead(inspection.headCommit(), inspection.filesChanged(), inspection.additions(),
            inspection.deletions(), inspection.diffStat()).withRun(pr.runId(), run.costUsd(),
            run.inputTokens() + run.outputTokens())));
  }

  private Path planFile(RunView run, TaskView task) {
    Path inWorktree = Path.of(run.worktree()).resolve(task.file());
    return Files.isRegularFile(inWorktree) ? inWorktree : Path.of(settings.projectRoot()).resolve(task.file());
  }

  // ---- the way to merge: update, check, route, merge

  /** Takes an open pull request as far as it can go without a person. One at a time per pull request. */
  private void advance(int number) {
    if (!advancing.add(number)) {
      advanceAgain.add(number);
      return;
    }
    store.get(number)
        .compose(found -> found.filter(pr -> pr.state() == PrState.OPEN).map(this::step).orElse(Future.succeededFuture()))
        .onSuccess(v -> transientRetries.succeeded(number))
        .onFailure(e -> {
          if (ErrorCode.of(e).retryable()) {
            // A neighbour not yet deployed after a restart, a bus timeout, a forge's 5xx: wait, then take it up again.
            Duration wait = transientRetries.failed(number);
            LOG.info("pull request #{}: {}; trying again in {} s", number, e.getMessage(), wait.toSeconds());
            vertx.setTimer(wait.toMillis(), id -> advance(number));
          } else {
            store.get(number).onSuccess(pr -> pr.ifPresent(p ->
                flag(p, "orch could not process it: " + e.getMessage())));
          }
        })
        .onComplete(done -> {
          advancing.remove(number);
          if (advanceAgain.remove(number)) {
            advance(number);
          }
        });
  }

  private Future<Void> step(PullRequestView pr) {
    return Future.all(scheduler.get(pr.taskId()), executor.run(pr.runId())).compose(both -> {
      TaskView task = both.resultAt(0);
      RunView run = both.resultAt(1);
      Path worktree = Path.of(run.worktree());
      if (!Files.isDirectory(worktree)) {
        return flag(pr, "its worktree " + worktree + " is gone").mapEmpty();
      }
      // Each stage answers the pull request as it now stands, or null when it stopped (the agent or a person has it).
      return updateBranch(pr, task, worktree)
          .compose(updated -> updated == null ? Future.succeededFuture(null) : secretsGate(updated))
          .compose(updated -> updated == null ? Future.succeededFuture(null) : runChecks(updated, task, worktree))
          .compose(checked -> checked == null ? Future.succeededFuture(null) : forgeChecks(checked, task))
          .compose(checked -> checked == null ? Future.succeededFuture(null) : route(checked, task))
          .compose(routine -> routine == null ? Future.succeededFuture() : enqueueMerge(routine.number(), false).mapEmpty());
    });
  }

  /** The pull request with its branch up to date with the main branch, or null when the agent was asked to help. */
  private Future<PullRequestView> updateBranch(PullRequestView pr, TaskView task, Path worktree) {
    TaskId id = TaskId.parseFull(pr.taskId());
    String archive = archiveRef(id, "pre-update-" + System.currentTimeMillis());
    return vertx.executeBlocking(() -> {
      String main = git.mainBranch(settings.mainBranch());
      String mainTip = git.resolve(main).orElseThrow();
      return Map.entry(main, BranchUpdate.update(git, worktree, mainTip, settings.updateMethod(), archive));
    }).compose(result -> {
      BranchUpdate.Outcome outcome = result.getValue();
      if (outcome.kind() == BranchUpdate.Kind.UP_TO_DATE) {
        return Future.succeededFuture(pr);
      }
      if (outcome.kind() == BranchUpdate.Kind.UPDATED) {
        return executor.run(pr.runId()).compose(run -> inspect(pr, run)).compose(store::save);
      }
      if (pr.followUp() == FollowUpKind.CONFLICT) {
        return flag(pr, "it still conflicts with " + result.getKey() + " after the agent's attempt: "
            + outcome.files().replace('\n', ' ')).map((PullRequestView) null);
      }
      return fix(pr, new FollowUp.Conflict(result.getKey(), outcome.files())).map((PullRequestView) null);
    });
  }


  /** The pull request with its checks passed (or none configured), or null when they failed. */
  private Future<PullRequestView> runChecks(PullRequestView pr, TaskView task, Path worktree) {
    if (pr.checksState() == ChecksState.PASSED || pr.checksState() == ChecksState.FORGE_PENDING) {
      return Future.succeededFuture(pr);
    }
    if (!checks.configured()) {
      return store.save(pr.withChecks(ChecksState.NONE_CONFIGURED, null));
    }
    Path output = Path.of(settings.logDir()).resolve("checks").resolve("pr-" + pr.number() + "-" + System.currentTimeMillis()
        + ".log");
    return vertx.executeBlocking(() -> checks.run(worktree, output), false).compose(result -> {
      LOG.info("{}: checks on pull request #{} {}", pr.taskId(), pr.number(), result.summary());
      if (result.passed()) {
        return store.save(pr.withChecks(ChecksState.PASSED, null));
      }
      PullRequestView red = pr.withChecks(ChecksState.FAILED, result.summary() + "; output in " + output);
      if (pr.fixRounds() >= settings.maxFixRounds()) {
        return flag(red, "checks still fail after " + pr.fixRounds() + " fix round" + (pr.fixRounds() == 1 ? "" : "s")
            + ": " + result.summary()).map((PullRequestView) null);
      }
      return fix(red, new FollowUp.ChecksFailed(false, result.command(), String.valueOf(result.exitCode()),
          result.outputTail(), result.summary(), pr.fixRounds() + 1, settings.maxFixRounds())).map((PullRequestView) null);
    });
  }

  /**
   * The forge's own checks (CI on GitHub) on the published head: the pull request when they passed or there are none,
   * null while they run (the poller comes back) or when they failed (the agent gets the failure, as for local checks).
   */
  private Future<PullRequestView> forgeChecks(PullRequestView pr, TaskView task) {
    return forge.publish(pr).compose(v -> forge.remoteChecks(pr)).compose(remote -> switch (remote.state()) {
      case NONE, PASSED -> pr.checksState() == ChecksState.FORGE_PENDING ? store.save(pr.withChecks(ChecksState.PASSED, null))
          : Future.succeededFuture(pr);
      case PENDING -> store.save(pr.withChecks(ChecksState.FORGE_PENDING, null)).map((PullRequestView) null);
      case FAILED -> {
        PullRequestView red = pr.withChecks(ChecksState.FORGE_FAILED, remote.summary());
        if (pr.fixRounds() >= settings.maxFixRounds()) {
          yield flag(red, "the forge's checks still fail after " + pr.fixRounds() + " fix rounds: " + remote.summary())
              .map((PullRequestView) null);
        }
        yield fix(red, new FollowUp.ChecksFailed(true, "the forge's checks", "-", remote.summary(), remote.summary(),
            pr.fixRounds() + 1, settings.maxFixRounds())).map((PullRequestView) null);
      }
    });
  }

  /** Open pull requests waiting for the forge's checks are looked at again, all in one place. */
  private void pollForgeChecks() {
    store.list(PrState.OPEN).onSuccess(open -> open.stream()
        .filter(pr -> pr.checksState() == ChecksState.FORGE_PENDING && pr.stage() == PrStage.CHECKING)
        .forEach(pr -> advance(pr.number())));
  }

  /**
   * The pull request when its branch carries no secret-looking files (opened on the forge now if it never was), or null
   * when it does: then it is flagged with the files named, before anything is pushed (H1).
   */
  private Future<PullRequestView> secretsGate(PullRequestView pr) {
    return vertx.executeBlocking(() -> BranchSecrets.of(git, git.mainBranch(settings.mainBranch()), pr.branch()))
        .compose(secrets -> {
          if (secrets.isEmpty()) {
            return pr.remoteNumber() == 0 && "github".equals(settings.forgeKind()) ? forge.open(pr).compose(store::save)
                : Future.succeededFuture(pr);
          }
          String reason = BranchSecrets.CATEGORY + ": " + BranchSecrets.describe(secrets);
          PullRequestView routed = pr.withRouting(reason, List.of(NEEDS_REVIEW_LABEL, BranchSecrets.CATEGORY));
          return flag(routed, "review needed: " + reason + " (kept local: orch does not push such a branch)")
              .map((PullRequestView) null);
        });
  }

  /** The pull request when the change is routine, or null when it was flagged with the reason and labels. */
  private Future<PullRequestView> route(PullRequestView pr, TaskView task) {
    return vertx.executeBlocking(() -> {
      String main = git.mainBranch(settings.mainBranch());
      return router.route(FileDiff.parse(BranchSecrets.diff(git, main, pr.branch())),
          task.needsReview(), task.file());
    }).compose(decision -> {
      if (decision.routine()) {
        return store.save(pr.withRouting(null, pr.labels()));
      }
      List<String> labels = new ArrayList<>();
      labels.add(NEEDS_REVIEW_LABEL);
      decision.categories().forEach(labels::add);
      PullRequestView routed = pr.withRouting(decision.reason(), labels);
      return forge.label(routed, labels).compose(v -> flag(routed, "review needed: " + decision.reason())).map((PullRequestView) null);
    });
  }

  /** Sends feedback to the agent's session; the pull request waits in the fixing stage for the run to end. */
  private Future<PullRequestView> fix(PullRequestView pr, FollowUp followUp) {
    PullRequestView fixing = pr.handedToAgent(followUp.kind(), followUp.reason(),
        pr.fixRounds() + (followUp.countsAsFixRound() ? 1 : 0));
    return store.save(fixing)
        .compose(saved -> executor.resume(followUp.request(saved)).map(run -> {
          LOG.info("{}: pull request #{}: {}; the agent works on it in run {}", pr.taskId(), pr.number(), followUp.reason(),
              run.runId());
          vertx.eventBus().publish(Addresses.Prbot.EVT_FIXING, saved.toJson());
          return saved;
        }))
        .recover(e -> flag(fixing, "could not hand the feedback to the agent: " + e.getMessage()));
  }

  // ---- merging

  private Future<PullRequestView> mergeCommand(JsonObject body) {
    if (!(body.getValue("number") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'number' must be a pull request number"));
    }
    boolean force = Boolean.TRUE.equals(body.getValue("force"));
    return store.get(number.intValue()).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      if (pr.state() == PrState.MERGED || pr.state() == PrState.CLOSED) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is " + pr.state().wire()));
      }
      if (pr.stage() == PrStage.FIXING) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is with the agent ("
            + pr.reason() + "); wait for it"));
      }
      return (force || !checks.configured() ? Future.succeededFuture(pr) : checkBeforeManualMerge(pr))
          .compose(checked -> enqueueMerge(checked.number(), true));
    });
  }

  /** A person's merge still needs green checks on the current head, unless forced. */
  private Future<PullRequestView> checkBeforeManualMerge(PullRequestView pr) {
    return Future.all(scheduler.get(pr.taskId()), executor.run(pr.runId())).compose(both -> {
      RunView run = both.resultAt(1);
      Path output = Path.of(settings.logDir()).resolve("checks").resolve("pr-" + pr.number() + "-manual.log");
      return vertx.executeBlocking(() -> checks.run(Path.of(run.worktree()), output), false).compose(result -> result.passed()
          ? store.save(pr.withChecks(ChecksState.PASSED, null))
          : Future.failedFuture(OrchException.conflict("pull request #" + pr.number() + ": checks fail: " + result.summary()
              + " (output in " + output + "); use --force to merge anyway")));
    });
  }

  private Future<PullRequestView> enqueueMerge(int number, boolean byPerson) {
    if (!settings.orchestrate()) {
      return Future.failedFuture(OrchException.conflict("merging needs a running orch (orch run)"));
    }
    Future<PullRequestView> next = mergeQueue.transform(v -> merge(number, byPerson, 1));
    mergeQueue = next;
    return next;
  }

  private Future<PullRequestView> merge(int number, boolean byPerson, int attempt) {
    return store.get(number).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      return Future.all(scheduler.get(pr.taskId()), executor.run(pr.runId())).compose(both -> {
        TaskView task = both.resultAt(0);
        RunView run = both.resultAt(1);
        return forge.prepareMerge(pr, Path.of(run.worktree()), settings.mergeMethod()).compose(prepared -> {
            if (prepared.conflict() == null) {
              return writeStatusAndComplete(pr, task, prepared.attempt(), byPerson, attempt);
            }
            if (byPerson || attempt >= MAX_MERGE_ATTEMPTS) {
              return flag(pr, prepared.conflict());
            }
            // The main branch moved since the branch was updated: go round again (update, checks, route).
            advanceAgain.add(pr.number());
            return Future.succeededFuture(pr);
          });
      });
    }).recover(failure -> store.get(number).compose(found -> found.isPresent()
        ? flag(found.get(), "merge failed: " + failure.getMessage())
        : Future.failedFuture(failure)));
  }

  private Future<PullRequestView> writeStatusAndComplete(PullRequestView pr, TaskView task, Forge.MergeAttempt attempt,
      boolean byPerson, int tries) {
    WriteStatusRequest status = new WriteStatusRequest(attempt.checkout().toString(), pr.taskId(), task.file(),
        PlanStatus.COMPLETE);
    return parser.writeStatus(status)
        .compose(v -> forge.completeMerge(pr, attempt, SquashMessage.of(pr)))
        .compose(done -> {
          if (done.blocked() != null) {
            return forge.abortMerge(attempt).compose(v -> done.retry() && tries < MAX_MERGE_ATTEMPTS ? merge(pr.number(), byPerson, tries + 1)
                : flag(pr, done.blocked()));
          }
          return merged(pr, attempt, done.mergeCommit(), byPerson);
        });
  }

  private Future<PullRequestView> merged(PullRequestView pr, Forge.MergeAttempt attempt, String mergeCommit,
      boolean byPerson) {
    TaskId id = TaskId.parseFull(pr.taskId());
    return vertx.executeBlocking(() -> git.run("update-ref", MERGED_REFS + id.module() + "-" + id.local(), attempt.branchTip()))
        .compose(v -> store.save(pr.merged(mergeCommit, System.currentTimeMillis(), byPerson ? "merged by a person" : null)))
        .onSuccess(updated -> {
          LOG.info("{}: merged pull request #{} into {} as {}", pr.taskId(), pr.number(), attempt.mainBranch(),
              mergeCommit.substring(0, Math.min(10, mergeCommit.length())));
          vertx.eventBus().publish(Addresses.Prbot.EVT_MERGED, updated.toJson());
          // Tidying up is not urgent: leave the git lock and the CPU to the dependants starting now.
          vertx.setTimer(CLEANUP_DELAY_MILLIS, timer -> executor.removeWorktree(pr.taskId(), "merged-pr-" + pr.number())
              .onFailure(e -> LOG.warn("{}: worktree not removed: {}", pr.taskId(), e.getMessage())));
        });
  }

  private Future<PullRequestView> flag(PullRequestView pr, String reason) {
    LOG.warn("{}: pull request #{} needs a person: {}", pr.taskId(), pr.number(), reason);
    return store.save(pr.flagged(reason))
        .onSuccess(flagged -> vertx.eventBus().publish(Addresses.Prbot.EVT_FLAGGED, flagged.toJson()));
  }

  // ---- a person's feedback

  private Future<PullRequestView> rejectCommand(JsonObject body) {
    if (!(body.getValue("number") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'number' must be a pull request number"));
    }
    if (!(body.getValue("reason") instanceof String reason) || reason.isBlank()) {
      return Future.failedFuture(OrchException.badRequest("field 'reason' must say what to change"));
    }
    return store.get(number.intValue()).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      if (pr.state() == PrState.MERGED || pr.state() == PrState.CLOSED) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is " + pr.state().wire()));
      }
      if (pr.stage() == PrStage.FIXING) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is already with the agent"));
      }
      return fix(pr.withState(PrState.OPEN), new FollowUp.Rejected(reason));
    });
  }

  /** After a restart: pull requests that were being checked or merged carry on; ones with the agent wait for it. */
  private void resumeOpenPullRequests() {
    store.list(PrState.OPEN).onSuccess(open -> open.forEach(pr -> {
      if (pr.stage() == PrStage.FIXING) {
        executor.runs(pr.taskId(), false).onSuccess(runs -> {
          if (!runs.isEmpty() && !runs.get(0).status().live()) {
            afterFix(pr, runs.get(0));
          }
        });
      } else {
        LOG.info("{}: resuming pull request #{}", pr.taskId(), pr.number());
        advance(pr.number());
      }
    }));
  }

  // ---- queries

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
      return vertx.executeBlocking(() -> diffOf(pr)).map(diff -> pr.toJson().put("diff", diff));
    });
  }

  private String diffOf(PullRequestView pr) {
    if (pr.mergeCommit() != null && git.resolve(pr.mergeCommit()).isPresent()) {
      return git.run("show", "--stat", "--patch", "--format=commit %H%n%n    %s%n", pr.mergeCommit());
    }
    String main = git.mainBranch(settings.mainBranch());
    if (git.resolve(pr.headCommit()).isPresent()) {
      return git.run("diff", "--stat", "--patch", main + "..." + pr.headCommit());
    }
    return "(the commits of this pull request are no longer in the repository)";
  }

  /** Where a branch's commits are kept before orch rewrites it: the executor's archive convention. */
  private static String archiveRef(TaskId task, String label) {
    return "refs/orch/archive/" + task.module() + "-" + task.local() + "/" + label;
  }
}
