package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellWordsTest {
  @TempDir
  Path dir;

  @Test
  void wordsWithSpacesStayOneArgument() throws Exception {
    assertThat(sh(ShellWords.quote(List.of("printf", "[%s]\\n", "a b", "c")))).isEqualTo("[a b]\n[c]\n");
  }

  @Test
  void shellSyntaxInAWordIsPrintedNotRun() throws Exception {
    List<String> words = List.of("$(touch pwned)", "`touch pwned`", "; touch pwned", "it's", "*", "", "a\nb", "\\'\"");
    List<String> argv = new java.util.ArrayList<>(List.of("printf", "[%s]\\n"));
    argv.addAll(words);
    String expected = words.stream().map(w -> "[" + w + "]\n").reduce("", String::concat);
    assertThat(sh(ShellWords.quote(argv))).isEqualTo(expected);
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void plainWordsStayBare() {
    assertThat(ShellWords.quote(List.of("printf", "[%s]\\n", "a b", "c", "-x=1,2/3")))
        .isEqualTo("'printf' '[%s]\\n' 'a b' c -x=1,2/3");
  }

  @Test
  void aFirstWordThatLooksLikeAnAssignmentOrKeywordIsTheProgramName() throws Exception {
    Files.writeString(dir.resolve("if"), "#!/bin/sh\necho ran if \"$@\"\n");
    dir.resolve("if").toFile().setExecutable(true);
    ProcessBuilder keyword = new ProcessBuilder("sh", "-c", ShellWords.quote(List.of("if", "then"))).redirectErrorStream(true);
    keyword.environment().put("PATH", dir + ":" + System.getenv("PATH"));
    Process process = keyword.start();
    assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ran if then\n");
    assertThat(new ProcessBuilder("sh", "-c", ShellWords.quote(List.of("A=b", "true"))).start().waitFor()).isEqualTo(127);
  }

  @Test
  void noWordsIsAnErrorNamingTheParameter() {
    assertThatThrownBy(() -> ShellWords.quote(List.of())).hasMessageContaining("COMMAND");
  }

  private String sh(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
