package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which project a store belongs to: one store per project, and a moved project keeps its store. */
class StoreClaimTest {
  private final Path project = Path.of("/work/app");

  @Test
  void aStoreNobodyClaimedIsRecordedForThisProject() {
    assertThat(StoreClaim.decide(Optional.empty(), project, false)).isEqualTo(StoreClaim.RECORD);
  }

  @Test
  void itsOwnStoreIsKeptHoweverThePathIsSpelled() {
    assertThat(StoreClaim.decide(Optional.of(Path.of("/work/./app")), project, true)).isEqualTo(StoreClaim.KEEP);
  }

  @Test
  void anotherProjectsStoreIsRefusedWhileThatProjectIsThere() {
    assertThat(StoreClaim.decide(Optional.of(Path.of("/work/other")), project, true)).isEqualTo(StoreClaim.REFUSE);
    assertThat(StoreClaim.refusal(Path.of("/shared/orch.db"), Path.of("/work/other"), project).getMessage())
        .contains("/shared/orch.db", "/work/other", "/work/app", "general.database_path");
  }

  @Test
  void aStoreWhoseProjectFolderIsGoneMovedWithItsProject() {
    assertThat(StoreClaim.decide(Optional.of(Path.of("/old/place/app")), project, false)).isEqualTo(StoreClaim.RECORD);
  }
}
