package dev.orch.launcher;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.orch.text.Printable;

/**
 * logback's {@code %msg} through {@link Printable}: log lines quote titles, reasons and agent output, and logs are read
 * on terminals ({@code orch run} in the foreground, {@code journalctl}), so none of that may carry escape sequences
 * (audit L3). Registered in logback.xml under the word {@code msg}.
 */
public final class PrintableLogMessage extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Printable.text(super.convert(event));
  }
}
