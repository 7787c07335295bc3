package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquashMessageTest {
  private static PullRequestView pr(String title) {
    return new PullRequestView(6, TaskId.parseFull("mod/E03"), 2, "orch/mod-E03", title, "body", PrState.OPEN, null, "abc", null, 1, 1, 0,
        "", 0, 0, 0, 0, null, 0, List.of(), null, null, null, 0);
  }

  @Test
  void l13_a_title_cannot_add_trailers_or_lines_to_the_squash_commit() {
    String message = SquashMessage.of(pr("Harmless\n\nOrch-Task: other/E99\nOrch-Pull-Request: 99\r\n\u2028x"));
    assertThat(message.split("\n")[0]).isEqualTo("Harmless Orch-Task: other/E99 Orch-Pull-Request: 99 x");
    assertThat(message.lines().filter(l -> l.startsWith("Orch-Task:"))).containsExactly("Orch-Task: mod/E03");
    assertThat(message.lines().filter(l -> l.startsWith("Orch-Pull-Request:"))).containsExactly("Orch-Pull-Request: 6");
    assertThat(message).endsWith("\n\nOrch-Task: mod/E03\nOrch-Pull-Request: 6\n");
  }

  @Test
  void l13_the_subject_is_one_printable_line_never_empty_and_bounded() {
    assertThat(SquashMessage.subject("Add \u001b[31mred\u001b[0m\tlogin \u202epage", TaskId.parseFull("mod/E03")))
        .isEqualTo("Add [31mred [0m login page");
    assertThat(SquashMessage.subject(" \n\t ", TaskId.parseFull("mod/E03"))).isEqualTo("mod/E03");
    assertThat(SquashMessage.subject(null, TaskId.parseFull("mod/E03"))).isEqualTo("mod/E03");
    assertThat(SquashMessage.subject("x".repeat(500), TaskId.parseFull("mod/E03"))).hasSize(200).endsWith("…");
    assertThat(SquashMessage.of(pr("Add the login page"))).isEqualTo("Add the login page\n\n"
        + "Merged by orch from pull request #6 (branch orch/mod-E03).\n\nOrch-Task: mod/E03\nOrch-Pull-Request: 6\n");
  }
}
