package dev.orch.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the configured nix packages into the store at start ({@code nix build --no-link PKG...}), on a thread of its
 * own, so the first job does not wait for its toolchain to download. Without nix it says so and does nothing.
 */
final class NixPrewarm {
  private static final Logger LOG = LoggerFactory.getLogger(NixPrewarm.class);

  private NixPrewarm() {
  }

  static Thread start(List<String> packages) {
    Thread thread = new Thread(() -> run(packages), "build-agent-nix-prewarm");
    thread.setDaemon(true);
    if (!packages.isEmpty()) {
      thread.start();
    }
    return thread;
  }

  static void run(List<String> packages) {
    if (!onPath("nix")) {
      LOG.warn("nix is not installed: prewarm of {} skipped, and jobs run with sh -c", packages);
      return;
    }
    List<String> command = new ArrayList<>(List.of("nix", "--extra-experimental-features", "nix-command flakes", "build",
        "--no-link"));
    command.addAll(packages);
    long started = System.nanoTime();
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(2, TimeUnit.HOURS)) {
        process.destroyForcibly();
        LOG.warn("nix prewarm of {} took over 2 hours; stopped", packages);
      } else if (process.exitValue() != 0) {
        LOG.warn("nix prewarm of {} failed with exit code {}", packages, process.exitValue());
      } else {
        LOG.info("nix prewarm of {} done in {} s", packages, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
      }
    } catch (java.io.IOException e) {
      LOG.warn("nix prewarm could not start: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static boolean onPath(String binary) {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(folder, binary))) {
        return true;
      }
    }
    return false;
  }
}
