package dev.orch.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathMentionsTest {

  private static List<String> mentions(String markdown) {
    return PathMentions.in(markdown).stream().map(PathGlob::text).toList();
  }

  @Test
  void readsBacktickedPathsFoldersAndFileNames() {
    String plan = """
        # Add invoices

        Work in `src/billing/`: add `src/billing/Invoice.java` and register it in `pom.xml`.
        The config lives in `config/app`, tests under ``src/test/**/*Billing*.java``.
        """;
    assertThat(mentions(plan)).containsExactly("src/billing/**", "src/billing/Invoice.java", "**/pom.xml",
        "config/app", "config/app/**", "src/test/**/*Billing*.java");
  }

  @Test
  void skipsWhatIsNotAPath() {
    String plan = """
        Run `mvn -B verify`, pass `--force`, call `foo()`, see `https://example.org/x`, bump to `1.2.3`,
        set `enabled` and leave `../outside/file.txt` alone.

        ```bash
        cat `src/in/fence.txt`
        ```
        """;
    assertThat(mentions(plan)).isEmpty();
  }

  @Test
  void readsEverySpanOnALineOnceEach() {
    assertThat(mentions("`src/a.java` then `src/b.java`, again `src/a.java`, and a stray ` tick"))
        .containsExactly("src/a.java", "src/b.java");
  }
}
