package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewRouterTest {

  /** The built-in rules, as the config gives them with no file. */
  static ReviewRouter defaults(Path anyGitRepo) throws Exception {
    org.eclipse.jgit.api.Git.init().setDirectory(anyGitRepo.toFile()).call().close();
    OrchConfig config = new ConfigLoader(Map.of(), anyGitRepo, anyGitRepo).load(null).config();
    return new ReviewRouter(config.review().categories().entrySet().stream()
        .map(e -> new ReviewRouter.Category(e.getKey(), e.getValue().paths(), e.getValue().patterns())).toList(),
        config.review().maxChangedLines());
  }

  private static final String DIFF = """
      diff --git a/src/main/java/app/Greeter.java b/src/main/java/app/Greeter.java
      index 1111111..2222222 100644
      --- a/src/main/java/app/Greeter.java
      +++ b/src/main/java/app/Greeter.java
      @@ -10,2 +10,3 @@ class Greeter {
      -  String greet() { return "hi"; }
      +  String greet() { return "hello"; }
      +  String bye() { return "bye"; }
      diff --git a/README.md b/README.md
      new file mode 100644
      --- /dev/null
      +++ b/README.md
      @@ -0,0 +1,2 @@
      +# Greeter
      +Says hello.
      """;

  @Test
  void unifiedDiffGivesFilesLinesAndNumbers() {
    List<FileDiff> files = FileDiff.parse(DIFF);
    assertThat(files).extracting(FileDiff::path).containsExactly("src/main/java/app/Greeter.java", "README.md");
    assertThat(files.get(0).added()).extracting(FileDiff.Line::number).containsExactly(10, 11);
    assertThat(files.get(0).removed()).extracting(FileDiff.Line::number).containsExactly(10);
    assertThat(files.get(1).added()).extracting(FileDiff.Line::text).containsExactly("# Greeter", "Says hello.");
  }

  @Test
  void routineChangeIsRoutine(@TempDir Path tmp) throws Exception {
    assertThat(defaults(tmp).route(FileDiff.parse(DIFF), false).routine()).isTrue();
  }

  @Test
  void securityByPathAndByContentNamesFileAndLine(@TempDir Path tmp) throws Exception {
    String diff = """
        diff --git a/src/auth/Login.java b/src/auth/Login.java
        --- a/src/auth/Login.java
        +++ b/src/auth/Login.java
        @@ -1,0 +1,1 @@
        +class Login {}
        diff --git a/src/app/Db.java b/src/app/Db.java
        --- a/src/app/Db.java
        +++ b/src/app/Db.java
        @@ -7,0 +8,2 @@
        +  // connect
        +  String password = System.getenv("DB_PASSWORD");
        """;
    ReviewRouter.Decision decision = defaults(tmp).route(FileDiff.parse(diff), false);
    assertThat(decision.routine()).isFalse();
    assertThat(decision.categories()).containsExactly("security");
    assertThat(decision.matches()).extracting(ReviewRouter.Match::file, ReviewRouter.Match::line)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("src/auth/Login.java", 0),
            org.assertj.core.groups.Tuple.tuple("src/app/Db.java", 9));
    assertThat(decision.reason()).startsWith("security: src/auth/Login.java (**/auth/**), src/app/Db.java:9 (added line matches");
  }

  @Test
  void buildFilesMigrationsSizeAndThePlanFlag(@TempDir Path tmp) throws Exception {
    StringBuilder big = new StringBuilder("diff --git a/data/big.txt b/data/big.txt\n--- /dev/null\n+++ b/data/big.txt\n@@ -0,0 +1,500 @@\n");
    for (int i = 0; i < 500; i++) {
      big.append("+line ").append(i).append('\n');
    }
    String diff = """
        diff --git a/pom.xml b/pom.xml
        --- a/pom.xml
        +++ b/pom.xml
        @@ -20,0 +21,1 @@
        +    <dependency>
        diff --git a/db/V2__add.sql b/db/V2__add.sql
        --- /dev/null
        +++ b/db/V2__add.sql
        @@ -0,0 +1 @@
        +ALTER TABLE users ADD COLUMN x INT;
        """ + big;
    ReviewRouter.Decision decision = defaults(tmp).route(FileDiff.parse(diff), true);
    // The top-level pom.xml is also a build entry point: built-in category control (M6).
    assertThat(decision.categories()).containsExactly("plan", "control", "architecture", "migrations", "large");
    assertThat(decision.reason()).contains("architecture: pom.xml (**/pom.xml)", "migrations: db/V2__add.sql (**/*.sql)",
        "large: 3 files (502 changed lines, over review.max_changed_lines = 400)");
  }

  @Test
  void tunedRulesReplaceTheDefaults() {
    ReviewRouter router = new ReviewRouter(List.of(new ReviewRouter.Category("security", List.of("**/vault/**"), List.of())), 10);
    String authFile = "diff --git a/src/auth/A.java b/src/auth/A.java\n--- a/x\n+++ b/src/auth/A.java\n@@ -0,0 +1 @@\n+x\n";
    assertThat(router.route(FileDiff.parse(authFile), false).routine()).isTrue();
  }
}
