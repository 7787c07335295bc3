package dev.orch.contract;

/**
 * Every event-bus address orch uses, grouped by the verticle that owns it. Commands go point-to-point to
 * the owner's {@code cmd} address with an {@value #ACTION_HEADER} header; events are published to
 * {@code orch.<owner>.evt.<noun>} and anyone may consume them. Nothing else in the code base spells an
 * address.
 */
public final class Addresses {
  public static final String ACTION_HEADER = "action";
  public static final String CORRELATION_HEADER = "correlation-id";

  private Addresses() {
  }

  /** Reads plan files; owns nothing in the database. */
  public static final class Parser {
    public static final String NAMESPACE = "orch.parser.";
    public static final String CMD = NAMESPACE + "cmd";
    /** Published after every parse with the {@link PlanSnapshot}'s counts and errors (not the tasks). */
    public static final String EVT_PARSED = NAMESPACE + "evt.parsed";

    public enum Action implements CommandAction {
      PARSE;
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

    public enum Action implements CommandAction {
      SYNC, STATUS, LIST, GET;
    }

    private Scheduler() {
    }
  }
}
