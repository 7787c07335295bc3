package dev.orch.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.io.PrintWriter;
import org.junit.jupiter.api.Test;

class PrintableTest {
  private static final String EVIL = "Fix \u001b]0;pwned\u0007\u001b[2J\u001b]8;;http://evil.invalid\u001b\\click\u001b]8;;\u001b\\"
      + " \u009b31m \u202egnp.exe\u202c \u2066x\u2069 \u0000\u007f end";

  @Test
  void l3_escape_sequences_c0_c1_and_bidi_controls_are_shown_not_obeyed() {
    String line = Printable.line(EVIL);
    assertThat(line.chars().noneMatch(c -> Printable.unsafe((char) c))).as(line).isTrue();
    assertThat(line).startsWith("Fix \\u001b]0;pwned\\u0007\\u001b[2J").contains("\\u009b31m", "\\u202egnp.exe\\u202c",
        "\\u2066x\\u2069", "\\u0000\\u007f end");
  }

  @Test
  void l3_a_line_keeps_no_newline_and_text_keeps_only_newlines_and_tabs() {
    assertThat(Printable.line("a\nb\tc\rd")).isEqualTo("a\\nb\\tc\\rd");
    assertThat(Printable.text("a\r\nb\tc\rd\u001b[H")).isEqualTo("a\nb\tcd\\u001b[H");
  }

  @Test
  void l3_ordinary_text_is_untouched_and_escaping_twice_changes_nothing() {
    String plain = "Add the login page — ünïcödé, 中文, emoji \uD83D\uDE80, [x] 3/4";
    assertThat(Printable.line(plain)).isSameAs(plain);
    assertThat(Printable.line(Printable.line(EVIL))).isEqualTo(Printable.line(EVIL));
    assertThat(Printable.line(null)).isNull();
  }

  @Test
  void l3_the_writer_escapes_whatever_passes_through_it() {
    StringWriter sink = new StringWriter();
    PrintWriter out = Printable.writer(sink);
    out.print("title: " + EVIL);
    out.println();
    out.printf("%s%n", "\u001b[31mred");
    out.write('\u001b');
    out.flush();
    assertThat(sink.toString()).doesNotContain("\u001b").contains("title: Fix \\u001b]0;pwned", "\\u001b[31mred\n")
        .endsWith("\\u001b");
  }
}
