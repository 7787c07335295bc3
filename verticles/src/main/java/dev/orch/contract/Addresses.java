package dev.orch.contract;

/**
 * Every event-bus address orch uses, grouped by the verticle that owns it. Commands go point-to-point to
 * the owner's {@code cmd} address with an {@value #ACTION_HEADER} header; events are published to
 * {@code orch.<owner>.evt.<noun>} and anyone may consume them. Nothing else in the code base spells an
 * address.
 */
public final class Addresses {
  public static final String ACTION_HEADER = "action";

  private Addresses() {
  }

  /** Reads plan files; owns nothing in the database. */
  public static final class Parser {
    public static final String NAMESPACE = "orch.parser.";
    public static final String CMD = NAMESPACE + "cmd";
    /** Published after every parse with the {@link PlanSnapshot}'s counts and errors (not the tasks). */
    public static final String EVT_PARSED = NAMESPACE + "evt.parsed";

    /** Published when files under the plans folder changed (debounced). */
    public static final String EVT_CHANGED = NAMESPACE + "evt.changed";

    public enum Action implements CommandAction {
      PARSE,
      /** Writes a task's status into its plan file and README status rows under a given root (a merge worktree). */
      WRITE_STATUS;
    }

    private Parser() {
    }
  }

  /** Owns the task table and every task's state. */
  public static final class Scheduler {
    public static final String NAMESPACE = "orch.scheduler.";
    public static final String CMD = NAMESPACE + "cmd";
    /** Published for every stored task transition ({@link TaskTransition}). */
    public static final String EVT_TASK = NAMESPACE + "evt.task";
    /** Published after each sync with its {@link SyncReport}. */
    public static final String EVT_SYNCED = NAMESPACE + "evt.synced";
    /** The rate-limit governor parked the plan or let agents start again: {@link GovernorView}. */
    public static final String EVT_GOVERNOR = NAMESPACE + "evt.governor";

    public enum Action implements CommandAction {
      SYNC, STATUS, LIST, GET, START, STOP, RETRY, RESET, HISTORY,
      /** Tasks that became complete, per bucket of a {@link HistoryQuery}: {@link HistorySeries}. */
      COMPLETED,
      /** A person lifts the rate-limit governor's park now: {@link GovernorView}. */
      UNPARK;
    }

    private Scheduler() {
    }
  }

  /** Owns worktrees, agent processes and their logs; the runs table. */
  public static final class Executor {
    public static final String NAMESPACE = "orch.executor.";
    public static final String CMD = NAMESPACE + "cmd";
    /** An agent process started (or was re-attached after a restart): {@link RunView}. */
    public static final String EVT_STARTED = NAMESPACE + "evt.started";
    /** Parsed agent output, batched per run: {@link AgentOutput}. */
    public static final String EVT_OUTPUT = NAMESPACE + "evt.output";
    /** An agent process ended: {@link RunView} with its final status. */
    public static final String EVT_FINISHED = NAMESPACE + "evt.finished";
    /** The files a running agent has changed so far, when they change: {@link RunTouched}. */
    public static final String EVT_TOUCHED = NAMESPACE + "evt.touched";

    public enum Action implements CommandAction {
      LAUNCH, STOP, RESUME, RUNS, RUN, REMOVE_WORKTREE, CLEANUP, SPEND,
      /** Dollars spent per bucket of a {@link HistoryQuery}, each run's cost at its end: {@link HistorySeries}. */
      SPEND_HISTORY,
      /** Readable events of a run's log from a byte offset: {@link RunLogPage}. */
      LOG;
    }

    private Executor() {
    }
  }

  /** Follows running agents: liveness and spend. */
  public static final class Observer {
    public static final String NAMESPACE = "orch.observer.";
    public static final String CMD = NAMESPACE + "cmd";
    /** A run made no progress and was stopped: {@link RunAlert}. */
    public static final String EVT_STUCK = NAMESPACE + "evt.stuck";
    /** A cost limit was reached: {@link RunAlert}. */
    public static final String EVT_BUDGET = NAMESPACE + "evt.budget";
    /** The last hour's spend reached {@code observer.max_spend_per_hour}: {@link ApiLimit} with when it falls under. */
    public static final String EVT_SPEND_RATE = NAMESPACE + "evt.spend-rate";

    public enum Action implements CommandAction {
      SPEND,
      /** What is over its cost limit right now: {@code {"tasks": {"<id>": "<reason>"}, "day": "<reason>" or null}}. */
      BUDGETS;
    }

    private Observer() {
    }
  }

