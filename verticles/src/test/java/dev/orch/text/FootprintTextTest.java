package dev.orch.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.Priority;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FootprintTextTest {

  private static TaskView held(String id, String by, String files) {
    return new TaskView(id, "billing", "E", 3, "Invoices", TaskStatus.NOT_STARTED, Priority.MEDIUM, List.of(), true, null,
        "docs/plans/billing/epic-03.md", false, 0, 0, 0, 0, 0, null, by, files);
  }

  private static String printed(Consumer<PrintWriter> print) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      print.accept(out);
    }
    return text.toString();
  }

  @Test
  void theListAndTheStatusSayWhichTaskAndWhichFiles() {
    TaskView task = held("billing/E03", "billing/E01", "src/billing/**");
    assertThat(FootprintText.waits(task)).isEqualTo("waits: shares src/billing/** with billing/E01");
    assertThat(printed(out -> new TaskTable(List.of(task)).print(out)))
        .contains("(waits: shares src/billing/** with billing/E01)");
    StatusSummary summary = new StatusSummary(1, Map.of("not_started", 1), 1, List.of(), List.of(), 0, List.of(),
        List.of(), List.of(task));
    assertThat(printed(out -> StatusText.tasks(out, summary)))
        .contains("Held back (they may touch a running task's files):")
        .contains("billing/E03      waits: shares src/billing/** with billing/E01");
  }

  @Test
  void aTaskNothingHoldsSaysNothing() {
    assertThat(FootprintText.waits(held("billing/E03", null, null))).isNull();
  }
}
