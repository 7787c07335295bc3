package dev.orch.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.OrchException;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ShellVerticleTest {
  @TempDir
  Path tmp;

  @Test
  void sshWithNeitherAPasswordNorKeysRefusesToStartAndSaysWhy(Vertx vertx) {
    var settings = new ShellVerticle.Settings(false, 0, true, "127.0.0.1", 0, "orch", "",
        tmp.resolve("missing_authorized_keys").toString(), tmp.resolve("host.p12").toString(), true, false);
    assertThatThrownBy(() -> vertx.deployVerticle(new ShellVerticle(settings))
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

  private static final String PASSWORD = "open-sesame-42";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  @Timeout(60)
  void h3_an_exec_request_is_refused_with_a_message_and_the_shell_still_answers(Vertx vertx) throws Exception {
    int port = deploySsh(vertx);
    SshClient client = startClient();
    try (ClientSession session = login(client, port)) {
      for (int i = 0; i < 2; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec exec = session.createExecChannel("status")) {
          exec.setOut(out);
          exec.setErr(err);
          exec.open().verify(WAIT);
          assertThat(exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT)).contains(ClientChannelEvent.CLOSED);
          Awaitility.await().atMost(WAIT).until(() -> exec.getExitStatus() != null);
          assertThat(exec.getExitStatus()).isEqualTo(InteractiveOnly.REFUSED);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("interactive only", "ssh -t");
        assertThat(out.size()).isZero();
      }
      assertThat(interactiveWelcome(session)).contains("orch shell: type help");
    } finally {
      client.stop();
    }
  }

  @Test
  @Timeout(60)
  void h3_a_shell_without_a_terminal_is_refused_and_the_next_interactive_session_works(Vertx vertx) throws Exception {
    int port = deploySsh(vertx);
    SshClient client = startClient();
    try (ClientSession session = login(client, port)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (ChannelShell shell = session.createShellChannel()) {
        shell.setUsePty(false);
        shell.setOut(new ByteArrayOutputStream());
        shell.setErr(err);
        shell.open().verify(WAIT);
        assertThat(shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT)).contains(ClientChannelEvent.CLOSED);
        Awaitility.await().atMost(WAIT).until(() -> shell.getExitStatus() != null);
        assertThat(shell.getExitStatus()).isEqualTo(InteractiveOnly.REFUSED);
      }
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs a terminal", "ssh -t");
      assertThat(interactiveWelcome(session)).contains("orch shell: type help");
    } finally {
      client.stop();
    }
  }

  private int deploySsh(Vertx vertx) throws Exception {
    var settings = new ShellVerticle.Settings(false, 0, true, "127.0.0.1", 0, "orch", PASSWORD, "",
        tmp.resolve("host.p12").toString(), true, false);
    ShellVerticle shell = new ShellVerticle(settings);
    vertx.deployVerticle(shell)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return shell.sshPort();
  }

  private static SshClient startClient() {
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
    client.start();
    return client;
  }

  private static ClientSession login(SshClient client, int port) throws Exception {
    ClientSession session = client.connect("orch", "127.0.0.1", port).verify(WAIT).getSession();
    session.addPasswordIdentity(PASSWORD);
    session.auth().verify(WAIT);
    return session;
  }

  /** A shell on a pseudo-terminal on the same connection: served only while the event loop is free. */
  private static String interactiveWelcome(ClientSession session) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ClientChannel shell = session.createShellChannel()) {
      shell.setOut(out);
      shell.setErr(new ByteArrayOutputStream());
      shell.open().verify(WAIT);
      Awaitility.await().atMost(WAIT).until(() -> out.toString(StandardCharsets.UTF_8).contains("type help"));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void m5_first_lines_of_http_requests_are_recognised_and_commands_are_not() {
    assertThat(List.of("GET / HTTP/1.1", "POST /api HTTP/1.0", "PUT x", "OPTIONS * HTTP/1.1", "PRI * HTTP/2.0",
        "Host: 127.0.0.1:5000", "Content-Type: text/plain", "x HTTP/1.1"))
        .allMatch(CrossProtocolGuard::looksLikeHttp);
    assertThat(List.of("help", "status", "list --status running", "reset core/E01", "logs core/E01 -f", "", "top"))
        .noneMatch(CrossProtocolGuard::looksLikeHttp);
    assertThat(CrossProtocolGuard.looksLikeHttp(null)).isFalse();
  }

  @Test
  @Timeout(60)
  void m5_telnet_stays_off_when_the_web_requires_a_token(Vertx vertx) throws Exception {
    ShellVerticle shell = deployTelnet(vertx, true);
    assertThat(shell.telnetPort()).isZero();
  }

  @Test
  @Timeout(60)
  void m5_a_telnet_session_that_begins_like_an_http_request_is_closed_before_any_command(Vertx vertx)
      throws Exception {
    int port = deployTelnet(vertx, false).telnetPort();
    String http = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: text/plain\r\n\r\n";
    String reply = talk(port, bytes(http, BLIND_NEGOTIATION, "help\r\n"));
    assertThat(reply).contains("not a web server").doesNotContain("logs");
  }

  @Test
  @Timeout(60)
  void m5_the_same_blind_negotiation_with_a_command_first_runs_it(Vertx vertx) throws Exception {
    int port = deployTelnet(vertx, false).telnetPort();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(bytes("", BLIND_NEGOTIATION, "help\r\n"));
      StringBuilder seen = new StringBuilder();
      Awaitility.await().atMost(WAIT).untilAsserted(() -> {
        java.io.InputStream in = socket.getInputStream();
        if (in.available() > 0) {
          seen.append(new String(in.readNBytes(in.available()), StandardCharsets.UTF_8));
        }
        assertThat(seen.toString()).contains("logs");
      });
    }
  }

  /** What a web page could send in a request body: telnet's answers without waiting for the questions. */
  private static final byte[] BLIND_NEGOTIATION = {
      (byte) 255, (byte) 251, 0, (byte) 255, (byte) 253, 0, // WILL, DO binary
      (byte) 255, (byte) 253, 1, (byte) 255, (byte) 253, 3, // DO echo, DO suppress go-ahead
      (byte) 255, (byte) 251, 24, (byte) 255, (byte) 250, 24, 0, 'x', 't', 'e', 'r', 'm', (byte) 255, (byte) 240,
      (byte) 255, (byte) 251, 31, (byte) 255, (byte) 250, 31, 0, 80, 0, 24, (byte) 255, (byte) 240};

  private static byte[] bytes(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Sends everything at once, then reads until the server closes the connection. */
  private static String talk(int port, byte[] request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(request);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private ShellVerticle deployTelnet(Vertx vertx, boolean webRequiresToken) throws Exception {
    var settings = new ShellVerticle.Settings(true, 0, false, "127.0.0.1", 0, "orch", "", "",
        tmp.resolve("host.p12").toString(), true, webRequiresToken);
    ShellVerticle shell = new ShellVerticle(settings);
    vertx.deployVerticle(shell)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return shell;
  }
}
