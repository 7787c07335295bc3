package dev.orch.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Converts message records to and from the JSON that crosses the bus. Field names are snake_case on the
 * wire (the same names the CLI's --json and the HTTP API print). Any shape error becomes a
 * {@link OrchException} with {@link ErrorCode#BAD_REQUEST} that names the field.
 */
public final class WireJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .addModule(vertxJsonTypes())
      .build();

  private WireJson() {
  }

  @SuppressWarnings("unchecked")
  public static JsonObject toJson(Object message) {
    return new JsonObject(MAPPER.convertValue(message, Map.class));
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    if (Command.class.isAssignableFrom(type) && type.isRecord()) {
      StrictJson.check(json, type, "is not known");
    }
    return map(json, type);
  }

  /** Reads without the command checks: events may carry fields a newer sender added for newer readers. */
  static <T> T map(JsonObject json, Class<T> type) {
    if (json == null) {
      throw OrchException.badRequest(readableName(type) + ": message body is missing (expected a JSON object)");
    }
    try {
      return MAPPER.convertValue(json.getMap(), type);
    } catch (IllegalArgumentException e) {
      throw OrchException.badRequest(readableName(type) + ": " + describe(e.getCause() != null ? e.getCause() : e));
    }
  }

  /** Accepts any bus body: a missing or non-object body is a bad request, not a ClassCastException. */
  public static <T> T fromBody(Object body, Class<T> type) {
    if (body instanceof JsonObject json) {
      return fromJson(json, type);
    }
    if (body instanceof String text) {
      try {
        return fromJson(new JsonObject(text), type);
      } catch (io.vertx.core.json.DecodeException e) {
        throw OrchException.badRequest(readableName(type) + ": body is not valid JSON");
      }
    }
    throw OrchException.badRequest(readableName(type) + ": expected a JSON object, got "
        + (body == null ? "no body" : body.getClass().getSimpleName()));
  }

  static String describe(Throwable failure) {
    if (failure instanceof ValueInstantiationException vie && vie.getCause() != null) {
      // A task id inside a message: its own message says what is wrong with the text, the path says which field.
      return vie.getType() != null && vie.getType().hasRawClass(TaskId.class) && !vie.getPath().isEmpty()
          ? "field '" + path(vie) + "': " + vie.getCause().getMessage()
          : vie.getCause().getMessage();
    }
    if (failure instanceof InvalidFormatException ife) {
      return "field '" + path(ife) + "': cannot read " + quote(ife.getValue()) + " as " + ife.getTargetType().getSimpleName();
    }
    if (failure instanceof MismatchedInputException mie) {
      String target = mie.getTargetType() == null ? "value" : mie.getTargetType().getSimpleName();
      return "field '" + path(mie) + "': expected " + target;
    }
    if (failure instanceof JsonMappingException jme) {
      return "field '" + path(jme) + "': " + jme.getOriginalMessage();
    }
    return String.valueOf(failure.getMessage());
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String quote(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }

  private static String readableName(Class<?> type) {
    return type.getSimpleName();
  }

  private static SimpleModule vertxJsonTypes() {
    SimpleModule module = new SimpleModule("vertx-json");
    module.addSerializer(JsonObject.class, new JsonSerializer<>() {
      @Override
      public void serialize(JsonObject value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeObject(value.getMap());
      }
    });
    module.addSerializer(JsonArray.class, new JsonSerializer<>() {
      @Override
      public void serialize(JsonArray value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeObject(value.getList());
      }
    });
    // Without these Jackson builds an empty JsonObject and drops the fields as unknown properties.
    module.addDeserializer(JsonObject.class, new com.fasterxml.jackson.databind.JsonDeserializer<>() {
      @Override
      @SuppressWarnings("unchecked")
      public JsonObject deserialize(com.fasterxml.jackson.core.JsonParser parser,
          com.fasterxml.jackson.databind.DeserializationContext context) throws IOException {
        return new JsonObject((Map<String, Object>) parser.readValueAs(Map.class));
      }
    });
    module.addDeserializer(JsonArray.class, new com.fasterxml.jackson.databind.JsonDeserializer<>() {
      @Override
      public JsonArray deserialize(com.fasterxml.jackson.core.JsonParser parser,
          com.fasterxml.jackson.databind.DeserializationContext context) throws IOException {
        return new JsonArray(parser.readValueAs(java.util.List.class));
      }
    });
    return module;
  }

  /** Shared by records' compact constructors: a required field that is absent names itself. */
  public static <T> T require(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException("field '" + field + "' is required");
    }
    if (value instanceof String s && s.isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' must not be blank");
    }
    return value;
  }

  public static <T> List<T> listOrEmpty(List<T> value) {
    return value == null ? List.of() : List.copyOf(value);
  }
}
