package dev.orch.launcher;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import dev.orch.text.Printable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's own JSON encoder, set up for log collectors: one object per line with {@code timestamp} (epoch
 * milliseconds), {@code level}, {@code threadName}, {@code loggerName}, {@code formattedMessage} (the message as the
 * text format shows it), {@code throwable} when there is one, and the event's key-value pairs as fields of their own
 * ({@code task_id}, {@code run_id}; logback would nest them in a {@code kvpList} array, which collectors cannot filter
 * on). Left out: the message template and its arguments (the formatted message says it), the sequence number,
 * nanoseconds, the logger context and the MDC (orch puts nothing there).
 */
public final class JsonLogEncoder extends JsonEncoder {

  public JsonLogEncoder() {
    setWithSequenceNumber(false);
    setWithNanoseconds(false);
    setWithContext(false);
    setWithMDC(false);
    setWithMessage(false);
    setWithArguments(false);
    setWithFormattedMessage(true);
  }

  @Override
  protected void appendKeyValuePairs(StringBuilder sb, ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null) {
      return;
    }
    for (KeyValuePair pair : pairs) {
      sb.append(VALUE_SEPARATOR);
      appenderMember(sb, JsonEscapeUtil.jsonEscapeString(pair.key),
          JsonEscapeUtil.jsonEscapeString(String.valueOf(pair.value)));
    }
  }

  /** No {@code "throwable":null} on every line: the field is there when an exception is. */
  @Override
  protected void appendThrowableProxy(StringBuilder sb, String attributeName, IThrowableProxy throwable) {
    if (throwable != null) {
      super.appendThrowableProxy(sb, attributeName, throwable);
    }
  }

  /**
   * Logback escapes what JSON requires; messages quote titles and agent output, and the lines are read on terminals too
   * ({@code journalctl}, {@code tail}), so C1 controls and bidi overrides are escaped as well (audit L3). Outside strings
   * a JSON line is plain ASCII, and {@code \}{@code uXXXX} inside one reads back as the same character.
   */
  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = new String(super.encode(event), StandardCharsets.UTF_8);
    String object = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    return (Printable.line(object) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
