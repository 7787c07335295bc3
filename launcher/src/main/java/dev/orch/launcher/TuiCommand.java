package dev.orch.launcher;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import org.jline.utils.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code orch tui}: the shell's {@code top} in this terminal, with the task list to move through and a task's log to
 * open. It only wires the terminal (JLine) to {@link TuiModel}, {@link TuiLayout} and {@link TuiFeed}; the terminal is
 * put back as it was on every way out: q, Ctrl-C, an error, or SIGTERM, SIGINT or SIGHUP.
 */
@Command(name = "tui", description = "A live full-screen view in this terminal: tasks, agents, a task's log "
    + "(arrows or j/k move, Enter opens the log, q goes back or quits).")
final class TuiCommand implements Callable<Integer> {
  /** How long a key waits before the screen takes in what the feed read; also the Esc key's delay. */
  private static final long INPUT_WAIT_MILLIS = 100;
  private static final int HELD_LOG_BYTES = 1 << 20;
  /** What a shell reports for a program a signal ended is 128 plus its number. */
  private static final Map<String, Integer> SIGNAL_NUMBERS = Map.of("HUP", 1, "INT", 2, "TERM", 15);
  private static final List<String> STOP_SIGNALS = List.of("HUP", "INT", "TERM");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (System.console() == null) {
      spec.commandLine().getErr().println("error: orch tui needs a terminal, and its input or output is not one; "
          + "use orch status or orch list instead (both take --json)");
      return ExitCodes.USAGE;
    }
    ConfigLoader.Loaded loaded = ((OrchCommand) spec.root().userObject()).loadConfig(spec);
    try (OrchSession orch = OrchSession.connect(loaded.config());
        TuiFeed feed = new TuiFeed(orch, source(orch, loaded.config()))) {
      return show(feed);
    }
  }

  private static String source(OrchSession orch, OrchConfig config) {
    return orch.remote().map(running -> "orch run, pid " + running.pid() + ", " + running.baseUrl())
        .orElse("no orch running: the store " + config.general().databasePath() + ", read only");
  }

  private int show(TuiFeed feed) throws IOException {
    PrintStream stderr = System.err;
    ByteArrayOutputStream held = new HeldLog();
    Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).build();
    Restore restore = new Restore(terminal);
    // Told to stop, the view ends like q and restores the terminal on this thread: a JVM shutdown would restore it
    // from two hooks at once (JLine's and ours), each an stty process, and leave it raw now and then.
    AtomicReference<String> signalled = new AtomicReference<>();
    Map<String, Object> previous = new LinkedHashMap<>();
    for (String signal : STOP_SIGNALS) {
      previous.put(signal, Signals.register(signal, () -> signalled.compareAndSet(null, signal)));
    }
    try {
      // Log lines written while the screen is up would scramble it: they are held and printed after.
      System.setErr(new PrintStream(held, true, StandardCharsets.UTF_8));
      restore.enter();
      loop(terminal, feed, signalled);
      return signalled.get() == null ? ExitCodes.OK : 128 + SIGNAL_NUMBERS.get(signalled.get());
    } finally {
      restore.run();
      previous.forEach(Signals::unregister);
      System.setErr(stderr);
      stderr.print(held.toString(StandardCharsets.UTF_8));
    }
  }

  private void loop(Terminal terminal, TuiFeed feed, AtomicReference<String> signalled) {
    TuiModel model = new TuiModel();
    TuiLayout layout = new TuiLayout(Clock.systemDefaultZone());
    Display display = new Display(terminal, true);
    AtomicBoolean resized = new AtomicBoolean();
    terminal.handle(Terminal.Signal.WINCH, signal -> resized.set(true));
    BindingReader input = new BindingReader(terminal.reader());
    KeyMap<TuiModel.Key> keys = keys(terminal);
    List<TuiFeed.Update> updates = new ArrayList<>();
    feed.start();
    boolean changed = true;
    // Asked only when the terminal says it changed: each question is an stty child process.
    Size size = terminal.getSize();
    display.resize(size.getRows(), size.getColumns());
    while (signalled.get() == null) {
      if (resized.getAndSet(false)) {
        size = terminal.getSize();
        display.clear();
        display.resize(size.getRows(), size.getColumns());
        changed = true;
      }
      updates.clear();
      if (feed.drainTo(updates)) {
        updates.forEach(update -> apply(model, update));
        changed = true;
      }
      if (changed) {
        draw(display, layout.render(model, size.getColumns(), size.getRows()));
        terminal.flush();
        changed = false;
      }
      int next = input.peekCharacter(INPUT_WAIT_MILLIS);
      if (next == NonBlockingReader.EOF) {
        return;
      }
      if (next == NonBlockingReader.READ_EXPIRED) {
        continue;
      }
      TuiModel.Key key = input.readBinding(keys, null, false);
      if (key == null) {
        continue;
      }
      changed = true;
      switch (model.key(key)) {
        case QUIT -> {
          return;
        }
        case OPEN_LOG -> feed.follow(model.logTaskId(), model.generation());
        case CLOSE_LOG -> feed.unfollow();
        case NONE -> {
        }
      }
    }
  }

  private static void apply(TuiModel model, TuiFeed.Update update) {
    if (update instanceof TuiFeed.Tasks tasks) {
      model.update(tasks.snapshot());
    } else if (update instanceof TuiFeed.Log log) {
      model.log(log.generation(), log.run(), log.events(), log.reset(), log.note());
    }
  }

  private static void draw(Display display, TuiLayout.Screen screen) {
    List<AttributedString> lines = new ArrayList<>();
    for (int i = 0; i < screen.lines().size(); i++) {
      AttributedStyle style = i == screen.highlight() ? AttributedStyle.INVERSE
          : i == 0 ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
      lines.add(new AttributedString(screen.lines().get(i), style));
    }
    display.update(lines, 0);
  }

  /** The keys a terminal user expects, in both the terminal's own and the common cursor-key encodings. */
  private static KeyMap<TuiModel.Key> keys(Terminal terminal) {
    KeyMap<TuiModel.Key> keys = new KeyMap<>();
    bind(keys, TuiModel.Key.UP, KeyMap.key(terminal, Capability.key_up), "\033[A", "\033OA", "k");
    bind(keys, TuiModel.Key.DOWN, KeyMap.key(terminal, Capability.key_down), "\033[B", "\033OB", "j");
    bind(keys, TuiModel.Key.PAGE_UP, KeyMap.key(terminal, Capability.key_ppage), "\033[5~", "b");
    bind(keys, TuiModel.Key.PAGE_DOWN, KeyMap.key(terminal, Capability.key_npage), "\033[6~", " ");
    bind(keys, TuiModel.Key.HOME, KeyMap.key(terminal, Capability.key_home), "\033[H", "\033OH", "\033[1~", "g");
    bind(keys, TuiModel.Key.END, KeyMap.key(terminal, Capability.key_end), "\033[F", "\033OF", "\033[4~", "G");
    bind(keys, TuiModel.Key.ENTER, "\r", "\n");
    bind(keys, TuiModel.Key.Q, "q", "Q");
    bind(keys, TuiModel.Key.ESCAPE, KeyMap.esc());
    bind(keys, TuiModel.Key.INTERRUPT, KeyMap.ctrl('C'));
    keys.setAmbiguousTimeout(INPUT_WAIT_MILLIS);
    return keys;
  }

  private static void bind(KeyMap<TuiModel.Key> keys, TuiModel.Key key, String... sequences) {
    Stream.of(sequences).filter(s -> s != null && !s.isEmpty()).forEach(s -> keys.bind(key, s));
  }

  /** Log lines written while the screen is up, up to {@link #HELD_LOG_BYTES}: a view left open for days stays small. */
  private static final class HeldLog extends ByteArrayOutputStream {
    @Override
    public synchronized void write(int b) {
      if (count < HELD_LOG_BYTES) {
        super.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      if (count + length <= HELD_LOG_BYTES) {
        super.write(bytes, offset, length);
      }
    }
  }

  /** The terminal's state before the view, and putting it back, once. */
  private static final class Restore implements Runnable {
    private final Terminal terminal;
    private final AtomicBoolean done = new AtomicBoolean();
    private Attributes saved;

    Restore(Terminal terminal) {
      this.terminal = terminal;
    }

    /** Raw keys (Ctrl-C arrives as a key, so it quits like q), the alternate screen, no cursor. */
    void enter() {
      saved = terminal.enterRawMode();
      Attributes raw = terminal.getAttributes();
      raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
      terminal.setAttributes(raw);
      terminal.puts(Capability.enter_ca_mode);
      terminal.puts(Capability.keypad_xmit);
      terminal.puts(Capability.cursor_invisible);
      terminal.flush();
    }

    @Override
    public void run() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      try {
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.keypad_local);
        terminal.puts(Capability.exit_ca_mode);
        terminal.flush();
        if (saved != null) {
          terminal.setAttributes(saved);
        }
        terminal.close();
      } catch (IOException | RuntimeException e) {
        // The terminal is gone (a closed window): nothing is left to restore.
      }
    }
  }
}
