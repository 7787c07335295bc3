package dev.orch.cluster;

import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.OrchException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shapes of messages that cross hosts, checked after they are unsealed and before anything acts on them: every
 * field the receiver reads has its type and a size limit, so even a secret holder gone wrong cannot hand the
 * coordinator or an agent more than it expects. Each refusal names the action and the field.
 */
public final class MessageGuard {
  public static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  /** An output piece from an agent; agents send at most {@code 64K} characters, with room for multi-byte text. */
  static final int MAX_OUTPUT_CHARS = 256 * 1024;
  static final int MAX_COMMAND_CHARS = 64 * 1024;
  static final int MAX_JOBS = 1024;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Set<String> STREAMS = Set.of("stdout", "stderr");

  private MessageGuard() {
  }

  public static AgentAction agentAction(String wire) {
    for (AgentAction action : AgentAction.values()) {
      if (action.wireName().equals(wire)) {
        return action;
      }
    }
    throw OrchException.forbidden("'" + wire + "' is not a build agent action");
  }

  public static BuildWorker.Action workerAction(String wire) {
    for (BuildWorker.Action action : BuildWorker.Action.values()) {
      if (action.wireName().equals(wire)) {
        return action;
      }
    }
    throw OrchException.forbidden("'" + wire + "' is not a build agent command");
  }

  /** What the coordinator accepts from an agent. */
  public static void checkAgent(AgentAction action, JsonObject body) {
    String where = action.wireName();
    text(where, body, "worker_id", 63, true);
    if (!WORKER_ID.matcher(body.getString("worker_id")).matches()) {
      throw bad(where, "worker_id", "letters, digits, '.', '_' or '-'");
    }
    switch (action) {
      case REGISTER -> {
        integer(where, body, "slots", 1, MAX_JOBS, true);
        integer(where, body, "free_slots", -MAX_JOBS, MAX_JOBS, false);
        text(where, body, "host", 255, false);
        jobIds(where, body);
      }
      case HEARTBEAT -> {
        integer(where, body, "free_slots", -MAX_JOBS, MAX_JOBS, false);
        jobIds(where, body);
      }
      case WORKER_OUTPUT -> {
        jobId(where, body);
        text(where, body, "text", MAX_OUTPUT_CHARS, true);
        if (!STREAMS.contains(body.getValue("stream"))) {
          throw bad(where, "stream", "stdout or stderr");
        }
      }
      case WORKER_DONE -> {
        jobId(where, body);
        integer(where, body, "exit_code", Integer.MIN_VALUE, Integer.MAX_VALUE, false);
        text(where, body, "reason", 4096, false);
      }
      case LEAVE -> {
      }
    }
  }

  /** What an agent accepts from the coordinator. */
  public static void checkWorker(BuildWorker.Action action, JsonObject body) {
    String where = action.wireName();
    switch (action) {
      case RUN -> {
        jobId(where, body);
        text(where, body, "command", MAX_COMMAND_CHARS, true);
        text(where, body, "commit", 64, true);
        if (!COMMIT.matcher(body.getString("commit")).matches()) {
          throw bad(where, "commit", "a full commit id");
        }
        text(where, body, "ref", 255, false);
        text(where, body, "git_url", 1024, true);
        if (!body.getString("git_url").startsWith("git://")) {
          throw bad(where, "git_url", "a git:// address");
        }
        integer(where, body, "timeout_secs", 1, Integer.MAX_VALUE, false);
      }
      case CANCEL -> jobId(where, body);
      case PING -> {
      }
    }
  }

  private static void jobId(String where, JsonObject body) {
    if (!(body.getValue("job_id") instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
      throw bad(where, "job_id", "a job number");
    }
  }

  private static void jobIds(String where, JsonObject body) {
    Object value = body.getValue("running_jobs");
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonArray ids) || ids.size() > MAX_JOBS
        || !ids.stream().allMatch(id -> id instanceof Number n && n.longValue() >= 1)) {
      throw bad(where, "running_jobs", "a list of at most " + MAX_JOBS + " job numbers");
    }
  }

  private static void text(String where, JsonObject body, String field, int max, boolean required) {
    Object value = body.getValue(field);
    if (value == null && !required) {
      return;
    }
    if (!(value instanceof String s) || s.length() > max || (required && s.isEmpty())) {
      throw bad(where, field, "text of at most " + max + " characters");
    }
  }

  private static void integer(String where, JsonObject body, String field, long min, long max, boolean required) {
    Object value = body.getValue(field);
    if (value == null && !required) {
      return;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < min || n.longValue() > max) {
      throw bad(where, field, "a whole number from " + min + " to " + max);
    }
  }

  private static OrchException bad(String action, String field, String expected) {
    return OrchException.badRequest("'" + action + "': field '" + field + "' must be " + expected);
  }
}
