package dev.orch.notifier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Desktop notifications: {@code notify-send} on Linux, {@code osascript} on macOS. The text is passed as separate
 * arguments, never through a shell, and escaped for what each tool itself interprets (Pango markup in notify-send's
 * body, string literals in AppleScript), so no task title can inject anything.
 */
final class DesktopNotifier {
  private final String command;
  private final boolean appleScript;

  /** {@code command} empty: the platform's own tool. */
  DesktopNotifier(String command) {
    boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    this.command = command == null || command.isBlank() ? (mac ? "osascript" : "notify-send") : command;
    this.appleScript = this.command.endsWith("osascript");
  }

  List<String> commandLine(Notice notice) {
    String body = body(notice);
    List<String> args = new ArrayList<>();
    args.add(command);
    if (appleScript) {
      args.add("-e");
      args.add("display notification " + appleString(body) + " with title " + appleString(notice.headline()));
    } else {
      args.add("--app-name=orch");
      args.add("--urgency=" + (notice.kind() == Notice.Kind.TASK_COMPLETE ? "low" : "normal"));
      // "--" ends the options: a title that starts with a dash stays text.
      args.add("--");
      args.add(notice.headline());
      args.add(markupEscaped(body));
    }
    return args;
  }

  /** Blocking: runs the tool and waits a little for it. */
  void send(Notice notice) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(commandLine(notice)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command + " did not finish in 10 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(command + " exited with " + process.exitValue());
    }
  }

  private static String body(Notice notice) {
    StringBuilder text = new StringBuilder(notice.title() == null ? "" : notice.title());
    if (notice.text() != null && !notice.text().isBlank()) {
      text.append(text.isEmpty() ? "" : "\n").append(notice.text());
    }
    if (notice.costUsd() > 0) {
      text.append(String.format("%n$%.2f", notice.costUsd()));
    }
    return text.toString();
  }

  static String markupEscaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String appleString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", " ").replace("\n", " ") + "\"";
  }
}
