package dev.orch.logging;

import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one task, and one run of it, carry their ids as key-value pairs ({@value #TASK_ID},
 * {@value #RUN_ID}): the JSON log format writes them as fields a log collector filters on, the text format leaves them
 * out (its messages name the task and run for people). Pairs on the event rather than the MDC, which belongs to a
 * thread: a task's work hops between event-loop and worker threads, and a stale MDC would tag other tasks' lines.
 *
 * <pre>{@code TaskLog.info(LOG, run.taskId(), run.runId()).log("{} run {}: agent started", run.taskId(), run.runId());}</pre>
 */
public final class TaskLog {
  public static final String TASK_ID = "task_id";
  public static final String RUN_ID = "run_id";

  private TaskLog() {
  }

  /** {@code taskId}: a {@code TaskId} or its text ({@code core/E02}); null for a line that turns out to concern none. */
  public static LoggingEventBuilder info(Logger log, Object taskId) {
    return task(log.atInfo(), taskId);
  }

  public static LoggingEventBuilder info(Logger log, Object taskId, long runId) {
    return run(log.atInfo(), taskId, runId);
  }

  public static LoggingEventBuilder warn(Logger log, Object taskId) {
    return task(log.atWarn(), taskId);
  }

  public static LoggingEventBuilder warn(Logger log, Object taskId, long runId) {
    return run(log.atWarn(), taskId, runId);
  }

  private static LoggingEventBuilder task(LoggingEventBuilder event, Object taskId) {
    return taskId == null ? event : event.addKeyValue(TASK_ID, taskId.toString());
  }

  private static LoggingEventBuilder run(LoggingEventBuilder event, Object taskId, long runId) {
    return task(event, taskId).addKeyValue(RUN_ID, runId);
  }
}
