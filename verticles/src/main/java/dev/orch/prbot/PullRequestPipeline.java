package dev.orch.prbot;

import dev.orch.contract.ChecksState;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.FollowUpKind;
import dev.orch.contract.GovernorView;
import dev.orch.contract.OrchException;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.PrStage;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskView;
import dev.orch.contract.WriteStatusRequest;
import dev.orch.db.Database;
import dev.orch.flow.SerialQueue;
import dev.orch.logging.TaskLog;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a successful run to a merged change: bring the branch up to date with the main branch (the agent resolves a
 * conflict), keep secret-looking files local, run the checks here and then the forge's (the agent fixes red ones, up to
 * a number of rounds), route the change (routine, or flagged for a person with the reason), and merge, one at a time:
 * the change and the plan's new status land in one commit. Feedback always goes back to the same agent session in the
 * same worktree, and the same pull request is updated. A step that fails for a passing reason (a neighbour not yet
 * deployed, a bus timeout) is tried again with backoff and never flags the pull request. The model API's limits are
 * not the agent's failure either: a round that hits one, or would start while the scheduler's governor holds agents
 * back, waits ({@link PrStage#LIMITED}) and runs when the governor lets agents start again ({@link ModelApiGate}).
 *
 * <p>Every method is called on one thread (the verticle's event loop), so the fields need no locks.
 */
final class PullRequestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PullRequestPipeline.class);
  static final String NEEDS_REVIEW_LABEL = "needs-human-review";
  static final Duration CLEANUP_DELAY = Duration.ofSeconds(2);
  static final int MAX_MERGE_ATTEMPTS = 3;

  /** What the pipeline needs of the config. {@code remoteForge}: pull requests are also opened on a forge (GitHub). */
  record Settings(String mergeMethod, String updateMethod, int maxFixRounds, Path logDir, boolean remoteForge) {
  }

  /** How far one stage took a pull request; only {@link Continue} lets the next stage run. */
  sealed interface Step {
    PullRequestView pr();

    record Continue(PullRequestView pr) implements Step {
    }

    /** The agent works on feedback; its finished run brings the pull request back. */
    record HandedToAgent(PullRequestView pr) implements Step {
    }

    /** A person decides. */
    record Flagged(PullRequestView pr) implements Step {
    }

    /** The forge's checks are running (the poller comes back), or the agent's round waits for the model API's limit. */
    record Waiting(PullRequestView pr) implements Step {
    }

    record Merged(PullRequestView pr) implements Step {
    }

    /** The main branch moved while merging: update, check and route again. */
    record Again(PullRequestView pr) implements Step {
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final PullRequests store;
  private final Forge forge;
  private final PipelinePorts.Repository repo;
  private final PipelinePorts.Agent agent;
  private final PipelinePorts.TaskSource tasks;
  private final PipelinePorts.StatusWriter status;
  private final PipelinePorts.Checks checks;
  private final PipelinePorts.Events events;
  private final PipelinePorts.Timers timers;
  /** Pull requests being worked on right now; a second trigger for one of them waits for the first. */
  private final Set<Integer> advancing = new HashSet<>();
  private final Set<Integer> advanceAgain = new HashSet<>();
  private final TransientRetries retries = new TransientRetries();
  /** Open pull requests found at start: one may have landed just before a crash, so its first step looks for that. */
  private final Set<Integer> mayHaveLanded = new HashSet<>();
  /**
   * Pull requests being opened, by run: the run's end event and the scheduler's open after a restart may ask for the
   * same run at once, and the second must get the first's pull request, not a duplicate the store refuses.
   */
  private final Map<Long, Future<PullRequestView>> opening = new HashMap<>();
  /**
   * Rounds started again because orch stopped before their agent started, by the run that says so: the run's end and
   * the look at the executor after a restart may both bring one.
   */
  private final Set<Long> roundsStartedAgain = new HashSet<>();
  /** Merges run one after another: each starts from the main branch the previous one left. */
  private final SerialQueue merges = new SerialQueue();
  private final ModelApiGate gate;
  /**
   * Decisions to start an agent's round run one after another: each counts the rounds under way, which the one before
   * may have just added to.
   */
  private final SerialQueue rounds = new SerialQueue();

  PullRequestPipeline(Settings settings, Clock clock, PullRequests store, Forge forge, PipelinePorts.Repository repo,
      PipelinePorts.Agent agent, PipelinePorts.TaskSource tasks, PipelinePorts.StatusWriter status,
      PipelinePorts.Checks checks, PipelinePorts.Events events, PipelinePorts.Timers timers, ModelApiGate gate) {
    this.settings = settings;
    this.gate = gate;
    this.clock = clock;
    this.store = store;
    this.forge = forge;
    this.repo = repo;
    this.agent = agent;
    this.tasks = tasks;
    this.status = status;
    this.checks = checks;
    this.events = events;
    this.timers = timers;
  }

  // ---- what sets it going

  /** A run ended: the agent's turn on feedback, or a first run that becomes a pull request. */
  Future<Void> onRunFinished(RunView run) {
    return store.activeForTask(run.taskId()).compose(active -> {
      if (active.isPresent() && active.get().stage() == PrStage.FIXING) {
        // However the round ended, one of prbot's rounds is no longer under way: a waiting one may take its place.
        return afterFix(active.get(), run).compose(v -> startWaitingRounds());
      }
      if (active.isEmpty() && run.succeeded()) {
        // The event carries the run, and the run carries the task as it was launched: nothing is asked for.
        return once(run.runId(), () -> store.forRun(run.runId()).compose(existing -> existing.isPresent()
                ? Future.succeededFuture(existing.get()) : taskOf(run).compose(task -> create(task, run))))
            .<Void>mapEmpty()
            .recover(e -> {
              if (passing(e)) {
                // The store busy or out of disk, the scheduler not there yet: the run still becomes a pull request,
                // later (its task waits for it). Keyed apart from pull request numbers, which are positive.
                retryLater((int) -run.runId(), e, () -> onRunFinished(run));
              } else {
                TaskLog.warn(LOG, run.taskId(), run.runId())
                    .log("{} run {}: no pull request: {}", run.taskId(), run.runId(), e.getMessage());
              }
              return Future.succeededFuture();
            });
      }
      return Future.succeededFuture();
    });
  }

  /** Idempotent: a run that already has a pull request, or a task with an active one, gets that one back. */
  Future<PullRequestView> open(TaskId taskId, long runId) {
    return once(runId, () -> store.forRun(runId).compose(existing -> existing.isPresent()
        ? Future.succeededFuture(existing.get())
        : store.activeForTask(taskId).compose(active -> active.isPresent() ? Future.succeededFuture(active.get())
            : tasks.run(runId).compose(run -> taskOf(run).compose(task -> create(task, run))))));
  }

  private Future<PullRequestView> once(long runId, Supplier<Future<PullRequestView>> open) {
    Future<PullRequestView> inFlight = opening.get(runId);
    if (inFlight != null) {
      return inFlight;
    }
    Future<PullRequestView> opened = open.get();
    if (!opened.isComplete()) {
      opening.put(runId, opened);
      opened.onComplete(done -> opening.remove(runId));
    }
    return opened;
  }

  /** The task a pull request is opened from: the run's own record of it, or, for a run older than that, the scheduler's. */
  private Future<TaskSnapshot> taskOf(RunView run) {
    TaskSnapshot carried = TaskSnapshot.of(run);
    return carried != null ? Future.succeededFuture(carried) : tasks.task(run.taskId()).map(TaskSnapshot::of);
  }

  /** After a restart: each open pull request carries on at its stage; one with the agent waits for its run to end. */
  Future<Void> resumeAll() {
    return store.list(PrState.OPEN).compose(open -> {
      List<Future<Void>> resumed = new ArrayList<>();
      for (PullRequestView pr : open) {
        if (pr.stage() == PrStage.FIXING) {
          resumed.add(resumeFixing(pr));
        } else if (pr.stage() == PrStage.LIMITED) {
          TaskLog.info(LOG, pr.taskId())
              .log("{}: pull request #{} waits for the model API's limit to lift", pr.taskId(), pr.number());
        } else {
          TaskLog.info(LOG, pr.taskId()).log("{}: resuming pull request #{}", pr.taskId(), pr.number());
          mayHaveLanded.add(pr.number());
          resumed.add(advance(pr.number()));
        }
      }
      return Future.join(resumed).<Void>mapEmpty().compose(v -> startWaitingRounds());
    });
  }

  /** The scheduler's governor parked, let a probe go, ramped back or opened: waiting rounds may start. */
  Future<Void> onGovernor(GovernorView view) {
    gate.governed(view);
    return startWaitingRounds();
  }

  /**
   * A pull request left with the agent: its run may have ended while orch was down, or orch may have stopped before
   * the executor recorded one (the task's latest run is still the one the pull request has). The executor is deployed
   * after prbot, so it may not answer yet: then it is asked again later.
   */
  private Future<Void> resumeFixing(PullRequestView pr) {
    return agent.latestRun(pr.taskId()).compose(latest -> {
          if (latest.isPresent() && latest.get().runId() <= pr.runId()) {
            return startRoundAgain(pr, latest.get().runId());
          }
          return latest.isPresent() && !latest.get().status().live() ? afterFix(pr, latest.get())
              : Future.<Void>succeededFuture();
        },
        failure -> {
          if (passing(failure)) {
            retryLater(pr.number(), failure, () -> resumeFixing(pr));
          } else {
            TaskLog.warn(LOG, pr.taskId())
                .log("{}: pull request #{} with the agent not resumed: {}", pr.taskId(), pr.number(),
                    failure.getMessage());
          }
          return Future.succeededFuture();
        });
  }

  /** Open pull requests waiting for the forge's checks are looked at again. */
  Future<Void> pollForgeChecks() {
    return store.list(PrState.OPEN).compose(open -> Future.join(open.stream()
        .filter(pr -> pr.checksState() == ChecksState.FORGE_PENDING && pr.stage() == PrStage.CHECKING)
        .map(pr -> advance(pr.number())).toList()).mapEmpty());
  }

  /** A person merges: checks must be green on the current head unless {@code force}. */
  Future<PullRequestView> mergeByPerson(int number, boolean force) {
    return store.get(number).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      if (pr.state() == PrState.MERGED || pr.state() == PrState.CLOSED) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is " + pr.state().wire()));
      }
      if (pr.stage() == PrStage.FIXING) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is with the agent ("
            + pr.reason() + "); wait for it"));
      }
      return withSnapshot(pr)
          .compose(current -> force || !checks.configured() ? Future.succeededFuture(current) : checkBeforeMerge(current))
          .compose(checked -> enqueueMerge(checked.number(), true))
          .map(Step::pr);
    });
  }

  /** A person sends the pull request back to its agent with what to change. */
  Future<PullRequestView> reject(int number, String why) {
    return store.get(number).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      if (pr.state() == PrState.MERGED || pr.state() == PrState.CLOSED) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is " + pr.state().wire()));
      }
      if (pr.stage() == PrStage.FIXING) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is already with the agent"));
      }
      return withSnapshot(pr).compose(current -> fix(current.withState(PrState.OPEN), new FollowUp.Rejected(why)))
          .map(Step::pr);
    });
  }

  // ---- opening

  private Future<PullRequestView> create(TaskSnapshot task, RunView run) {
    return repo.inspect(run.branch(), Path.of(run.worktree()), task.file()).compose(inspection -> {
      if (inspection.commits() == 0) {
        String reason = "the agent finished without committing anything on " + run.branch();
        events.failed(new PullRequestFailure(task.id(), run.runId(), reason));
        return Future.failedFuture(OrchException.conflict(task.id() + ": " + reason));
      }
      PullRequestView draft = new PullRequestView(0, task.id(), run.runId(), run.branch(),
          task.title() + " (" + task.id() + ")", PrBody.of(task, run, inspection), PrState.OPEN, null,
          inspection.headCommit(), null, inspection.filesChanged(), inspection.additions(), inspection.deletions(),
          inspection.diffStat(), run.costUsd(), run.inputTokens() + run.outputTokens(), clock.millis(), 0,
          PrStage.CHECKING, 0, List.of(), null, null, null, 0, ChecksState.NOT_RUN, null, task.title(), task.file(),
          run.worktree(), task.needsReview(), List.of());
      // A branch with secret-looking files stays local: it is flagged on its way (secretsGate), never opened on a forge.
      // A forge that refuses now gets asked again by secretsGate: the pull request is recorded either way.
      return store.insert(draft)
          .compose(pr -> repo.secrets(pr.branch()).compose(secrets -> secrets.isEmpty()
              ? forge.open(pr).compose(store::save).recover(e -> {
                TaskLog.warn(LOG, pr.taskId(), pr.runId())
                    .log("{}: pull request #{} not opened on the forge yet: {}", pr.taskId(), pr.number(),
                        e.getMessage());
                return Future.succeededFuture(pr);
              })
              : Future.succeededFuture(pr)))
          .onSuccess(pr -> {
            TaskLog.info(LOG, pr.taskId(), pr.runId())
                .log("{}: opened pull request #{} ({} files, +{} -{})", pr.taskId(), pr.number(), pr.filesChanged(),
                    pr.additions(), pr.deletions());
            events.opened(pr);
            advance(pr.number());
          });
    });
  }

  /** A row from before the snapshot was kept gets it once, from the scheduler and the executor. */
  private Future<PullRequestView> withSnapshot(PullRequestView pr) {
    if (pr.hasSnapshot()) {
      return Future.succeededFuture(pr);
    }
    return Future.all(tasks.task(pr.taskId()), tasks.run(pr.runId())).compose(both -> {
      TaskView task = both.resultAt(0);
      RunView run = both.resultAt(1);
      return store.save(pr.withSnapshot(task.title(), task.file(), run.worktree(), task.needsReview()));
    });
  }

  /** The agent's turn on feedback ended: carry on with the updated branch, or hand the pull request to a person. */
  private Future<Void> afterFix(PullRequestView pr, RunView run) {
    if (run.stopCause() == StopCause.LOST) {
      return startRoundAgain(pr, run.runId());
    }
    if (run.status() == RunStatus.LIMITED) {
      return waitOutLimit(pr, run);
    }
    if (!run.succeeded()) {
      // Handing it to a person is a write like any other: a full disk must not leave the round waiting for nothing.
      return flag(pr, new FlagCause.AgentGaveUp(run.reason() == null ? run.status().wire() : run.reason()))
          .<Void>mapEmpty()
          .recover(e -> {
            if (passing(e)) {
              retryLater(pr.number(), e, () -> afterFix(pr, run));
              return Future.succeededFuture();
            }
            return Future.failedFuture(e);
          });
    }
    return withSnapshot(pr)
        .compose(current -> inspect(current.withRun(run.runId(), run.costUsd(), run.inputTokens() + run.outputTokens())))
        .compose(updated -> store.save(updated.withStage(PrStage.CHECKING)))
        .<Void>mapEmpty()
        .onSuccess(v -> advance(pr.number()))
        .recover(e -> {
          if (passing(e)) {
            retryLater(pr.number(), e, () -> afterFix(pr, run));
            return Future.succeededFuture();
          }
          return flag(pr, new FlagCause.Failed(FlagCause.Failed.READING_BRANCH, e.getMessage())).mapEmpty();
        });
  }

  // ---- the model API's limits

  /**
   * The agent's round hit the model API's limit: no fault of the agent's, and not a round used. It waits, keeping its
   * follow-up, and carries on in its session once the governor lets agents start again.
   */
  private Future<Void> waitOutLimit(PullRequestView pr, RunView run) {
    if (run.apiLimit() != null) {
      gate.limited(run.apiLimit());
    }
    TaskLog.info(LOG, pr.taskId(), run.runId())
        .log("{}: pull request #{}: run {} {}; the round carries on when agents may start again", pr.taskId(),
            pr.number(), run.runId(), run.reason());
    return store.save(pr.waitingForLimit(pr.followUp(), pr.reason(), gate.waitingFor()))
        .onSuccess(events::fixing)
        .<Void>mapEmpty()
        .recover(e -> {
          if (passing(e)) {
            retryLater(pr.number(), e, () -> waitOutLimit(pr, run));
            return Future.succeededFuture();
          }
          return flag(pr, new FlagCause.Failed(FlagCause.Failed.PROCESSING, e.getMessage())).mapEmpty();
        });
  }

  /**
   * Starts the waiting rounds the governor lets start now, oldest pull request first; the others are told what they
   * wait for as the governor now stands (after a restart, what they were told stays until it is heard). Never fails: a
   * round not started now is started by the governor's next word.
   */
  private Future<Void> startWaitingRounds() {
    return rounds.run(() -> store.list(PrState.OPEN).compose(open -> {
      int may = gate.mayStart(underWay(open));
      String waitingFor = gate.waitingFor();
      List<Future<Void>> done = new ArrayList<>();
      for (PullRequestView pr : open) {
        if (pr.stage() != PrStage.LIMITED) {
          continue;
        }
        if (may > 0) {
          may--;
          done.add(runAgain(pr));
        } else if (gate.heard() && !waitingFor.equals(pr.waitingFor())) {
          done.add(store.save(pr.waitingForLimit(pr.followUp(), pr.reason(), waitingFor)).onSuccess(events::fixing)
              .mapEmpty());
        }
      }
      return Future.join(done).<Void>mapEmpty();
    })).recover(e -> {
      LOG.warn("rounds waiting for the model API's limit not looked at: {}", e.getMessage());
      return Future.succeededFuture();
    });
  }

  private static int underWay(List<PullRequestView> open) {
    return (int) open.stream().filter(pr -> pr.stage() == PrStage.FIXING).count();
  }

  /**
   * A round that hit the limit carries on in its agent's session; one that never started is found again on the branch
   * as it now is (red checks, a conflict), as if it had not been decided.
   */
  private Future<Void> runAgain(PullRequestView pr) {
    if (pr.followUp() == null) {
      TaskLog.info(LOG, pr.taskId())
          .log("{}: pull request #{}: agents may start again; its branch is checked again", pr.taskId(), pr.number());
      return store.save(pr.roundNotStarted(pr.fixRounds())).onSuccess(saved -> advance(saved.number())).mapEmpty();
    }
    return store.save(pr.handedToAgent(pr.followUp(), pr.reason(), pr.fixRounds()))
        .onSuccess(this::carryOn)
        .mapEmpty();
  }

  /** The session goes on with the words every session parked by a limit gets ({@link ResumeRequest#AFTER_LIMIT}). */
  private void carryOn(PullRequestView saved) {
    String title = saved.taskTitle() == null ? saved.title() : saved.taskTitle();
    agent.resume(ResumeRequest.afterLimit(saved.taskId(), title, gate.lastLimit())).onSuccess(run -> {
      TaskLog.info(LOG, saved.taskId(), run.runId())
          .log("{}: pull request #{}: the model API's limit lifted; the agent carries on in run {}", saved.taskId(),
              saved.number(), run.runId());
      events.fixing(saved);
    }).onFailure(e -> {
      if (passing(e)) {
        retryLater(saved.number(), e, () -> carryOn(saved));
      } else {
        flag(saved, new FlagCause.Failed(FlagCause.Failed.HANDING_OVER, e.getMessage()));
      }
    });
  }

  /**
   * orch stopped before the agent started its round: the round starts again as if it had not been decided, and is not
   * counted. Red checks and a conflict are found again on the branch as it is (a conflicted merge stays in progress); a
   * person's requested changes lived only in the lost request, so they go back to the person. {@code runId} is the run
   * that shows it: the lost one, or the pull request's own when the executor never recorded one.
   */
  private Future<Void> startRoundAgain(PullRequestView pr, long runId) {
    if (!roundsStartedAgain.add(runId)) {
      return Future.succeededFuture();
    }
    if (pr.followUp() == FollowUpKind.REJECTED) {
      return flag(pr, new FlagCause.RequestNotTakenUp(pr.reason())).mapEmpty();
    }
    TaskLog.info(LOG, pr.taskId())
        .log("{}: pull request #{}: orch stopped before the agent started ({}); the round starts again", pr.taskId(),
            pr.number(), pr.reason());
    int rounds = pr.fixRounds() - (FollowUp.countsAsFixRound(pr.followUp()) ? 1 : 0);
    return store.save(pr.roundNotStarted(Math.max(0, rounds)))
        .<Void>mapEmpty()
        .onSuccess(v -> advance(pr.number()))
        .recover(e -> {
          roundsStartedAgain.remove(runId);
          if (passing(e)) {
            retryLater(pr.number(), e, () -> startRoundAgain(pr, runId));
            return Future.succeededFuture();
          }
          return flag(pr, new FlagCause.Failed(FlagCause.Failed.PROCESSING, e.getMessage())).mapEmpty();
        });
  }

  /** The pull request with its fields read again from its branch: head, diff; checks not run on this head. */
  private Future<PullRequestView> inspect(PullRequestView pr) {
    return repo.inspect(pr.branch(), Path.of(pr.worktree()), pr.taskFile()).map(inspection -> pr.withHead(
        inspection.headCommit(), inspection.filesChanged(), inspection.additions(), inspection.deletions(),
        inspection.diffStat()));
  }

  // ---- the way to merge: update, check, route, merge

  /** Takes an open pull request as far as it can go without a person. One at a time per pull request. */
  Future<Void> advance(int number) {
    if (!advancing.add(number)) {
      advanceAgain.add(number);
      return Future.succeededFuture();
    }
    return store.get(number)
        .compose(found -> found.filter(pr -> pr.state() == PrState.OPEN && pr.stage() != PrStage.LIMITED)
            .map(pr -> withSnapshot(pr).compose(this::step))
            .orElse(Future.succeededFuture()))
        .transform(done -> {
          advancing.remove(number);
          if (done.succeeded()) {
            retries.succeeded(number);
            if (done.result() instanceof Step.Again) {
              advanceAgain.add(number);
            }
          } else if (passing(done.cause())) {
            // The merge may have landed before the failure (recording it failed): the next step looks first.
            mayHaveLanded.add(number);
            retryLater(number, done.cause(), () -> advance(number));
          } else {
            store.get(number).onSuccess(pr -> pr.ifPresent(p -> flag(p,
                new FlagCause.Failed(FlagCause.Failed.PROCESSING, done.cause().getMessage()))));
          }
          return advanceAgain.remove(number) ? advance(number) : Future.succeededFuture();
        });
  }

  /**
   * A neighbour not yet deployed after a restart, a bus timeout, a forge's 5xx, or prbot's own store busy or out of
   * disk: waiting fixes it, so it never hands a pull request to a person.
   */
  private static boolean passing(Throwable failure) {
    return ErrorCode.of(failure).retryable() || Database.passing(failure);
  }

  /** A neighbour not yet deployed after a restart, a bus timeout, a forge's 5xx: wait, then take it up again. */
  private void retryLater(int number, Throwable cause, Runnable again) {
    Duration wait = retries.failed(number);
    LOG.info("pull request #{}: {}; trying again in {} s", number, cause.getMessage(), wait.toSeconds());
    timers.after(wait, again);
  }

  private Future<Step> step(PullRequestView pr) {
    return landedBeforeACrash(pr).compose(landed -> {
      if (landed.isPresent()) {
        TaskLog.info(LOG, pr.taskId())
            .log("{}: pull request #{} is already on the main branch as {}", pr.taskId(), pr.number(), landed.get());
        return recordMerged(pr, landed.get(), null, pr.headCommit(), null);
      }
      Path worktree = Path.of(pr.worktree());
      return repo.exists(worktree).compose(exists -> {
        if (!exists) {
          return flag(pr, new FlagCause.WorktreeGone(worktree));
        }
        Future<Step> step = updateBranch(pr, worktree);
        step = then(step, this::secretsGate);
        step = then(step, current -> runChecks(current, worktree));
        step = then(step, this::forgeChecks);
        step = then(step, this::route);
        return then(step, routine -> enqueueMerge(routine.number(), false));
      });
    });
  }

  /** Asked once per pull request open at start: on the forge (GitHub), then on the main branch (orch's trailers). */
  private Future<Optional<String>> landedBeforeACrash(PullRequestView pr) {
    if (!mayHaveLanded.contains(pr.number())) {
      return Future.succeededFuture(Optional.empty());
    }
    return forge.landed(pr)
        .compose(onForge -> onForge.isPresent() ? Future.succeededFuture(onForge) : repo.mergedOnMain(pr))
        .onSuccess(answered -> mayHaveLanded.remove(pr.number()));
  }

  private static Future<Step> then(Future<Step> step, Function<PullRequestView, Future<Step>> next) {
    return step.compose(done -> done instanceof Step.Continue go ? next.apply(go.pr()) : Future.succeededFuture(done));
  }

  private Future<Step> updateBranch(PullRequestView pr, Path worktree) {
    return repo.update(worktree, "pre-update-" + clock.millis(), pr.taskId(), settings.updateMethod()).compose(update -> {
      BranchUpdate.Outcome outcome = update.outcome();
      return switch (outcome.kind()) {
        case UP_TO_DATE -> Future.succeededFuture(new Step.Continue(pr));
        case UPDATED -> inspect(pr).compose(store::save).map(Step.Continue::new);
        case CONFLICT -> pr.followUp() == FollowUpKind.CONFLICT
            ? flag(pr, new FlagCause.StillConflicts(update.mainBranch(), outcome.files()))
            : fix(pr, new FollowUp.Conflict(update.mainBranch(), outcome.files()));
      };
    });
  }

  /** Flags a branch that carries secret-looking files, before anything is pushed (H1); opens it on the forge if not yet. */
  private Future<Step> secretsGate(PullRequestView pr) {
    return repo.secrets(pr.branch()).compose(secrets -> {
      if (secrets.isEmpty()) {
        return (pr.remoteNumber() == 0 && settings.remoteForge() ? forge.open(pr).compose(store::save)
            : Future.succeededFuture(pr)).map(Step.Continue::new);
      }
      String reason = BranchSecrets.CATEGORY + ": " + BranchSecrets.describe(secrets);
      PullRequestView routed = pr.withRouting(reason, List.of(NEEDS_REVIEW_LABEL, BranchSecrets.CATEGORY));
      return flag(routed, new FlagCause.NeedsReview(reason, true));
    });
  }

  private Future<Step> runChecks(PullRequestView pr, Path worktree) {
    if (pr.checksState() == ChecksState.PASSED || pr.checksState() == ChecksState.FORGE_PENDING) {
      return Future.succeededFuture(new Step.Continue(pr));
    }
    if (!checks.configured()) {
      return store.save(pr.withChecks(ChecksState.NONE_CONFIGURED, null)).map(Step.Continue::new);
    }
    Path output = settings.logDir().resolve("checks").resolve("pr-" + pr.number() + "-" + clock.millis() + ".log");
    return checks.run(worktree, output).compose(result -> {
      TaskLog.info(LOG, pr.taskId())
          .log("{}: checks on pull request #{} {}", pr.taskId(), pr.number(), result.summary());
      if (result.passed()) {
        return store.save(pr.withChecks(ChecksState.PASSED, null)).map(Step.Continue::new);
      }
      PullRequestView red = pr.withChecks(ChecksState.FAILED, result.summary() + "; output in " + output);
      if (pr.fixRounds() >= settings.maxFixRounds()) {
        return flag(red, new FlagCause.ChecksStillFail(false, pr.fixRounds(), result.summary()));
      }
      return fix(red, new FollowUp.ChecksFailed(false, result.command(), String.valueOf(result.exitCode()),
          result.outputTail(), result.summary(), pr.fixRounds() + 1, settings.maxFixRounds()));
    });
  }

  /** The forge's own checks (CI on GitHub) on the published head; the poller comes back while they run. */
  private Future<Step> forgeChecks(PullRequestView pr) {
    return forge.publish(pr).compose(v -> forge.remoteChecks(pr)).compose(remote -> switch (remote.state()) {
      case NONE, PASSED -> (pr.checksState() == ChecksState.FORGE_PENDING
          ? store.save(pr.withChecks(ChecksState.PASSED, null)) : Future.succeededFuture(pr)).map(Step.Continue::new);
      case PENDING -> store.save(pr.withChecks(ChecksState.FORGE_PENDING, null)).map(Step.Waiting::new);
      case FAILED -> {
        PullRequestView red = pr.withChecks(ChecksState.FORGE_FAILED, remote.summary());
        yield pr.fixRounds() >= settings.maxFixRounds()
            ? flag(red, new FlagCause.ChecksStillFail(true, pr.fixRounds(), remote.summary()))
            : fix(red, new FollowUp.ChecksFailed(true, "the forge's checks", "-", remote.summary(), remote.summary(),
                pr.fixRounds() + 1, settings.maxFixRounds()));
      }
    });
  }

  /** Routine changes go on; others are labelled and flagged with the reason. */
  private Future<Step> route(PullRequestView pr) {
    return repo.route(pr.branch(), pr.needsReview(), pr.taskFile()).compose(decision -> {
      if (decision.routine()) {
        return store.save(pr.withRouting(null, pr.labels())).map(Step.Continue::new);
      }
      List<String> labels = new ArrayList<>();
      labels.add(NEEDS_REVIEW_LABEL);
      labels.addAll(decision.categories());
      PullRequestView routed = pr.withRouting(decision.reason(), labels);
      return forge.label(routed, labels).compose(v -> flag(routed, new FlagCause.NeedsReview(decision.reason(), false)));
    });
  }

  /**
   * Sends feedback to the agent's session; the pull request waits in the fixing stage for the run to end. An executor
   * that cannot take it right now is asked again later; the pull request stays with the agent meanwhile.
   */
  private Future<Step> fix(PullRequestView pr, FollowUp followUp) {
    return rounds.run(() -> store.list(PrState.OPEN).compose(open -> {
      if (gate.mayStart(underWay(open)) > 0) {
        PullRequestView fixing = pr.handedToAgent(followUp.kind(), followUp.reason(),
            pr.fixRounds() + (followUp.countsAsFixRound() ? 1 : 0));
        return store.save(fixing).<Step>map(Step.HandedToAgent::new);
      }
      return holdBack(pr, followUp);
    })).compose(step -> step instanceof Step.HandedToAgent handed ? handOver(handed.pr(), followUp)
        : Future.succeededFuture(step));
  }

  /**
   * A round that would start while the governor holds agents back waits, uncounted, and is found again on the branch
   * when agents may start. A person's request is refused instead: it lives only in the request.
   */
  private Future<Step> holdBack(PullRequestView pr, FollowUp followUp) {
    String waitingFor = gate.waitingFor();
    if (followUp.kind() == FollowUpKind.REJECTED) {
      return Future.failedFuture(OrchException.conflict("pull request #" + pr.number() + ": no agent starts now ("
          + waitingFor + "); send it back again then"));
    }
    TaskLog.info(LOG, pr.taskId())
        .log("{}: pull request #{}: {}; it waits for {}", pr.taskId(), pr.number(), followUp.reason(), waitingFor);
    return store.save(pr.waitingForLimit(null, followUp.reason(), waitingFor)).map(saved -> {
      events.fixing(saved);
      return new Step.Waiting(saved);
    });
  }

  private Future<Step> handOver(PullRequestView saved, FollowUp followUp) {
    return agent.resume(followUp.request(saved)).<Step>map(run -> {
      TaskLog.info(LOG, saved.taskId(), run.runId())
          .log("{}: pull request #{}: {}; the agent works on it in run {}", saved.taskId(), saved.number(),
              followUp.reason(), run.runId());
      events.fixing(saved);
      return new Step.HandedToAgent(saved);
    }).recover(e -> {
      if (passing(e)) {
        retryLater(saved.number(), e, () -> handOver(saved, followUp));
        return Future.succeededFuture(new Step.HandedToAgent(saved));
      }
      return flag(saved, new FlagCause.Failed(FlagCause.Failed.HANDING_OVER, e.getMessage()));
    });
  }

  private Future<Step> flag(PullRequestView pr, FlagCause cause) {
    TaskLog.warn(LOG, pr.taskId())
        .log("{}: pull request #{} needs a person: {}", pr.taskId(), pr.number(), cause.reason());
    return store.save(pr.flagged(cause.reason())).map(flagged -> {
      events.flagged(flagged);
      return new Step.Flagged(flagged);
    });
  }

  // ---- merging

  /** A person's merge still needs green checks on the current head, unless forced. */
  private Future<PullRequestView> checkBeforeMerge(PullRequestView pr) {
    Path output = settings.logDir().resolve("checks").resolve("pr-" + pr.number() + "-manual.log");
    return checks.run(Path.of(pr.worktree()), output).compose(result -> result.passed()
        ? store.save(pr.withChecks(ChecksState.PASSED, null))
        : Future.failedFuture(OrchException.conflict("pull request #" + pr.number() + ": checks fail: " + result.summary()
            + " (output in " + output + "); use --force to merge anyway")));
  }

  private Future<Step> enqueueMerge(int number, boolean byPerson) {
    return merges.run(() -> merge(number, byPerson, 1));
  }

  private Future<Step> merge(int number, boolean byPerson, int attempt) {
    return store.get(number).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      return forge.prepareMerge(pr, Path.of(pr.worktree()), settings.mergeMethod()).compose(prepared -> {
        if (prepared.conflict() == null) {
          return writeStatusAndComplete(pr, prepared.attempt(), byPerson, attempt);
        }
        if (byPerson || attempt >= MAX_MERGE_ATTEMPTS) {
          return flag(pr, new FlagCause.MergeRefused(prepared.conflict()));
        }
        return Future.succeededFuture(new Step.Again(pr));
      });
    }).recover(failure -> passing(failure) ? Future.failedFuture(failure)
        : store.get(number).compose(found -> found.isPresent()
            ? flag(found.get(), new FlagCause.Failed(FlagCause.Failed.MERGING, failure.getMessage()))
            : Future.failedFuture(failure)));
  }

  private Future<Step> writeStatusAndComplete(PullRequestView pr, Forge.MergeAttempt attempt, boolean byPerson,
      int tries) {
    WriteStatusRequest complete = new WriteStatusRequest(attempt.checkout().toString(), pr.taskId(), pr.taskFile(),
        PlanStatus.COMPLETE);
    return status.writeStatus(complete)
        .compose(v -> forge.completeMerge(pr, attempt, SquashMessage.of(pr)))
        .compose(done -> {
          if (done.blocked() != null) {
            return forge.abortMerge(attempt).compose(v -> done.retry() && tries < MAX_MERGE_ATTEMPTS
                ? merge(pr.number(), byPerson, tries + 1) : flag(pr, new FlagCause.MergeRefused(done.blocked())));
          }
          TaskLog.info(LOG, pr.taskId())
              .log("{}: merged pull request #{} into {} as {}", pr.taskId(), pr.number(), attempt.mainBranch(),
                  done.mergeCommit().substring(0, Math.min(10, done.mergeCommit().length())));
          return recordMerged(pr, done.mergeCommit(), "rebase".equals(attempt.method()) ? attempt.mainTip() : null,
              attempt.branchTip(), byPerson ? "merged by a person" : null);
        }, failure -> forge.abortMerge(attempt).transform(v -> Future.failedFuture(failure)));
  }

  /** Only a prediction for later tasks rests on it, so a repository that cannot say leaves it empty. */
  private Future<List<String>> changedFiles(PullRequestView pr, String mainBefore, String mergeCommit) {
    return repo.changedFiles(mainBefore, mergeCommit, pr.taskFile()).recover(e -> {
      TaskLog.warn(LOG, pr.taskId())
          .log("{}: the files merged as {} could not be read: {}", pr.taskId(), mergeCommit, e.getMessage());
      return Future.succeededFuture(List.of());
    });
  }

  /** {@code mainBefore}: the main branch's commit the merge landed on, when it landed several commits (a rebase). */
  private Future<Step> recordMerged(PullRequestView pr, String mergeCommit, String mainBefore, String branchTip,
      String why) {
    return repo.markMerged(pr.taskId(), branchTip)
        .compose(v -> changedFiles(pr, mainBefore, mergeCommit))
        .compose(paths -> store.save(pr.merged(mergeCommit, clock.millis(), why, paths)))
        .map(merged -> {
          events.merged(merged);
          // Tidying up is not urgent: leave the git lock and the CPU to the dependants starting now.
          timers.after(CLEANUP_DELAY, () -> agent.removeWorktree(pr.taskId(), "merged-pr-" + pr.number())
              .onFailure(e -> TaskLog.warn(LOG, pr.taskId())
                  .log("{}: worktree not removed: {}", pr.taskId(), e.getMessage())));
          return new Step.Merged(merged);
        });
  }
}
