package dev.orch.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.mcp.BuildCommands.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCommandsTest {
  @TempDir
  Path dir;

  private String auto(String marker, Kind kind, String filter, String pkg) throws IOException {
    Files.writeString(dir.resolve(marker), "");
    return new BuildCommands("auto", Map.of()).command(kind, dir, filter, pkg);
  }

  @Test
  void presetsAreRecognisedFromTheFilesAtTheTop() throws IOException {
    assertThat(auto("Cargo.toml", Kind.TEST, "parser::", "core")).isEqualTo("cargo test -p 'core' 'parser::'");
    assertThat(new BuildCommands("auto", Map.of()).command(Kind.LINT, dir, null, null))
        .isEqualTo("cargo clippy --all-targets -- -D warnings");
    Files.delete(dir.resolve("Cargo.toml"));
    assertThat(auto("pom.xml", Kind.TEST, "FooTest", "api"))
        .isEqualTo("mvn -B test -pl 'api' -am -Dtest='FooTest' -Dsurefire.failIfNoSpecifiedTests=false");
    Files.delete(dir.resolve("pom.xml"));
    assertThat(auto("go.mod", Kind.TEST, "TestX", "internal/db")).isEqualTo("go test -run 'TestX' './internal/db/...'");
    Files.delete(dir.resolve("go.mod"));
    assertThat(auto("package.json", Kind.BUILD, null, null)).isEqualTo("npm run build");
    Files.delete(dir.resolve("package.json"));
    assertThat(auto("gradlew", Kind.TEST, "*Spec", "app")).isEqualTo("./gradlew ':app:test' --tests '*Spec'");
    Files.delete(dir.resolve("gradlew"));
    assertThat(auto("Makefile", Kind.TEST, "x", null)).isEqualTo("FILTER='x' make test");
  }

  @Test
  void whatTheModelPassesIsQuotedNeverRun() throws IOException {
    assertThat(auto("Cargo.toml", Kind.TEST, "a'; rm -rf / #", null)).isEqualTo("cargo test 'a'\\''; rm -rf / #'");
  }

  @Test
  void configuredCommandsWinAndGetTheirPlaceholdersFilled() {
    var commands = new BuildCommands("maven", Map.of("test", "./run-tests {package} {filter}", "build", ""));
    assertThat(commands.command(Kind.TEST, dir, "Foo", null)).isEqualTo("./run-tests  'Foo'");
    assertThat(commands.command(Kind.BUILD, dir, null, null)).isEqualTo("mvn -B -DskipTests package");
  }

  @Test
  void unknownPresetAndUnrecognisedProjectAreClearErrors() {
    assertThatThrownBy(() -> new BuildCommands("bazel", Map.of())).hasMessageContaining("build_pool.preset")
        .hasMessageContaining("bazel");
    assertThatThrownBy(() -> new BuildCommands("auto", Map.of()).command(Kind.BUILD, dir, null, null))
        .hasMessageContaining("no build preset fits").hasMessageContaining("build_pool.commands");
  }
}
