package dev.orch.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code build-agent service install|uninstall|status}: a systemd unit that runs this jar with its config, restarts it
 * when it stops, and starts it at boot. Without systemctl (a container, a test) the unit file is still written or
 * removed and the command says what it could not do.
 */
final class SystemdService {
  static final String UNIT = "build-agent.service";

  private final Path unitDir;
  private final boolean useSystemctl;
  private final PrintWriter out;

  SystemdService(Path unitDir, boolean useSystemctl, PrintWriter out) {
    this.unitDir = unitDir;
    this.useSystemctl = useSystemctl && NixPrewarm.onPath("systemctl");
    this.out = out;
  }

  static String unitText(Path java, Path jar, Path config, String user) {
    return """
        [Unit]
        Description=orch build agent
        After=network-online.target
        Wants=network-online.target

        [Service]
        ExecStart=%s -XX:+UseSerialGC -jar %s --config %s
        Restart=always
        RestartSec=10
        # Checkouts and job output are the agent's own; the cluster secret is the file the config names.
        UMask=0077
        %s
        [Install]
        WantedBy=multi-user.target
        """.formatted(java, jar, config, user == null || user.isBlank() ? "" : "User=" + user + "\n");
  }

  int install(Path java, Path jar, Path config, String user) throws IOException, InterruptedException {
    if (!Files.isRegularFile(config)) {
      out.println("error: " + config + ": config file not found (the service runs with --config " + config + ")");
      return 2;
    }
    Files.createDirectories(unitDir);
    Path unit = unitDir.resolve(UNIT);
    Files.writeString(unit, unitText(java, jar, config, user), StandardCharsets.UTF_8);
    out.println("wrote " + unit);
    if (!useSystemctl) {
      out.println("systemctl is not available: run 'systemctl daemon-reload && systemctl enable --now " + UNIT + "' yourself");
      return 0;
    }
    return systemctl("daemon-reload") == 0 && systemctl("enable", "--now", UNIT) == 0 ? 0 : 1;
  }

  int uninstall() throws IOException, InterruptedException {
    Path unit = unitDir.resolve(UNIT);
    if (useSystemctl && Files.exists(unit)) {
      systemctl("disable", "--now", UNIT);
    }
    boolean removed = Files.deleteIfExists(unit);
    out.println(removed ? "removed " + unit : "no " + unit + " to remove");
    if (useSystemctl) {
      systemctl("daemon-reload");
    }
    return 0;
  }

  int status() throws IOException, InterruptedException {
    Path unit = unitDir.resolve(UNIT);
    out.println(Files.exists(unit) ? "installed: " + unit : "not installed (no " + unit + ")");
    if (!useSystemctl) {
      out.println("systemctl is not available here");
      return Files.exists(unit) ? 0 : 3;
    }
    int active = systemctl("is-active", UNIT);
    return Files.exists(unit) && active == 0 ? 0 : 3;
  }

  private int systemctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("systemctl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    out.println("systemctl " + String.join(" ", args) + (output.isEmpty() ? "" : ": " + output));
    return process.exitValue();
  }
}
