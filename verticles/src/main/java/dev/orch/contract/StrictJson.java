package dev.orch.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a command record strictly, where {@link WireJson} alone would drop a misspelled or unknown field: every field
 * must be one of the record's (its components in snake_case, as WireJson writes them) and of its JSON type (whole
 * numbers where the record holds numbers, no 1.5 read as 1); then the record's own checks run. Any refusal is
 * BAD_REQUEST naming the message and the field.
 */
public final class StrictJson {
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  /** Each record's wire field names, worked out once. */
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

  private StrictJson() {
  }

  public static <T extends Record> T read(JsonObject body, Class<T> type) {
    return read(body, type, "is not known");
  }

  /** As {@link #read(JsonObject, Class)}; {@code unknown} ends the message about a field the record does not have. */
  public static <T extends Record> T read(JsonObject body, Class<T> type, String unknown) {
    check(body, type, unknown);
    return WireJson.map(body, type);
  }

  /** The checks alone: {@link WireJson} runs them on every {@link Command} it reads. */
  static void check(JsonObject body, Class<?> type, String unknown) {
    String message = type.getSimpleName();
    if (body == null) {
      throw OrchException.badRequest(message + ": message body is missing (expected a JSON object)");
    }
    Map<String, RecordComponent> fields = FIELDS.get(type);
    for (String name : body.fieldNames()) {
      RecordComponent component = fields.get(name);
      if (component == null) {
        throw OrchException.badRequest(message + ": field '" + name + "' " + unknown + " (known: "
            + String.join(", ", fields.keySet().stream().sorted().toList()) + ")");
      }
      Object value = body.getValue(name);
      if (value != null && !fits(component.getGenericType(), value)) {
        throw OrchException.badRequest(message + ": field '" + name + "' must be " + expected(component.getGenericType()));
      }
    }
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
    if (type == TaskId.class) {
      return value instanceof String text && text.contains("/") && TaskId.parse(text, null).isPresent();
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
    if (type == TaskId.class) {
      return "a task id (module/E05)";
    }
    return type == String.class ? "text" : "a list of whole numbers";
  }
}
