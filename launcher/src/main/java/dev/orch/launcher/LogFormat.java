package dev.orch.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * How orch's own log lines look: {@code text} for people (logback.xml's pattern, the default) or {@code json}, one
 * object per line for log collectors ({@link JsonLogEncoder}). Only the encoder changes: lines go where they went
 * (stderr), and what commands print for people (tables, prompts, progress) is no log line and stays as it is. Chosen
 * once, before a command does its work: by {@code --log-format}, else by {@code general.log_format}.
 */
enum LogFormat {
  TEXT, JSON;

  /** The value as written on the command line and in the config: {@code text}, {@code json}. */
  String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Switches the running program's logging to this format. */
  void apply() {
    apply((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  /**
   * Gives every stream appender of the root logger this format's encoder. Text keeps the one logback.xml configured,
   * which nothing has replaced yet: a process chooses its format once.
   */
  void apply(LoggerContext context) {
    if (this == TEXT) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        // Stopped while the encoder changes, so no line is written half in one format; stopping a console appender
        // leaves System.err open.
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }

  /** The format a word names; the config's values are checked against the same words when it is read. */
  static Optional<LogFormat> named(String word) {
    return Arrays.stream(values()).filter(format -> format.word().equals(word)).findFirst();
  }

  /** Reads {@code --log-format}'s value; picocli reports a bad one naming the option, with exit code 2. */
  static final class Converter implements CommandLine.ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      return named(value).orElseThrow(() -> new CommandLine.TypeConversionException("expected text or json, got '"
          + value + "'"));
    }
  }
}
