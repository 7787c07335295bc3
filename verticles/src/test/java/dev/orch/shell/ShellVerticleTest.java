package dev.orch.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.OrchException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ShellVerticleTest {
  @TempDir
  Path tmp;

  @Test
  void sshWithNeitherAPasswordNorKeysRefusesToStartAndSaysWhy(Vertx vertx) {
    var settings = new ShellVerticle.Settings(false, 0, true, "127.0.0.1", 0, "orch", "",
        tmp.resolve("missing_authorized_keys").toString(), tmp.resolve("host.p12").toString(), true);
    assertThatThrownBy(() -> vertx.deployVerticle(new ShellVerticle(), new DeploymentOptions().setConfig(settings.toJson()))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS))
        .hasMessageContaining("ssh_enabled is on but there is no way to log in").hasMessageContaining("not readable");
  }

  @Test
  void theHostKeyIsMadeOnceAndKept(Vertx vertx) throws Exception {
    Path key = tmp.resolve("state/ssh-host-key.p12");
    HostKey.ensure(key);
    byte[] first = java.nio.file.Files.readAllBytes(key);
    HostKey.ensure(key);
    assertThat(java.nio.file.Files.readAllBytes(key)).isEqualTo(first);
    assertThat(java.nio.file.Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void argumentsReadLikeTheCliAndAnUnknownOptionIsNamed() {
    Set<String> flags = Set.of("--ready", "--follow");
    Set<String> valued = Set.of("--module", "--status");
    Args args = Args.parse(List.of("--module=core", "--status", "running", "-f", "core/E01"), flags, valued,
        Map.of("-f", "--follow"));
    assertThat(args.value("--module")).isEqualTo("core");
    assertThat(args.value("--status")).isEqualTo("running");
    assertThat(args.flag("--follow")).isTrue();
    assertThat(args.only("task id")).isEqualTo("core/E01");
    assertThatThrownBy(() -> Args.parse(List.of("--colour"), flags, valued, Map.of()))
        .isInstanceOf(OrchException.class).hasMessage("unknown option --colour");
    assertThatThrownBy(() -> Args.parse(List.of("--status"), flags, valued, Map.of()))
        .hasMessage("option --status needs a value");
  }
}
