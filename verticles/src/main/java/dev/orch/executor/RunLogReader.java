package dev.orch.executor;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.RunLogPage;
import dev.orch.contract.RunView;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Pages through a run's stream-json log as readable events, by byte offset, so a viewer can resume where it was. */
public final class RunLogReader {
  /** Bounds one page's read; a page ends at the last whole line inside it. */
  private static final int MAX_READ = 4 * 1024 * 1024;

  private RunLogReader() {
  }

  /** Blocking; reads the log file on this host, as {@code orch logs} and {@code orch tui} do. */
  public static RunLogPage page(RunView run, long offset, int limit) {
    Path log = run.logFile() == null ? null : Path.of(run.logFile());
    try {
      if (log == null || !Files.exists(log)) {
        return new RunLogPage(run.runId(), offset, offset, 0, run.status().live(), List.of());
      }
      try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
        long size = in.length();
        long start = Math.min(offset, size);
        byte[] bytes = new byte[(int) Math.min(MAX_READ, size - start)];
        in.seek(start);
        in.readFully(bytes);
        List<AgentEvent> events = new ArrayList<>();
        int lineStart = 0;
        for (int i = 0; i < bytes.length && events.size() < limit; i++) {
          if (bytes[i] == '\n') {
            String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
            events.addAll(StreamJsonReader.read(line));
            lineStart = i + 1;
          }
        }
        return new RunLogPage(run.runId(), start, start + lineStart, size, run.status().live(), events);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }
}
