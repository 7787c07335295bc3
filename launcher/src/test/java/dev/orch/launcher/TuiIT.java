package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orch tui} from the shaded jar in a real pseudo-terminal (tmux, on a tmux server of this test's own), with HOME
 * in a temp folder: against a running {@code orch run} that ran a three-task plan with the real Claude Code CLI, then
 * against the store alone once it stopped. Keys move, open a log, go back and quit; the terminal's settings are the
 * same after as before, also after SIGTERM. Piped, it refuses and points at {@code orch status} and {@code orch list}.
 */
class TuiIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private String socket;
  private boolean tmuxStarted;

  /** A tmux server of this test's own, its socket in the temp folder: no other tmux user is touched, nothing is left. */
  @BeforeEach
  void tmuxSocket() {
    socket = tmp.resolve("tmux.sock").toString();
  }

  @AfterEach
  void killTmux() throws Exception {
    if (tmuxStarted) {
      new ProcessBuilder("tmux", "-S", socket, "kill-server").start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void theTaskListAndATasksLogInARealTerminalWithAndWithoutARunningOrch() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"))
        .on("docs/plans/app/epic-02-farewell.md", ScriptBook.writeAndCommit("app/farewell.txt", "bye\n", "farewell", "done"))
        .on("docs/plans/app/epic-03-thanks.md", ScriptBook.writeAndCommit("app/thanks.txt", "ta\n", "thanks", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("app/epic-02-farewell.md", PlanTree.task("Farewell"))
          .plan("app/epic-03-thanks.md", PlanTree.task("Thanks"));
      orch.commitPlan();

      OrchProcess.Result piped = orch.orch("tui");
      assertThat(piped.exit()).as(piped.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(piped.err()).contains("orch tui needs a terminal", "orch status", "orch list");

      Process run = orch.startRun();
      orch.awaitTasks(tasks -> tasks.size() == 3 && OrchHarness.all(tasks, "complete"), TIMEOUT);

      // ---- the running orch, over its API
      String live = tui(orch, "live");
      awaitPane(live, "orch run, pid", "> app/E01", "Greeting", "app/E02", "Farewell", "app/E03", "Thanks",
          "Tasks 3:", "complete 3");
      sendKeys(live, "Down");
      awaitPane(live, "> app/E02");
      sendKeys(live, "Enter");
      assertThat(awaitPane(live, "app/E02  Farewell", "(attempt 1), succeeded", "[tool]   Write", "farewell.txt",
          "following")).doesNotContain("greeting.txt");
      sendKeys(live, "q");
      awaitPane(live, "> app/E02", "TITLE");
      sendKeys(live, "q");
      awaitPane(live, "[exit 0]", "[terminal restored]");
      awaitPaneWithout(live, "TITLE");
      orch.stop(run);

      // ---- no orch running: the store, read only; the screen follows a resize; Ctrl-C quits too
      String stored = tui(orch, "stored");
      awaitPane(stored, "no orch running", "read only", "> app/E01", "app/E03", "AGENT", "TITLE");
      new ProcessBuilder("tmux", "-S", socket, "resize-window", "-t", stored, "-x", "70", "-y", "20").start()
          .waitFor(10, TimeUnit.SECONDS);
      awaitPaneWithout(stored, "AGENT");
      awaitPane(stored, "TITLE", "app/E03");
      sendKeys(stored, "j", "j", "Enter");
      awaitPane(stored, "app/E03  Thanks", "(attempt 1), succeeded", "[tool]   Write");
      sendKeys(stored, "Escape");
      awaitPane(stored, "> app/E03", "TITLE");
      sendKeys(stored, "C-c");
      awaitPane(stored, "[exit 0]", "[terminal restored]");

      // ---- told to stop (SIGTERM): the terminal is put back all the same
      String stopped = tui(orch, "stopped");
      awaitPane(stopped, "> app/E01", "TITLE");
      ProcessHandle tui = paneShell(stopped).descendants()
          .filter(p -> p.info().commandLine().map(line -> line.contains(" tui")).orElse(false)).findFirst()
          .orElseThrow();
      tui.destroy();
      awaitPane(stopped, "[exit 143]", "[terminal restored]");
    }
  }

  private ProcessHandle paneShell(String session) throws Exception {
    Process list = new ProcessBuilder("tmux", "-S", socket, "list-panes", "-t", session, "-F", "#{pane_pid}")
        .redirectErrorStream(true).start();
    String pid = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    list.waitFor(10, TimeUnit.SECONDS);
    return ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
  }

  /** A tmux session running {@code orch tui} in the project; the pane says afterwards how it ended. */
  private String tui(OrchHarness orch, String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "cd " + quote(orch.tree.root()) + " && before=$(stty -g); HOME=" + quote(tmp.resolve("home"))
        + " " + quote(Path.of(java)) + " -jar " + quote(OrchProcess.jar()) + " --config " + quote(orch.configFile)
        + " tui; code=$?; if [ \"$before\" = \"$(stty -g)\" ]; then echo '[terminal restored]'; fi;"
        + " echo \"[exit $code]\"; sleep 300";
    run("tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "160", "-y", "40", command);
    tmuxStarted = true;
    return name;
  }

  private static String quote(Path path) {
    return "'" + path.toString().replace("'", "'\\''") + "'";
  }

  private void sendKeys(String session, String... keys) throws Exception {
    List<String> args = new ArrayList<>(List.of("tmux", "-S", socket, "send-keys", "-t", session));
    args.addAll(List.of(keys));
    run(args.toArray(String[]::new));
  }

  private String pane(String session) throws Exception {
    Process capture = new ProcessBuilder("tmux", "-S", socket, "capture-pane", "-p", "-t", session)
        .redirectErrorStream(true).start();
    String text = new String(capture.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    capture.waitFor(10, TimeUnit.SECONDS);
    return text;
  }

  /** The screen once it shows every one of {@code texts} at the same time. */
  private String awaitPane(String session, String... texts) {
    AtomicReference<String> screen = new AtomicReference<>("");
    Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .alias("the screen shows " + List.of(texts)).untilAsserted(() -> {
          screen.set(pane(session));
          assertThat(screen.get()).contains(texts);
        });
    return screen.get();
  }

  private void awaitPaneWithout(String session, String text) {
    Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(pane(session)).doesNotContain(text));
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }
}
