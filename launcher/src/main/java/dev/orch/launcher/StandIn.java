package dev.orch.launcher;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The command line that runs orch's stand-in agent from the jar this process runs from. */
final class StandIn {
  private StandIn() {
  }

  static String command() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      Path jar = Path.of(StandIn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + jar + " dev.orch.scripted.StandInAgent";
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot find orch's own jar", e);
    }
  }
}
