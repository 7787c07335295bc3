package dev.orch.batch;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads schedule.toml: {@code [[batch]]} tables with {@code name}, {@code cron} (five fields), {@code max_tasks},
 * {@code max_duration} ("8h", "90m", "1h30m"), {@code notify_on_complete} and an optional {@code module}. A bad batch
 * is reported with the file, the batch and the field, and left out; the good ones still run.
 */
final class ScheduleFile {
  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final Set<String> FIELDS = Set.of("name", "cron", "max_tasks", "max_duration", "notify_on_complete", "module");

  record Result(List<BatchSpec> batches, List<String> errors) {
  }

  static Result read(Path file) {
    List<BatchSpec> batches = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    if (!Files.exists(file)) {
      return new Result(batches, errors);
    }
    JsonNode root;
    try {
      root = new TomlMapper().readTree(file.toFile());
    } catch (IOException e) {
      errors.add(file + ": not valid TOML: " + e.getMessage().lines().findFirst().orElse(""));
      return new Result(batches, errors);
    }
    JsonNode list = root.path("batch");
    if (!list.isMissingNode() && !list.isArray()) {
      errors.add(file + ": 'batch' must be an array of tables: [[batch]]");
      return new Result(batches, errors);
    }
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode node : list) {
      index++;
      String where = file + ": [[batch]] #" + index + (node.path("name").isTextual() ? " (" + node.path("name").asText() + ")" : "");
      try {
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
          String key = keys.next();
          if (!FIELDS.contains(key)) {
            throw new IllegalArgumentException("unknown field '" + key + "' (one of " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
          }
        }
        String name = text(node, "name", null);
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("field 'name' is required");
        }
        if (!names.add(name)) {
          throw new IllegalArgumentException("another batch is already named '" + name + "'");
        }
        String cron = text(node, "cron", null);
        if (cron == null || cron.trim().split("\\s+").length != 5) {
          throw new IllegalArgumentException("field 'cron' must have five fields (minute hour day month weekday), got "
              + (cron == null ? "nothing" : "'" + cron + "'"));
        }
        ExecutionTime schedule;
        try {
          schedule = ExecutionTime.forCron(CRON.parse(cron.trim()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("field 'cron' '" + cron + "' is not a cron expression: " + e.getMessage());
        }
        JsonNode max = node.path("max_tasks");
        if (!max.isMissingNode() && (!max.isInt() || max.asInt() < 1)) {
          throw new IllegalArgumentException("field 'max_tasks' must be a whole number of 1 or more, got " + max);
        }
        JsonNode notify = node.path("notify_on_complete");
        if (!notify.isMissingNode() && !notify.isBoolean()) {
          throw new IllegalArgumentException("field 'notify_on_complete' must be true or false, got " + notify);
        }
        batches.add(new BatchSpec(name, cron.trim(), schedule, max.isMissingNode() ? 5 : max.asInt(),
            duration(text(node, "max_duration", "8h")), notify.isMissingNode() || notify.asBoolean(),
            blankToNull(text(node, "module", null))));
      } catch (IllegalArgumentException e) {
        errors.add(where + ": " + e.getMessage() + "; this batch is left out");
      }
    }
    return new Result(batches, errors);
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (text.isBlank() || !m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
      throw new IllegalArgumentException("field 'max_duration' must look like 8h, 90m or 1h30m, got '" + text + "'");
    }
    Duration d = Duration.ZERO;
    d = m.group(1) == null ? d : d.plusHours(Long.parseLong(m.group(1)));
    d = m.group(2) == null ? d : d.plusMinutes(Long.parseLong(m.group(2)));
    d = m.group(3) == null ? d : d.plusSeconds(Long.parseLong(m.group(3)));
    if (d.isZero()) {
      throw new IllegalArgumentException("field 'max_duration' must be longer than zero");
    }
    return d;
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.path(field);
    if (value.isMissingNode()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string, got " + value);
    }
    return value.asText();
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
