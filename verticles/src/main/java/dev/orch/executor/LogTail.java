package dev.orch.executor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the complete lines appended to a log file since the last read; a partial last line waits for its newline.
 * Blocking; one instance per followed file, used from one thread at a time.
 */
final class LogTail {
  private static final int MAX_CHUNK = 4 * 1024 * 1024;

  private final Path file;
  private long offset;
  private byte[] partial = new byte[0];

  LogTail(Path file) {
    this.file = file;
  }

  List<String> readNewLines() {
    List<String> lines = new ArrayList<>();
    try {
      if (!Files.exists(file)) {
        return lines;
      }
      long size = Files.size(file);
      if (size <= offset) {
        return lines;
      }
      int length = (int) Math.min(size - offset, MAX_CHUNK);
      byte[] chunk = new byte[partial.length + length];
      System.arraycopy(partial, 0, chunk, 0, partial.length);
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        in.seek(offset);
        in.readFully(chunk, partial.length, length);
      }
      offset += length;
      int start = 0;
      for (int i = 0; i < chunk.length; i++) {
        if (chunk[i] == '\n') {
          lines.add(new String(chunk, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      partial = java.util.Arrays.copyOfRange(chunk, start, chunk.length);
      return lines;
    } catch (IOException e) {
      return lines;
    }
  }

  /** The unterminated last line, once the writer is gone. */
  List<String> drainPartial() {
    if (partial.length == 0) {
      return List.of();
    }
    String last = new String(partial, StandardCharsets.UTF_8);
    partial = new byte[0];
    return List.of(last);
  }
}
