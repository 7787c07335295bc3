package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskIdTest {
  @Test
  void printsZeroPadded() {
    assertThat(TaskId.of("billing", 5)).hasToString("billing/E05");
    assertThat(new TaskId("cli-impl", "CLI", 2)).hasToString("cli-impl/CLI02");
    assertThat(TaskId.of("big", 123)).hasToString("big/E123");
  }

  @Test
  void parsesFullAndLocalForms() {
    assertThat(TaskId.parse("billing/E05", null)).contains(TaskId.of("billing", 5));
    assertThat(TaskId.parse("Billing/e5", null)).contains(TaskId.of("billing", 5));
    assertThat(TaskId.parse("3", "core")).contains(TaskId.of("core", 3));
    assertThat(TaskId.parse("E04", "core")).contains(TaskId.of("core", 4));
    assertThat(TaskId.parse("CLI02", "x")).contains(new TaskId("x", "CLI", 2));
    assertThat(TaskId.parse("cli-02", "x")).contains(new TaskId("x", "CLI", 2));
    assertThat(TaskId.parse("epic-07", "x")).contains(TaskId.of("x", 7));
    assertThat(TaskId.parse("nonsense here", "x")).isEmpty();
    assertThat(TaskId.parse("5", null)).isEmpty();
  }

  @Test
  void parseFullRefusesLocalIdsWithBadRequest() {
    assertThatThrownBy(() -> TaskId.parseFull("E05"))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }

  @Test
  void ordersByModulePrefixAndNumber() {
    assertThat(TaskId.of("a", 10)).isGreaterThan(TaskId.of("a", 9));
    assertThat(TaskId.of("a", 10)).isLessThan(TaskId.of("b", 1));
  }

  @Test
  void l5_modules_git_cannot_branch_on_are_named_with_the_reason() {
    assertThat(TaskId.moduleProblem("a..b")).get().asString().contains("'a..b'", "'..'");
    assertThat(TaskId.moduleProblem("core.")).get().asString().contains("ending in '.'");
    assertThat(TaskId.moduleProblem("core.lock")).get().asString().contains("'.lock'");
    assertThat(TaskId.moduleProblem("-rf")).get().asString().contains("invalid module name");
    assertThat(TaskId.moduleProblem("../etc")).isPresent();
    assertThat(TaskId.moduleProblem(null)).isPresent();
    for (String fine : new String[] {"core", "cli-impl", "a.b", "web_2", "v1.2.3", "lock", "a.locks"}) {
      assertThat(TaskId.moduleProblem(fine)).as(fine).isEmpty();
    }
  }
}
