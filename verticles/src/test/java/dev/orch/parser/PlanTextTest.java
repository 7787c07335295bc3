package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlanTextTest {

  @Test
  void nonUtf8NamesTheLineOfTheFirstBadByte() {
    byte[] latin1 = "line one\nline two\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    PlanText.Decoded decoded = PlanText.decode(latin1);
    assertThat(decoded.ok()).isFalse();
    assertThat(decoded.problem()).startsWith("not UTF-8");
    assertThat(decoded.line()).isEqualTo(3);
  }

  @Test
  void binaryIsRefused() {
    PlanText.Decoded decoded = PlanText.decode(new byte[] {'#', ' ', 'x', '\n', 0, 1, 2});
    assertThat(decoded.ok()).isFalse();
    assertThat(decoded.problem()).startsWith("binary file");
    assertThat(decoded.line()).isEqualTo(2);
  }

  @Test
  void oversizedIsRefused() {
    PlanText.Decoded decoded = PlanText.decode(new byte[(int) PlanText.MAX_BYTES + 1]);
    assertThat(decoded.problem()).contains("not read");
  }

  @Test
  void crlfBecomesLfAndBomIsDropped() {
    byte[] bytes = "\uFEFFa\r\nb\r\n".getBytes(StandardCharsets.UTF_8);
    assertThat(PlanText.decode(bytes).text()).isEqualTo("a\nb\n");
  }
}
