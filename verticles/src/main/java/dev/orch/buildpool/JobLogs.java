package dev.orch.buildpool;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import dev.orch.process.JobProcess;

/**
 * Each job's output in files of its own: everything as it arrived ({@code job-N.log}, whose byte offsets the bus and the
 * followers use) and each stream on its own ({@code job-N.stdout}, {@code job-N.stderr}). The last {@code keep} jobs'
 * files are kept, and no more than {@code keepBytes} of them in all. A job's output past {@code maxJobBytes} is cut,
 * with a line saying so, so one chatty job cannot fill the disk. Blocking; appends to one job are serialised.
 */
final class JobLogs {
  /** What an append wrote: where it starts in the whole, and the text as kept (cut, or empty past the cap). */
  record Appended(long offset, String text) {
  }

  /** Which output to read: everything, or one stream. */
  enum Part {
    ALL(".log"), STDOUT(".stdout"), STDERR(".stderr");

    final String suffix;

    Part(String suffix) {
      this.suffix = suffix;
    }

    static Part of(String wire) {
      if (wire == null || wire.isBlank() || wire.equals("all") || wire.equals("both")) {
        return ALL;
      }
      return switch (wire) {
        case "stdout" -> STDOUT;
        case "stderr" -> STDERR;
        default -> throw new IllegalArgumentException("field 'stream' must be all, stdout or stderr, not '" + wire + "'");
      };
    }
  }

  private final Path dir;
  private final int keep;
  private final long maxJobBytes;
  private final long keepBytes;

  JobLogs(Path dir, int keep) {
    this(dir, keep, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  JobLogs(Path dir, int keep, long maxJobBytes, long keepBytes) {
    this.dir = dir;
    this.keep = keep;
    this.maxJobBytes = maxJobBytes;
    this.keepBytes = keepBytes;
  }

  static String cutMarker(long maxJobBytes) {
    String limit = maxJobBytes % (1024 * 1024) == 0 ? maxJobBytes / (1024 * 1024) + " MiB" : maxJobBytes + " bytes";
    return "\n[orch: output cut here: more than " + limit + " (build_pool.max_job_output_mib)]\n";
  }

  /** Whether the job's output passed the cap and was cut (only the cut marker takes a file past it). */
  boolean truncated(long jobId) {
    return size(jobId) > maxJobBytes;
  }

  Path file(long jobId) {
    return file(jobId, Part.ALL);
  }

  Path file(long jobId, Part part) {
    return dir.resolve("job-" + jobId + part.suffix);
  }

  /**
   * Appends (to the whole, and to its stream's file when it has one) what fits under the cap; the first append that
   * does not fit is cut at a character boundary and followed by a line saying so, later ones are dropped.
   */
  synchronized Appended append(long jobId, String text, JobProcess.Stream stream) {
    try {
      Files.createDirectories(dir);
      Path file = file(jobId);
      long offset = Files.exists(file) ? Files.size(file) : 0;
      if (offset > maxJobBytes) {
        return new Appended(offset, "");
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (offset + bytes.length > maxJobBytes) {
        int end = (int) (maxJobBytes - offset);
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
          end--;
        }
        // The marker (longer than the at most 3 bytes cut back) carries the file past the cap: later appends, and
        // truncated(), see it was cut. Output that ends exactly at the cap gets the marker with the next append.
        text = new String(bytes, 0, end, StandardCharsets.UTF_8) + cutMarker(maxJobBytes);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (stream != null) {
        Files.writeString(file(jobId, stream == JobProcess.Stream.STDERR ? Part.STDERR : Part.STDOUT), text,
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      return new Appended(offset, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the output of job " + jobId, e);
    }
  }

  String read(long jobId, long offset, int max) {
    return read(jobId, Part.ALL, offset, max);
  }

  /** At most {@code max} bytes from {@code offset}, cut back to the last complete UTF-8 character. */
  String read(long jobId, Part part, long offset, int max) {
    Path file = file(jobId, part);
    try {
      if (!Files.exists(file)) {
        return "";
      }
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        long available = in.length() - offset;
        if (available <= 0) {
          return "";
        }
        byte[] bytes = new byte[(int) Math.min(available, max)];
        in.seek(offset);
        in.readFully(bytes);
        int end = bytes.length;
        while (end > 0 && end < available && (bytes[end - 1] & 0xC0) == 0x80) {
          end--;
        }
        if (end > 0 && end < available && (bytes[end - 1] & 0x80) != 0) {
          end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output of job " + jobId, e);
    }
  }

  long size(long jobId) {
    try {
      return Files.exists(file(jobId)) ? Files.size(file(jobId)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Deletes the output of all but the newest {@code keep} jobs. */
  void prune() {
    prune(Set.of());
  }

  /**
   * Deletes the output of all but the newest {@code keep} jobs, then of the oldest until the rest fit in
   * {@code keepBytes}; the output of jobs still running ({@code live}) stays.
   */
  synchronized void prune(Set<Long> live) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> logs = files.filter(p -> p.getFileName().toString().matches("job-\\d+\\.log"))
          .sorted(Comparator.comparingLong(JobLogs::idOf).reversed()).toList();
      long total = 0;
      for (int i = 0; i < logs.size(); i++) {
        long id = idOf(logs.get(i));
        long bytes = 0;
        for (Part part : Part.values()) {
          Path file = file(id, part);
          bytes += Files.exists(file) ? Files.size(file) : 0;
        }
        if (!live.contains(id) && (i >= keep || total + bytes > keepBytes)) {
          for (Part part : Part.values()) {
            Files.deleteIfExists(file(id, part));
          }
        } else {
          total += bytes;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long idOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(4, name.length() - 4));
  }
}
