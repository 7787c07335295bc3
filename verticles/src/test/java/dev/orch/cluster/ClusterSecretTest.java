package dev.orch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2: there is always a cluster secret; orch makes one, owner-only, when none is configured. */
class ClusterSecretTest {
  @TempDir
  Path tmp;

  @Test
  void h2_with_none_configured_one_is_generated_owner_only_and_kept() throws Exception {
    Path state = tmp.resolve(".orch");
    ClusterSecret.Resolved first = ClusterSecret.resolve("", state);
    assertThat(first.generated()).isTrue();
    assertThat(first.secret()).hasSizeGreaterThanOrEqualTo(40);
    Path file = state.resolve("cluster-secret");
    assertThat(first.file()).contains(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    assertThat(first.toString()).doesNotContain(first.secret());

    ClusterSecret.Resolved again = ClusterSecret.resolve(null, state);
    assertThat(again.generated()).isFalse();
    assertThat(again.secret()).isEqualTo(first.secret());
    assertThat(ClusterSecret.read(file)).isEqualTo(first.secret());
    assertThat(ClusterSecret.resolve("", tmp.resolve("other")).secret()).isNotEqualTo(first.secret());
  }

  @Test
  void h2_a_configured_secret_is_used_and_must_be_long_enough() throws Exception {
    assertThat(ClusterSecret.resolve("  sixteen-chars-ok  ", tmp).secret()).isEqualTo("sixteen-chars-ok");
    assertThat(Files.exists(tmp.resolve("cluster-secret"))).isFalse();
    assertThatThrownBy(() -> ClusterSecret.resolve("s3cret", tmp)).hasMessageContaining("at least 16");
    assertThat(ClusterSecret.problem("s3cret", "build_pool.cluster_secret")).get().asString()
        .contains("build_pool.cluster_secret").doesNotContain("s3cret");
    assertThat(ClusterSecret.problem("", "build_pool.cluster_secret")).isEmpty();
  }

  @Test
  void h2_a_secret_file_that_is_missing_or_short_is_named() throws Exception {
    Path shortFile = Files.writeString(tmp.resolve("short"), "abc\n");
    assertThatThrownBy(() -> ClusterSecret.read(shortFile)).hasMessageContaining(shortFile.toString())
        .hasMessageContaining("at least 16");
    assertThatThrownBy(() -> ClusterSecret.read(tmp.resolve("none"))).hasMessageContaining("no such secret file");
  }
}
