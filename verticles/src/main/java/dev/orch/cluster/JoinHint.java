package dev.orch.cluster;

import java.nio.file.Path;
import java.util.Optional;

/** The command a build agent needs to join this coordinator, printed when the build pool starts. */
public final class JoinHint {
  private JoinHint() {
  }

  /** @param secretFile where the secret is kept, or empty when it is in the config */
  public static String command(ClusterSettings settings, Optional<Path> secretFile) {
    String file = secretFile.map(Path::toString).orElse("FILE-WITH-build_pool.cluster_secret");
    return "build-agent --join " + settings.publicHost() + ":" + settings.port() + " --cluster-name " + settings.name()
        + " --secret-file " + file + "   (on another host: copy " + file
        + " there first, readable only by the agent's user)";
  }
}
