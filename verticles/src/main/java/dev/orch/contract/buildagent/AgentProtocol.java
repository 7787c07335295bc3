package dev.orch.contract.buildagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.OrchException;
import dev.orch.contract.WireJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  /** Each message's wire field names (its components in snake_case, as WireJson writes them), worked out once. */
  private static final ClassValue<Map<String, RecordComponent>> FIELDS = new ClassValue<>() {
    @Override
    protected Map<String, RecordComponent> computeValue(Class<?> type) {
      Map<String, RecordComponent> fields = new LinkedHashMap<>();
      for (RecordComponent component : type.getRecordComponents()) {
        fields.put(SNAKE.translate(component.getName()), component);
      }
      return Map.copyOf(fields);
    }
  };

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

  /**
   * Reads a strict message: every field known, of its JSON type (whole numbers where the record holds numbers), then
   * the record's own checks. Any refusal is BAD_REQUEST naming the message and the field.
   */
  public static <T extends Record> T read(JsonObject body, Class<T> type) {
    String message = type.getSimpleName();
    if (body == null) {
      throw OrchException.badRequest(message + ": message body is missing (expected a JSON object)");
    }
    Map<String, RecordComponent> fields = FIELDS.get(type);
    for (String name : body.fieldNames()) {
      RecordComponent component = fields.get(name);
      if (component == null) {
        throw OrchException.badRequest(message + ": field '" + name + "' is not part of this version of the build agent "
            + "protocol (is the sender newer? upgrade the coordinator before its agents)");
      }
      Object value = body.getValue(name);
      if (value != null && !fits(component.getGenericType(), value)) {
        throw OrchException.badRequest(message + ": field '" + name + "' must be " + expected(component.getGenericType()));
      }
    }
    return WireJson.fromJson(body, type);
  }

  private static boolean fits(Type type, Object value) {
    if (type == int.class || type == Integer.class) {
      return value instanceof Number n && whole(n) && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE;
    }
    if (type == long.class || type == Long.class) {
      return value instanceof Number n && whole(n);
    }
    if (type == boolean.class || type == Boolean.class) {
      return value instanceof Boolean;
    }
    if (type == String.class) {
      return value instanceof String;
    }
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      List<?> items = value instanceof JsonArray array ? array.getList() : value instanceof List<?> l ? l : null;
      return items != null && items.stream().allMatch(item -> item != null && fits(list.getActualTypeArguments()[0], item));
    }
    return true;
  }

  private static boolean whole(Number n) {
    return n.doubleValue() == n.longValue();
  }

  private static String expected(Type type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    return type == String.class ? "text" : "a list of whole numbers";
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
