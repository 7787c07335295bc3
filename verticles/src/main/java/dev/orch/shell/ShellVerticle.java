package dev.orch.shell;

import dev.orch.config.OrchConfig;
import dev.orch.contract.OrchException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.shell.ShellServer;
import io.vertx.ext.shell.ShellServerOptions;
import io.vertx.ext.shell.command.CommandResolver;
import io.vertx.ext.shell.term.SSHTermOptions;
import io.vertx.ext.shell.term.TelnetTermOptions;
import io.vertx.ext.shell.term.TermServer;
import io.vertx.ext.shell.term.impl.SSHServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * orch's shell: Vert.x Shell over telnet on 127.0.0.1 and over SSH, with orch's commands only. Vert.x Shell's own
 * commands (verticle-deploy, bus-send and the like) are not registered at all, so no terminal can change the process.
 * Telnet has no authentication, so it is off unless asked for, off whenever the web requires a token, never listens
 * beyond loopback, and closes a session that begins like an HTTP request ({@link CrossProtocolGuard}); SSH asks for the configured password or a key
 * from {@code authorized_keys}, with a host key made on first start and kept in the state folder, and serves
 * interactive sessions only ({@link InteractiveOnly}).
 */
public final class ShellVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ShellVerticle.class);
  static final String TELNET_HOST = "127.0.0.1";

  /** This verticle's slice of the config; ports may be 0 (any free port, see {@link #telnetPort()}). */
  public record Settings(boolean telnetEnabled, int telnetPort, boolean sshEnabled, String sshHost, int sshPort,
      String sshUser, String sshPassword, String authorizedKeys, String hostKeyFile, boolean localFallbackEnabled,
      boolean webRequiresToken) {
    public Settings {
      OrchConfig.required("shell.ssh_host", sshHost);
      OrchConfig.required("shell.ssh_user", sshUser);
      OrchConfig.required("shell.ssh_password", sshPassword);
      OrchConfig.required("shell.ssh_authorized_keys", authorizedKeys);
      OrchConfig.required("shell.host_key", hostKeyFile);
    }

    /** An empty shell.host_key means a key made on first start in the state folder. */
    public static Settings from(OrchConfig config) {
      var sh = config.shell();
      String hostKey = sh.hostKey().isBlank() ? config.general().stateDir().resolve("ssh-host-key.p12").toString()
          : sh.hostKey();
      return new Settings(sh.telnetEnabled(), sh.telnetPort(), sh.sshEnabled(), sh.sshHost(), sh.sshPort(), sh.sshUser(),
          sh.sshPassword(), sh.sshAuthorizedKeys().toString(), hostKey, config.buildPool().localFallback().enabled(),
          config.web().requireToken());
    }

    /** Telnet has no login: where the web wants a token, telnet would be the way round it (audit M5). */
    boolean telnetOn() {
      return telnetEnabled && !webRequiresToken;
    }
  }

  private final Settings settings;
  private ShellServer shell;
  private TermServer telnet;
  private TermServer ssh;

  public ShellVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    if (settings.telnetEnabled() && !settings.telnetOn()) {
      LOG.warn("shell: telnet stays off because web.require_token is on (telnet has no login); use SSH");
    }
    if (!settings.telnetOn() && !settings.sshEnabled()) {
      return Future.succeededFuture();
    }
    Path keys = settings.authorizedKeys().isBlank() ? null : Path.of(settings.authorizedKeys());
    // File checks and the host key off the event loop; then the servers.
    return vertx.executeBlocking(() -> {
      boolean keysReadable = keys != null && Files.isReadable(keys);
      if (settings.sshEnabled() && settings.sshPassword().isEmpty() && !keysReadable) {
        throw OrchException.badRequest("[shell] ssh_enabled is on but there is no way to log in: set ssh_password"
            + " (or ORCH_SHELL__SSH_PASSWORD), or ssh_authorized_keys to a readable authorized_keys file"
            + (keys == null ? "" : " (" + keys + " is not readable)"));
      }
      if (settings.sshEnabled()) {
        HostKey.ensure(Path.of(settings.hostKeyFile()));
      }
      return keysReadable;
    }, false).compose(keysReadable -> listen(keys, keysReadable));
  }

  private Future<Void> listen(Path keys, boolean keysReadable) {
    ShellCommands commands = new ShellCommands(vertx, settings.localFallbackEnabled());
    shell = ShellServer.create(vertx, new ShellServerOptions()
        .setWelcomeMessage("orch shell: type help for the commands, exit to leave.\n\n"));
    List<io.vertx.ext.shell.command.Command> orchCommands = commands.commands();
    CommandResolver resolver = () -> orchCommands;
    shell.registerCommandResolver(resolver);
    if (settings.telnetOn()) {
      telnet = CrossProtocolGuard.guard(TermServer.createTelnetTermServer(vertx,
          new TelnetTermOptions().setHost(TELNET_HOST).setPort(settings.telnetPort())));
      shell.registerTermServer(telnet);
    }
    if (settings.sshEnabled()) {
      ssh = TermServer.createSSHTermServer(vertx, new SSHTermOptions().setHost(settings.sshHost())
              .setPort(settings.sshPort())
              .setPfxKeyPairOptions(new PfxOptions().setPath(settings.hostKeyFile()).setPassword(HostKey.PASSWORD)))
          .authenticationProvider(passwords());
      shell.registerTermServer(ssh);
    }
    return shell.listen().recover(e -> Future.failedFuture(OrchException.badRequest("the shell cannot listen ("
        + e.getMessage() + "): telnet " + TELNET_HOST + ":" + settings.telnetPort()
        + (settings.sshEnabled() ? ", ssh " + settings.sshHost() + ":" + settings.sshPort() : "")
        + "; set [shell] telnet_port / ssh_port, or turn them off with telnet_enabled / ssh_enabled = false")))
        .onSuccess(v -> {
      if (ssh instanceof SSHServer server) {
        InteractiveOnly.guard(server.getNativeServer());
      }
      if (ssh instanceof SSHServer server && keysReadable) {
        // Asked per login, so setting it on the running server takes effect at once.
        server.getNativeServer().setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(keys) {
          @Override
          protected boolean isValidUsername(String username, ServerSession session) {
            return settings.sshUser().equals(username);
          }
        });
      }
      if (telnet != null) {
        LOG.info("shell: telnet {}:{} (loopback only, no login)", TELNET_HOST, telnet.actualPort());
      }
      if (ssh != null) {
        LOG.info("shell: ssh {}@{} -p {} ({}{})", settings.sshUser(), settings.sshHost(), ssh.actualPort(),
            settings.sshPassword().isEmpty() ? "" : "password", keysReadable
                ? (settings.sshPassword().isEmpty() ? "" : " or ") + "a key in " + keys : "");
      }
    });
  }

  /** The configured password for the configured user; nothing when no password is set (keys only). */
  private AuthenticationProvider passwords() {
    byte[] expected = settings.sshPassword().getBytes(StandardCharsets.UTF_8);
    return (Credentials credentials) -> {
      if (credentials instanceof UsernamePasswordCredentials given && expected.length > 0
          && settings.sshUser().equals(given.getUsername()) && given.getPassword() != null
          && MessageDigest.isEqual(expected, given.getPassword().getBytes(StandardCharsets.UTF_8))) {
        return Future.succeededFuture(User.fromName(given.getUsername()));
      }
      return Future.failedFuture("wrong user name or password");
    };
  }

  public int telnetPort() {
    return telnet == null ? 0 : telnet.actualPort();
  }

  public int sshPort() {
    return ssh == null ? 0 : ssh.actualPort();
  }

  @Override
  public Future<?> stop() {
    return shell == null ? Future.succeededFuture() : shell.close();
  }
}
