package dev.orch.contract.buildagent;

import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.StrictJson;
import dev.orch.contract.WireJson;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The build agent protocol: the messages between the coordinator and its build agents, which cross hosts and orch
 * versions. Each message is a record here; its JSON field names are its components in snake_case (unchanged from the
 * untyped protocol, so agents of the previous version keep working).
 *
 * <p><b>Commands are strict.</b> The messages an agent sends ({@link AgentRegister}, {@link AgentHeartbeat},
 * {@link WorkerOutput}, {@link WorkerDone}, {@link AgentLeave}) and the commands it is sent ({@link JobRun},
 * {@link JobCancel}, {@link AgentPing}) are refused with BAD_REQUEST when a field is missing, of the wrong type, out of
 * its bounds, or <em>not known</em>, naming the field. A newer agent that adds a field is therefore refused by an older
 * coordinator rather than half understood (a field that changes how a job runs must never be dropped silently): the
 * agent logs the refusal and keeps trying to register, so upgrade the coordinator first, then the agents. A field is
 * added as optional, so a newer coordinator still accepts older agents. Replies ({@link AgentWelcome} and the
 * acknowledgements) only inform, so they are read leniently and may grow.
 */
public final class AgentProtocol {
  public static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  /** The most jobs or slots one agent reports. */
  public static final int MAX_JOBS = 1024;
  /** An output piece from an agent; agents send at most 64K characters, with room for multi-byte text. */
  public static final int MAX_OUTPUT_CHARS = 256 * 1024;
  public static final int MAX_COMMAND_CHARS = 64 * 1024;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  private AgentProtocol() {
  }

  /** The record an agent action carries. */
  public static Class<? extends Record> messageOf(AgentAction action) {
    return switch (action) {
      case REGISTER -> AgentRegister.class;
      case HEARTBEAT -> AgentHeartbeat.class;
      case WORKER_OUTPUT -> WorkerOutput.class;
      case WORKER_DONE -> WorkerDone.class;
      case LEAVE -> AgentLeave.class;
    };
  }

  /** The record a command to an agent carries. */
  public static Class<? extends Record> messageOf(BuildWorker.Action action) {
    return switch (action) {
      case RUN -> JobRun.class;
      case CANCEL -> JobCancel.class;
      case PING -> AgentPing.class;
    };
  }

  /** Reads a strict message (see {@link StrictJson}); an unknown field says which side to upgrade. */
  public static <T extends Record> T read(JsonObject body, Class<T> type) {
    return StrictJson.read(body, type, "is not part of this version of the build agent protocol (is the sender newer? "
        + "upgrade the coordinator before its agents)");
  }

  // ---- checks shared by the records' compact constructors (IllegalArgumentException, as WireJson expects)

  static String workerId(String value) {
    text("worker_id", value, 63, true);
    if (!WORKER_ID.matcher(value).matches()) {
      throw new IllegalArgumentException("field 'worker_id' must be letters, digits, '.', '_' or '-'");
    }
    return value;
  }

  static long jobId(long value) {
    if (value < 1) {
      throw new IllegalArgumentException("field 'job_id' must be a job number");
    }
    return value;
  }

  static String commit(String value) {
    text("commit", value, 64, true);
    if (!COMMIT.matcher(value).matches()) {
      throw new IllegalArgumentException("field 'commit' must be a full commit id");
    }
    return value;
  }

  static List<Long> jobIds(List<Long> value) {
    List<Long> ids = WireJson.listOrEmpty(value);
    if (ids.size() > MAX_JOBS || ids.stream().anyMatch(id -> id < 1)) {
      throw new IllegalArgumentException("field 'running_jobs' must be a list of at most " + MAX_JOBS + " job numbers");
    }
    return ids;
  }

  static String text(String field, String value, int max, boolean required) {
    if (value == null && !required) {
      return null;
    }
    if (value == null || value.length() > max || (required && value.isEmpty())) {
      throw new IllegalArgumentException("field '" + field + "' must be text of at most " + max + " characters");
    }
    return value;
  }

  static Integer between(String field, Integer value, long min, long max, boolean required) {
    if (value == null && !required) {
      return null;
    }
    if (value == null || value < min || value > max) {
      throw new IllegalArgumentException("field '" + field + "' must be a whole number from " + min + " to " + max);
    }
    return value;
  }
}
