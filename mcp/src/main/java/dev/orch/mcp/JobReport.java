package dev.orch.mcp;

import dev.orch.contract.JobView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a build tool tells the agent about a finished job, at a chosen verbosity: a status line always; for a failure the
 * lines that look like errors and the end of the output; for {@code full}, all of it (within a cap, with the job id to
 * read the rest). The agent's context is the scarce resource here, not the output.
 */
final class JobReport {
  enum Verbosity {
    MINIMAL, NORMAL, FULL;

    static Verbosity of(Object value) {
      if (value == null || value.toString().isBlank()) {
        return NORMAL;
      }
      try {
        return valueOf(value.toString().strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("verbosity must be minimal, normal or full, not '" + value + "'");
      }
    }
  }

  static final int FULL_CAP = 200_000;
  private static final Pattern RELEVANT = Pattern.compile(
      "(?i)(\\berror\\b|\\berror\\[|\\bfailed\\b|\\bfailure\\b|\\bfail\\b|panicked|exception|assert|warning:|cannot find"
          + "|undefined|not found|expected .* but|BUILD FAILURE|\\[ERROR\\])");

  private JobReport() {
  }

  static String render(String tool, JobView job, String output, Verbosity verbosity) {
    StringBuilder out = new StringBuilder(statusLine(tool, job)).append('\n');
    boolean ok = job.state() == JobView.State.SUCCEEDED;
    List<String> lines = lines(output);
    switch (verbosity) {
      case MINIMAL -> {
        if (!ok) {
          appendRelevant(out, lines, 30, 15);
        }
      }
      case NORMAL -> {
        if (ok) {
          appendTail(out, lines, 15);
        } else {
          appendRelevant(out, lines, 60, 40);
        }
      }
      case FULL -> {
        if (output.length() > FULL_CAP) {
          out.append("[output is ").append(output.length()).append(" characters; the last ").append(FULL_CAP)
              .append(" follow; get_job_logs job_id=").append(job.jobId()).append(" has all of it]\n");
          out.append(output, output.length() - FULL_CAP, output.length());
        } else {
          out.append(output);
        }
      }
    }
    return out.toString();
  }

  static String statusLine(String tool, JobView job) {
    double seconds = job.endedAt() > 0 && job.startedAt() > 0 ? (job.endedAt() - job.startedAt()) / 1000.0 : 0;
    String where = job.worker() == null ? "" : " on " + job.worker();
    String outcome = switch (job.state()) {
      case SUCCEEDED -> "succeeded";
      case FAILED -> job.exitCode() == null ? "failed" : "FAILED with exit code " + job.exitCode();
      case TIMED_OUT -> "TIMED OUT after " + job.timeoutSecs() + " s";
      case CANCELLED -> "was cancelled";
      default -> job.state().wire();
    };
    String reason = job.reason() == null || job.reason().isBlank() || job.state() == JobView.State.TIMED_OUT ? ""
        : " (" + job.reason() + ")";
    return String.format(Locale.ROOT, "%s %s%s in %.1f s%s [job %d: %s]", tool, outcome, reason, seconds, where,
        job.jobId(), job.command());
  }

  private static void appendRelevant(StringBuilder out, List<String> lines, int maxRelevant, int tail) {
    List<String> relevant = new ArrayList<>();
    int firstTail = Math.max(0, lines.size() - tail);
    for (int i = 0; i < firstTail && relevant.size() < maxRelevant; i++) {
      if (RELEVANT.matcher(lines.get(i)).find()) {
        relevant.add(lines.get(i));
      }
    }
    if (!relevant.isEmpty()) {
      out.append("--- lines that look like errors ---\n");
      relevant.forEach(line -> out.append(line).append('\n'));
    }
    appendTail(out, lines, tail);
  }

  private static void appendTail(StringBuilder out, List<String> lines, int count) {
    if (lines.isEmpty()) {
      return;
    }
    int from = Math.max(0, lines.size() - count);
    out.append(from == 0 ? "--- output ---\n" : "--- last " + count + " of " + lines.size() + " lines ---\n");
    for (int i = from; i < lines.size(); i++) {
      out.append(lines.get(i)).append('\n');
    }
  }

  private static List<String> lines(String output) {
    if (output.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(List.of(output.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
