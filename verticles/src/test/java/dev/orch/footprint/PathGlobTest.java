package dev.orch.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "src/billing/Invoice.java, src/billing/Invoice.java, true",
      "src/billing/Invoice.java, src/billing/Invoice.jav, false",
      "src/billing/, src/billing/Invoice.java, true",
      "src/billing/, src/billing/deep/er/Tax.java, true",
      "src/billing/, src/billingx/Tax.java, false",
      "src/*.java, src/A.java, true",
      "src/*.java, src/a/A.java, false",
      "src/**/*.java, src/A.java, true",
      "src/**/*.java, src/a/b/A.java, true",
      "src/**/*.java, src/a/b/A.txt, false",
      "a/**/b, a/b, true",
      "a/**/b, a/x/y/b, true",
      "a/**/b, a/xb, false",
      "**/pom.xml, pom.xml, true",
      "**/pom.xml, verticles/pom.xml, true",
      "**/pom.xml, verticles/xpom.xml, false",
      "src/?.md, src/a.md, true",
      "src/?.md, src//.md, false",
      "./docs/x.md, docs/x.md, true",
  })
  void matchesPaths(String glob, String path, boolean expected) {
    assertThat(PathGlob.parse(glob).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} and {1} overlap: {2}")
  @CsvSource({
      "src/billing/, src/billing/Invoice.java, true",
      "src/billing/**, src/**/*.java, true",
      "src/billing/**, src/shipping/**, false",
      "src/*.java, src/*.md, false",
      "src/*.java, src/A.*, true",
      "src/*/x, src/**/y, false",
      "src/*/x, src/**/x, true",
      "**/*.sql, db/migrations/, true",
      "docs/*.md, docs/a/b.md, false",
      "a/**/b, a/xb, false",
      "a/**/b, a/*b, true",
      "a/**/b, a/x*b, false",
      "a/**b, a/*b, true",
      "*, src/A.java, false",
      "**, src/A.java, true",
  })
  void overlapIsSymmetric(String one, String two, boolean expected) {
    PathGlob a = PathGlob.parse(one);
    PathGlob b = PathGlob.parse(two);
    assertThat(a.intersects(b)).isEqualTo(expected);
    assertThat(b.intersects(a)).isEqualTo(expected);
  }

  @Test
  void normalisesWhatPeopleWrite() {
    assertThat(PathGlob.parse(" /src/billing/ ").text()).isEqualTo("src/billing/**");
    assertThat(PathGlob.parse("./a.txt").text()).isEqualTo("a.txt");
    assertThat(PathGlob.parse("src/a.txt")).isEqualTo(PathGlob.parse("./src/a.txt"));
  }

  @Test
  void refusesPathsOutsideTheRepository() {
    assertThatThrownBy(() -> PathGlob.parse("../secrets/**")).hasMessageContaining("leaves the repository");
    assertThatThrownBy(() -> PathGlob.parse("src\\a.java")).hasMessageContaining("backslash");
    assertThatThrownBy(() -> PathGlob.parse("  ")).hasMessageContaining("empty");
  }
}
