package dev.orch.parser;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a plan file's bytes into text, or says why it cannot: too large, binary, or not UTF-8 (with the line of
 * the first bad byte). A UTF-8 byte-order mark is dropped and CRLF line endings become LF, both normal input.
 */
public final class PlanText {
  public static final long MAX_BYTES = 1024 * 1024;

  private PlanText() {
  }

  /** Exactly one of text and problem is set; line is where the problem is (0 for the whole file). */
  record Decoded(String text, String problem, int line) {
    boolean ok() {
      return text != null;
    }
  }

  static String tooLarge(long size) {
    return String.format("file is %.1f MB; plan files over %d KB are not read (split the plan)",
        size / (1024.0 * 1024.0), MAX_BYTES / 1024);
  }

  static Decoded decode(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      return new Decoded(null, tooLarge(bytes.length), 0);
    }
    int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
    for (int i = offset; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return new Decoded(null, "binary file (NUL byte at offset " + i + "), not a markdown plan", lineAt(bytes, i));
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      return new Decoded(null, "not UTF-8 (invalid byte 0x" + String.format("%02X", bytes[at] & 0xFF)
          + " at offset " + at + "); save the file as UTF-8", lineAt(bytes, at));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    if (text.indexOf('\r') >= 0) {
      text = text.replace("\r\n", "\n").replace('\r', '\n');
    }
    return new Decoded(text, null, 0);
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
