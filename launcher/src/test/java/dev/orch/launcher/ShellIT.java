package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptStep;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.net.telnet.EchoOptionHandler;
import org.apache.commons.net.telnet.SimpleOptionHandler;
import org.apache.commons.net.telnet.SuppressGAOptionHandler;
import org.apache.commons.net.telnet.TelnetOption;
import org.apache.commons.net.telnet.TelnetClient;
import org.apache.commons.net.telnet.TerminalTypeOptionHandler;
import org.apache.commons.net.telnet.WindowSizeOptionHandler;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell with real clients against orch running a plan with the real Claude Code CLI: Apache Commons Net's telnet
 * client (it negotiates terminal type, echo and go-ahead), and the OpenSSH client in a tmux pseudo-terminal with a key
 * and with a password. {@code logs -f} and {@code top} show the scripted run as it goes.
 */
class ShellIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String PASSWORD = "open-sesame-42";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private final List<String> tmuxSessions = new ArrayList<>();

  @AfterEach
  void killTmuxSessions() throws Exception {
    for (String session : tmuxSessions) {
      new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(300)
  void telnetAndSshDriveAndWatchOrch() throws Exception {
    List<ScriptStep> slow = new ArrayList<>();
    slow.add(ScriptStep.tool("Bash", new JsonObject().put("command", "sleep 12").put("description", "think it over")));
    slow.addAll(ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"));
    ScriptBook book = new ScriptBook().on("docs/plans/app/epic-01-greeting.md", slow);
    Path keyDir = Files.createDirectories(tmp.resolve("keys"));
    // ECDSA: sshd inside Vert.x Shell reads ed25519 keys only with an extra library.
    run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", keyDir.resolve("id").toString());
    Path authorized = keyDir.resolve("authorized_keys");
    Files.copy(keyDir.resolve("id.pub"), authorized);
    int telnetPort = freePort();
    int sshPort = freePort();
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("shell.telnet_enabled", "true",
        "shell.telnet_port", String.valueOf(telnetPort),
        "shell.ssh_enabled", "true", "shell.ssh_port", String.valueOf(sshPort), "shell.ssh_password", "\"" + PASSWORD + "\"",
        "shell.ssh_authorized_keys", "\"" + authorized + "\""))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> !t.isEmpty() && "running".equals(t.get("app/E01").getString("status")), TIMEOUT);

      // ---- ssh with a key: top shows the running agent, then (redrawn from bus events) the task complete
      Path knownHosts = tmp.resolve("known_hosts");
      String keySession = tmux("ssh", "-p", String.valueOf(sshPort), "-i", keyDir.resolve("id").toString(),
          "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=" + knownHosts,
          "-o", "PreferredAuthentications=publickey", "-o", "IdentitiesOnly=yes", "orch@127.0.0.1");
      awaitPane(keySession, "type help for the commands");
      sendKeys(keySession, "top", "Enter");
      // top redraws as events arrive: wait for the whole picture, not for its first line.
      awaitPane(keySession, "RUNNING AGENTS (1)", "orch top", "Tasks 1:", "running 1", "app/E01", "NEEDS A PERSON (0)");

      // ---- telnet: a bad argument is a message, the session goes on; logs -f follows the run to its end
      TelnetClient telnet = new TelnetClient();
      telnet.addOptionHandler(new TerminalTypeOptionHandler("xterm", false, false, true, false));
      telnet.addOptionHandler(new EchoOptionHandler(false, false, true, true));
      telnet.addOptionHandler(new SuppressGAOptionHandler(true, true, true, true));
      telnet.addOptionHandler(new WindowSizeOptionHandler(160, 50, true, true, true, true));
      // termd waits for binary mode both ways before it shows the prompt.
      telnet.addOptionHandler(new SimpleOptionHandler(TelnetOption.BINARY, true, true, true, true));
      telnet.connect("127.0.0.1", telnetPort);
      try {
        InputStream in = telnet.getInputStream();
        OutputStream out = telnet.getOutputStream();
        StringBuilder seen = new StringBuilder();
        consumed = 0;
        readUntil(in, seen, "% ");
        send(out, "list --status sleeping");
        assertThat(readUntil(in, seen, "% ")).contains("error: unknown status 'sleeping'").doesNotContain("Exception");
        send(out, "status");
        assertThat(readUntil(in, seen, "% ")).contains("Tasks: 1", "running", "Running agents:", "app/E01");
        send(out, "logs app/E01 -f");
        String followed = readUntil(in, seen, "run 1 succeeded");
        assertThat(followed).contains("[tool]   Bash", "[tool]   Write", "greeting.txt");
        readUntil(in, seen, "% ");
        out.write("show app/E0\t".getBytes(StandardCharsets.UTF_8));
        send(out, "");
        assertThat(readUntil(in, seen, "% ")).as("Tab completed the task id").contains("app/E01  Greeting", "run 1");
        send(out, "help");
        assertThat(readUntil(in, seen, "% ")).contains("top", "logs", "pr ");
        send(out, "unpark");
        assertThat(readUntil(in, seen, "% ")).as("nothing parked: lifting changes nothing")
            .contains("Governor: the model API's limit has lifted: agents start as usual");
        send(out, "verticle-deploy dev.orch.Nothing");
        assertThat(readUntil(in, seen, "% ")).contains("command not found");
      } finally {
        telnet.disconnect();
      }
      orch.awaitTasks(t -> "complete".equals(t.get("app/E01").getString("status")), TIMEOUT);
      awaitPane(keySession, "complete 1", "RUNNING AGENTS (0)");
      sendKeys(keySession, "q");
      awaitPaneWithout(keySession, "RUNNING AGENTS");
      sendKeys(keySession, "agents", "Enter");
      awaitPane(keySession, "No agents are running.");

      String hostKey = Files.readString(knownHosts);

      // ---- ssh with the password; a wrong one is refused
      String wrong = tmux("ssh", "-p", String.valueOf(sshPort), "-o", "StrictHostKeyChecking=yes",
          "-o", "UserKnownHostsFile=" + knownHosts, "-o", "PreferredAuthentications=password",
          "-o", "NumberOfPasswordPrompts=1", "-o", "PubkeyAuthentication=no", "orch@127.0.0.1");
      awaitPane(wrong, "password:");
      sendKeys(wrong, "not-the-password", "Enter");
      assertThat(awaitPane(wrong, "Permission denied")).doesNotContain("type help for the commands");

      String right = tmux("ssh", "-p", String.valueOf(sshPort), "-o", "StrictHostKeyChecking=yes",
          "-o", "UserKnownHostsFile=" + knownHosts, "-o", "PreferredAuthentications=password",
          "-o", "PubkeyAuthentication=no", "orch@127.0.0.1");
      awaitPane(right, "password:");
      sendKeys(right, PASSWORD, "Enter");
      awaitPane(right, "type help for the commands");
      sendKeys(right, "show app/E01", "Enter");
      assertThat(awaitPane(right, "pull request #1")).contains("status complete", "run 1");
      assertThat(Files.readString(knownHosts)).as("the host key is kept").isEqualTo(hostKey);
      assertThat(orch.stateDir().resolve("ssh-host-key.p12")).isNotEmptyFile();
      orch.stop(run);
    }
  }

  @Test
  @Timeout(300)
  void h3_ssh_exec_and_a_shell_without_a_terminal_are_refused_and_orch_stays_responsive() throws Exception {
    ScriptBook book = new ScriptBook().on("docs/plans/app/epic-01-greeting.md",
        ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"));
    Path keyDir = Files.createDirectories(tmp.resolve("keys"));
    run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", keyDir.resolve("id").toString());
    Path authorized = keyDir.resolve("authorized_keys");
    Files.copy(keyDir.resolve("id.pub"), authorized);
    int sshPort = freePort();
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("shell.ssh_enabled", "true",
        "shell.ssh_port", String.valueOf(sshPort), "shell.ssh_authorized_keys", "\"" + authorized + "\""))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> !t.isEmpty(), TIMEOUT);
      List<String> ssh = List.of("ssh", "-p", String.valueOf(sshPort), "-i", keyDir.resolve("id").toString(),
          "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new",
          "-o", "UserKnownHostsFile=" + tmp.resolve("known_hosts"), "-o", "IdentitiesOnly=yes");

      for (int i = 0; i < 2; i++) {
        Finished exec = finish(ssh, "-T", "orch@127.0.0.1", "status");
        assertThat(exec.exitCode()).as(exec.output()).isEqualTo(1);
        assertThat(exec.output()).contains("interactive only", "ssh -t");
      }
      Finished noTerminal = finish(ssh, "-T", "orch@127.0.0.1");
      assertThat(noTerminal.exitCode()).as(noTerminal.output()).isEqualTo(1);
      assertThat(noTerminal.output()).contains("needs a terminal");

      // Still responsive: the API answers at once, and an interactive session runs a command.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !orch.tasks().isEmpty());
      String session = tmux(String.join(" ", ssh) + " -t orch@127.0.0.1");
      awaitPane(session, "type help for the commands");
      sendKeys(session, "status", "Enter");
      awaitPane(session, "Tasks: 1");
      orch.stop(run);
    }
  }

  @Test
  @Timeout(300)
  void m5_an_http_request_to_the_telnet_port_is_closed_before_its_body_runs() throws Exception {
    int telnetPort = freePort();
    try (OrchHarness orch = new OrchHarness(tmp, greeting(), telnetOn(telnetPort))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> !t.isEmpty() && "complete".equals(t.get("app/E01").getString("status")), TIMEOUT);
      // What a web page can make a browser send: a POST whose body answers telnet's questions blindly, then a command.
      java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
      request.writeBytes(("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + telnetPort + "\r\nContent-Type: text/plain\r\n"
          + "Content-Length: 80\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(new byte[] {(byte) 255, (byte) 251, 0, (byte) 255, (byte) 253, 0, (byte) 255, (byte) 253, 1,
          (byte) 255, (byte) 253, 3, (byte) 255, (byte) 251, 24, (byte) 255, (byte) 250, 24, 0, 'x', 't', 'e', 'r', 'm',
          (byte) 255, (byte) 240, (byte) 255, (byte) 251, 31, (byte) 255, (byte) 250, 31, 0, 80, 0, 24, (byte) 255,
          (byte) 240});
      request.writeBytes("reset app/E01\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply;
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", telnetPort)) {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(request.toByteArray());
        reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(reply).as("orch closed the connection after saying why").contains("not a web server");
      assertThat(orch.history("app/E01")).noneMatch(line -> line.contains("reset"));
      assertThat(orch.tasks().get("app/E01").getString("status")).isEqualTo("complete");
      orch.stop(run);
    }
  }

  @Test
  @Timeout(300)
  void l3_a_title_full_of_escape_sequences_is_shown_inert_in_the_shell_and_the_cli() throws Exception {
    int telnetPort = freePort();
    try (OrchHarness orch = new OrchHarness(tmp, greeting(), telnetOn(telnetPort))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task(
          "Greeting \u001b]0;owned\u0007\u001b[2J\u001b]8;;http://evil.invalid\u001b\\link\u001b]8;;\u001b\\ \u202eevil"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> !t.isEmpty(), TIMEOUT);

      OrchProcess.Result list = orch.orch("list");
      assertThat(list.out()).as(list.toString()).contains("Greeting \\u001b]0;owned\\u0007\\u001b[2J", "\\u202eevil")
          .doesNotContain("\u001b").doesNotContain("\u202e");

      TelnetClient telnet = telnetClient(telnetPort);
      try {
        InputStream in = telnet.getInputStream();
        OutputStream out = telnet.getOutputStream();
        StringBuilder seen = new StringBuilder();
        consumed = 0;
        readUntil(in, seen, "% ");
        send(out, "list");
        String shown = readUntil(in, seen, "% ");
        assertThat(shown).contains("Greeting \\u001b]0;owned\\u0007\\u001b[2J\\u001b]8;;http://evil.invalid")
            .doesNotContain("\u001b]").doesNotContain("\u0007").doesNotContain("\u202e");
        send(out, "show app/E01");
        assertThat(readUntil(in, seen, "% ")).contains("app/E01  Greeting \\u001b]0;owned").doesNotContain("\u001b]");
      } finally {
        telnet.disconnect();
      }
      orch.stop(run);
    }
  }

  private static TelnetClient telnetClient(int port) throws Exception {
    TelnetClient telnet = new TelnetClient();
    telnet.addOptionHandler(new TerminalTypeOptionHandler("xterm", false, false, true, false));
    telnet.addOptionHandler(new EchoOptionHandler(false, false, true, true));
    telnet.addOptionHandler(new SuppressGAOptionHandler(true, true, true, true));
    telnet.addOptionHandler(new WindowSizeOptionHandler(160, 50, true, true, true, true));
    // termd waits for binary mode both ways before it shows the prompt.
    telnet.addOptionHandler(new SimpleOptionHandler(TelnetOption.BINARY, true, true, true, true));
    telnet.connect("127.0.0.1", port);
    return telnet;
  }

  private record Finished(int exitCode, String output) {
  }

  /** Runs the OpenSSH client with no input and waits for it to end by itself: a frozen server would hang it. */
  private static Finished finish(List<String> ssh, String... more) throws Exception {
    List<String> command = new ArrayList<>(ssh);
    command.addAll(List.of(more));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("ssh ended by itself: " + output).isTrue();
      return new Finished(process.exitValue(), output);
    } finally {
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void send(OutputStream out, String line) throws IOException {
    // Enter is a carriage return; a line feed after it would be a second, empty command line.
    out.write((line + "\r").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** What arrived since the last call, up to and including {@code marker}; what came after it stays for the next call. */
  private static String readUntil(InputStream in, StringBuilder seen, String marker) {
    int start = consumed;
    Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
        .failFast("the connection closed; got: " + seen.substring(start), () -> drain(in, seen))
        .untilAsserted(() -> assertThat(seen.substring(start)).contains(marker));
    consumed = seen.indexOf(marker, start) + marker.length();
    return seen.substring(start, consumed);
  }

  /** Appends what is there to read; true once the stream has ended. */
  private static boolean drain(InputStream in, StringBuilder seen) throws IOException {
    int available = in.available();
    if (available > 0) {
      byte[] buffer = new byte[available];
      int read = in.read(buffer);
      if (read < 0) {
        return true;
      }
      seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
    }
    return false;
  }

  private static int consumed;

  private String tmux(String... command) throws Exception {
    String session = "orch-shell-it-" + tmuxSessions.size() + "-" + ProcessHandle.current().pid();
    List<String> args = new ArrayList<>(List.of("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50"));
    // The pane outlives the command, so what it printed last (a refusal) can still be read.
    args.add(String.join(" ", command) + "; echo '[the command ended]'; sleep 120");
    run(args.toArray(String[]::new));
    tmuxSessions.add(session);
    return session;
  }

  private static void sendKeys(String session, String... keys) throws Exception {
    List<String> args = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
    args.addAll(List.of(keys));
    run(args.toArray(String[]::new));
  }

  private static String pane(String session) throws Exception {
    Process capture = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).redirectErrorStream(true).start();
    String text = new String(capture.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    capture.waitFor(10, TimeUnit.SECONDS);
    return text;
  }

  /** The screen once it shows every one of {@code texts} at the same time. */
  private static String awaitPane(String session, String... texts) {
    AtomicReference<String> screen = new AtomicReference<>("");
    Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      screen.set(pane(session));
      assertThat(screen.get()).contains(texts);
    });
    return screen.get();
  }

  private static void awaitPaneWithout(String session, String text) {
    Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(pane(session)).doesNotContain(text));
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  private static ScriptBook greeting() {
    return new ScriptBook().on("docs/plans/app/epic-01-greeting.md",
        ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"));
  }

  private static Map<String, String> telnetOn(int port) {
    return Map.of("shell.telnet_enabled", "true", "shell.telnet_port", String.valueOf(port));
  }
}
