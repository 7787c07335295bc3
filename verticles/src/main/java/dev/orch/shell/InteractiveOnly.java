package dev.orch.shell;

import java.nio.charset.StandardCharsets;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AsyncCommand;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.shell.ShellFactory;

/**
 * Lets only interactive SSH sessions (a shell on a pseudo-terminal with a size) reach the shell. termd serves an exec
 * request ({@code ssh host status}) by waiting, on the event loop, for a write that only that same event loop can
 * finish: the loop froze for good (audit H3). A shell without a terminal ({@code ssh -T host}) or without a size
 * crashes termd. Both are answered here instead, with a line on stderr and exit status 1, written without waiting
 * for anything, and the channel closes.
 */
final class InteractiveOnly {
  static final int REFUSED = 1;
  static final String EXEC_REFUSED = "orch's shell is interactive only; commands after the host name are not run."
      + " Connect with ssh -t and type the command at the prompt, or use the orch command line.";
  static final String NO_TERMINAL = "orch's shell needs a terminal: connect with ssh -t (not -T, and not with"
      + " input from a pipe).";

  private InteractiveOnly() {
  }

  /**
   * Puts the guard in front of a started server's shell and command factories. sshd asks for them per channel
   * request, so this takes effect at once; a client must authenticate (several round trips) before it can ask.
   */
  static void guard(SshServer server) {
    ShellFactory shells = server.getShellFactory();
    server.setShellFactory(channel -> hasSizedTerminal(channel) ? shells.createShell(channel)
        : new Refusal(NO_TERMINAL));
    CommandFactory refuseAll = (channel, command) -> new Refusal(EXEC_REFUSED);
    server.setCommandFactory(refuseAll);
  }

  /** A pty-req gives the terminal's type and size; without it (or with a zero width) termd cannot draw. */
  static boolean hasSizedTerminal(ChannelSession channel) {
    var env = channel.getEnvironment().getEnv();
    return env.containsKey(Environment.ENV_TERM) && positive(env.get(Environment.ENV_COLUMNS))
        && positive(env.get(Environment.ENV_LINES));
  }

  private static boolean positive(String number) {
    try {
      return number != null && Integer.parseInt(number.trim()) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Writes its message to stderr and exits; asynchronous streams, so nothing here ever waits on the I/O thread. */
  private static final class Refusal implements AsyncCommand {
    private final String message;
    private IoOutputStream err;
    private ExitCallback exit;

    Refusal(String message) {
      this.message = message;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      byte[] line = (message + "\r\n").getBytes(StandardCharsets.UTF_8);
      try {
        err.writeBuffer(new ByteArrayBuffer(line)).addListener(written -> exit.onExit(REFUSED, message));
      } catch (java.io.IOException e) {
        exit.onExit(REFUSED, message);
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      exit = callback;
    }

    @Override
    public void setIoErrorStream(IoOutputStream stream) {
      err = stream;
    }

    @Override
    public void setIoOutputStream(IoOutputStream stream) {
    }

    @Override
    public void setIoInputStream(org.apache.sshd.common.io.IoInputStream stream) {
    }

    @Override
    public void setInputStream(java.io.InputStream in) {
    }

    @Override
    public void setOutputStream(java.io.OutputStream out) {
    }

    @Override
    public void setErrorStream(java.io.OutputStream err) {
    }
  }
}