  /** Owns pull requests on the forge: opening, merging, writing status back. */
  public static final class Prbot {
    public static final String NAMESPACE = "orch.prbot.";
    public static final String CMD = NAMESPACE + "cmd";
    public static final String EVT_OPENED = NAMESPACE + "evt.opened";
    public static final String EVT_MERGED = NAMESPACE + "evt.merged";
    /** A pull request needs a person: {@link PullRequestView} with its reason. */
    public static final String EVT_FLAGGED = NAMESPACE + "evt.flagged";
    /** A pull request went back to its agent (red checks, a conflict, a person's rejection): {@link PullRequestView}. */
    public static final String EVT_FIXING = NAMESPACE + "evt.fixing";
    /** A finished run could not become a pull request (for example, no commits): {@link PullRequestFailure}. */
    public static final String EVT_FAILED = NAMESPACE + "evt.failed";

    public enum Action implements CommandAction {
      OPEN, LIST, GET, MERGE, REJECT,
      /** How many requests the forge's API got from this orch: {@code {"requests", "counted"}}. */
      API_USAGE;
    }

    private Prbot() {
    }
  }

  /** The build pool's coordinator: the job queue, the workers, the git daemon. */
  public static final class BuildPool {
    public static final String NAMESPACE = "orch.buildpool.";
    public static final String CMD = NAMESPACE + "cmd";
    /** Output of a job as it arrives, in order per job: {@link JobOutput}. */
    public static final String EVT_OUTPUT = NAMESPACE + "evt.output";
    /** A job changed state (queued, running, done): {@link JobView}. */
    public static final String EVT_JOB = NAMESPACE + "evt.job";
    /** A worker joined, left or missed its heartbeats: {@link WorkerView}. */
    public static final String EVT_WORKER = NAMESPACE + "evt.worker";

    /**
     * Where build agents talk to the coordinator. On orch's own (unclustered) bus the coordinator serves it; on the
     * cluster only the agent bus does, which takes nothing but sealed agent actions and passes them on.
     */
    public static final String AGENT = NAMESPACE + "agent";

    public enum Action implements CommandAction {
      SUBMIT, JOB, JOBS, CANCEL, OUTPUT, STATUS,
      /** Output from an offset, waiting up to {@code wait_millis} for some to arrive: {@link JobProgress}. */
      FOLLOW;
    }

    /** From build agents, on {@link #AGENT}: register, heartbeat, job output, job end, and leaving (its jobs go back in the queue). */
    public enum AgentAction implements CommandAction {
      REGISTER, HEARTBEAT, WORKER_OUTPUT, WORKER_DONE, LEAVE;
    }

    private BuildPool() {
    }
  }

  /** Scheduled batches: schedule.toml, their next runs, the runs themselves. */
  public static final class Batch {
    public static final String NAMESPACE = "orch.batch.";
    public static final String CMD = NAMESPACE + "cmd";
    /** A batch started: {@link BatchView}. */
    public static final String EVT_STARTED = NAMESPACE + "evt.started";
    /** A batch finished: {@link BatchSummary}. */
    public static final String EVT_FINISHED = NAMESPACE + "evt.finished";

    public enum Action implements CommandAction {
      /** Every batch with its next run: {@code {"batches": [BatchView]}}. */
      LIST,
      /** Runs a batch now, by {@code name}: its {@link BatchView}. */
      RUN,
      /** Stops a running batch, by {@code name}: its running tasks are stopped, no new ones start. */
      STOP;
    }

    private Batch() {
    }
  }

  /** One build agent's own command address; only the coordinator sends to it. */
  public static final class BuildWorker {
    public static final String NAMESPACE = "orch.buildworker.";

    public enum Action implements CommandAction {
      RUN, CANCEL, PING;
    }

    public static String cmd(String workerId) {
      return NAMESPACE + workerId + ".cmd";
    }

    private BuildWorker() {
    }
  }

  /** Command addresses the HTTP API forwards to, by owner name as it appears in {@code /api/cmd/<owner>/<action>}. */
  /** Every event a viewer (the web dashboard, the shell) shows, in no particular order. */
  public static java.util.List<String> viewerEvents() {
    return java.util.List.of(Scheduler.EVT_TASK, Scheduler.EVT_SYNCED, Executor.EVT_STARTED, Executor.EVT_OUTPUT,
        Executor.EVT_FINISHED, Observer.EVT_STUCK, Observer.EVT_BUDGET, Prbot.EVT_OPENED, Prbot.EVT_MERGED,
        Prbot.EVT_FLAGGED, Prbot.EVT_FIXING, Prbot.EVT_FAILED, BuildPool.EVT_JOB, BuildPool.EVT_OUTPUT,
        BuildPool.EVT_WORKER, Batch.EVT_STARTED, Batch.EVT_FINISHED);
  }

  public static java.util.Map<String, String> remoteCommandAddresses() {
    return java.util.Map.of("scheduler", Scheduler.CMD, "executor", Executor.CMD, "prbot", Prbot.CMD, "observer",
        Observer.CMD, "buildpool", BuildPool.CMD, "batch", Batch.CMD);
  }
}
