package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * orch's own files against other local users and against loss: a real orch ran one task with the real CLI; its store,
 * logs and worktrees are its owner's alone (L2), an emptied store is refused rather than replaced (L7), and a bad
 * secret in the config is named without being repeated (L6).
 */
class StoreSecurityIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void l2_l7_theStateIsOwnerOnlyAndAnEmptiedStoreIsRefusedWithHowToRestoreIt() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(tasks -> OrchHarness.all(tasks, "complete"), Duration.ofMinutes(2));
      orch.stop(run);

      Path db = orch.stateDir().resolve("orch.db");
      assertThat(mode(orch.stateDir())).isEqualTo("rwx------");
      assertThat(mode(tmp.resolve("logs"))).isEqualTo("rwx------");
      assertThat(mode(tmp.resolve("worktrees"))).isEqualTo("rwx------");
      try (Stream<Path> files = Files.list(orch.stateDir())) {
        assertThat(files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("orch.db"))
            .map(f -> f.getFileName() + " " + mode(f)))
            .contains("orch.db rw-------", "orch.db.backup rw-------")
            .allSatisfy(line -> assertThat(line).endsWith("rw-------"));
      }

      Files.write(db, new byte[0]);
      OrchProcess.Result status = orch.orch("status");
      assertThat(status.exit()).as(status.toString()).isEqualTo(ExitCodes.FAILURE);
      assertThat(status.err()).contains(db + " is empty", "cp '" + db + ".backup' '" + db + "'");
      assertThat(Files.size(db)).isZero();

      Files.copy(db.resolveSibling("orch.db.backup"), db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      OrchProcess.Result restored = orch.orch("list", "--json");
      assertThat(restored.exit()).as(restored.toString()).isZero();
      assertThat(restored.out()).contains("\"complete\"");
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void l6_aSecretOfTheWrongTypeStopsOrchWithoutBeingPrinted() throws Exception {
    try (OrchHarness orch = new OrchHarness(tmp, new ScriptBook(), Map.of("github.token", "1234567890",
        "notifications.slack_webhook", "[\"https://hooks.example.invalid/T0/B0/WEBHOOKSECRET\"]"))) {
      OrchProcess.Result status = orch.orch("status");
      assertThat(status.exit()).as(status.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(status.err()).contains("'github.token' must be a string", "'notifications.slack_webhook' must be a string");
      assertThat(status.out() + status.err()).doesNotContain("1234567890", "WEBHOOKSECRET");
    }
  }

  private static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
