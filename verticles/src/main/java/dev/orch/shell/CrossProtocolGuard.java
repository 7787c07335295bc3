package dev.orch.shell;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.shell.cli.Completion;
import io.vertx.ext.shell.session.Session;
import io.vertx.ext.shell.term.SignalHandler;
import io.vertx.ext.shell.term.Term;
import io.vertx.ext.shell.term.TermServer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a telnet session whose first line is an HTTP request line or header. A web page can make a browser send an
 * HTTP request to the telnet port; telnet reads the request's lines as commands, and a body holding telnet
 * negotiation and {@code reset ...} ran that command (audit M5). A person never types an HTTP request line first.
 */
final class CrossProtocolGuard {
  private static final Logger LOG = LoggerFactory.getLogger(CrossProtocolGuard.class);
  private static final Pattern REQUEST_LINE = Pattern.compile(
      "^\\s*(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE|PRI)\\s.*|.*\\sHTTP/\\d.*");
  /** {@code Host: x}, {@code Content-Type: y}: no orch command starts with a word ending in a colon. */
  private static final Pattern HEADER = Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9-]*:(\\s.*)?$");
  static final String REFUSED = "this is orch's shell, not a web server; closing.\r\n";

  private CrossProtocolGuard() {
  }

  static boolean looksLikeHttp(String line) {
    return line != null && (REQUEST_LINE.matcher(line).matches() || HEADER.matcher(line).matches());
  }

  /** The same server, handing the shell terms whose first line is checked. */
  static TermServer guard(TermServer server) {
    return new TermServer() {
      @Override
      public TermServer termHandler(Handler<Term> handler) {
        server.termHandler(term -> handler.handle(new FirstLineChecked(term)));
        return this;
      }

      @Override
      public TermServer authenticationProvider(AuthenticationProvider provider) {
        server.authenticationProvider(provider);
        return this;
      }

      @Override
      public Future<Void> listen() {
        return server.listen();
      }

      @Override
      public int actualPort() {
        return server.actualPort();
      }

      @Override
      public Future<Void> close() {
        return server.close();
      }
    };
  }

  /** Passes everything through; only the first line read goes through {@link #looksLikeHttp}. */
  private static final class FirstLineChecked implements Term {
    private final Term term;
    private boolean checked;

    FirstLineChecked(Term term) {
      this.term = term;
    }

    private Handler<String> checking(Handler<String> handler) {
      return line -> {
        if (!checked) {
          checked = true;
          if (looksLikeHttp(line)) {
            LOG.warn("shell: closed a telnet session that began like an HTTP request (a web page reaching the"
                + " telnet port?)");
            term.write(REFUSED);
            term.close();
            return;
          }
        }
        handler.handle(line);
      };
    }

    @Override
    public void readline(String prompt, Handler<String> lineHandler) {
      term.readline(prompt, checking(lineHandler));
    }

    @Override
    public void readline(String prompt, Handler<String> lineHandler, Handler<Completion> completionHandler) {
      term.readline(prompt, checking(lineHandler), completionHandler);
    }

    @Override
    public Term resizehandler(Handler<Void> handler) {
      term.resizehandler(handler);
      return this;
    }

    @Override
    public Term stdinHandler(Handler<String> handler) {
      term.stdinHandler(handler);
      return this;
    }

    @Override
    public Term write(String data) {
      term.write(data);
      return this;
    }

    @Override
    public long lastAccessedTime() {
      return term.lastAccessedTime();
    }

    @Override
    public Term echo(String text) {
      term.echo(text);
      return this;
    }

    @Override
    public Term setSession(Session session) {
      term.setSession(session);
      return this;
    }

    @Override
    public Term interruptHandler(SignalHandler handler) {
      term.interruptHandler(handler);
      return this;
    }

    @Override
    public Term suspendHandler(SignalHandler handler) {
      term.suspendHandler(handler);
      return this;
    }

    @Override
    public Term closeHandler(Handler<Void> handler) {
      term.closeHandler(handler);
      return this;
    }

    @Override
    public void close() {
      term.close();
    }

    @Override
    public String type() {
      return term.type();
    }

    @Override
    public int width() {
      return term.width();
    }

    @Override
    public int height() {
      return term.height();
    }
  }
}
