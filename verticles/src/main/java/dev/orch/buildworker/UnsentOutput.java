package dev.orch.buildworker;

import dev.orch.process.JobProcess;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A job's output the coordinator has not taken yet, in order. Pieces from the same stream merge (a chatty job costs
 * few round trips) up to {@link #MAX_PIECE} characters each. It holds at most {@link #MAX_CHARS}: when the coordinator
 * is slower than the job, what does not fit is dropped, and a line in the output says so, rather than the agent's
 * memory growing without end. Not thread-safe: the worker's event loop owns it.
 */
final class UnsentOutput {
  static final int MAX_PIECE = 64 * 1024;
  static final long MAX_CHARS = 8L * 1024 * 1024;
  static final String DROPPED = "\n[build agent: output dropped here: orch did not take it as fast as the job printed it]\n";

  record Piece(JobProcess.Stream stream, String text) {
  }

  private final Deque<StringBuilder> texts = new ArrayDeque<>();
  private final Deque<JobProcess.Stream> streams = new ArrayDeque<>();
  private final long maxChars;
  private long chars;
  private boolean dropping;

  UnsentOutput() {
    this(MAX_CHARS);
  }

  UnsentOutput(long maxChars) {
    this.maxChars = maxChars;
  }

  void add(JobProcess.Stream stream, String text) {
    if (chars + text.length() > maxChars) {
      if (!dropping) {
        dropping = true;
        append(stream, DROPPED);
      }
      return;
    }
    dropping = false;
    append(stream, text);
  }

  private void append(JobProcess.Stream stream, String text) {
    int at = 0;
    while (at < text.length()) {
      StringBuilder last = texts.peekLast();
      if (last == null || streams.peekLast() != stream || last.length() >= MAX_PIECE) {
        last = new StringBuilder();
        texts.addLast(last);
        streams.addLast(stream);
      }
      int end = Math.min(text.length(), at + MAX_PIECE - last.length());
      if (end < text.length() && end > at && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      if (end == at) {
        // Only a surrogate pair left that does not fit: it starts the next piece.
        last = new StringBuilder();
        texts.addLast(last);
        streams.addLast(stream);
        end = Math.min(text.length(), at + MAX_PIECE);
      }
      last.append(text, at, end);
      chars += end - at;
      at = end;
    }
  }

  /** The oldest piece, or null when all was taken. */
  Piece poll() {
    StringBuilder text = texts.pollFirst();
    if (text == null) {
      return null;
    }
    chars -= text.length();
    return new Piece(streams.pollFirst(), text.toString());
  }

  boolean isEmpty() {
    return texts.isEmpty();
  }

  long chars() {
    return chars;
  }
}
