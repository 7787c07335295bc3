package dev.orch.launcher;

import dev.orch.contract.SyncReport;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * What orch run and orch serve do alike once their orch is up: stop it cleanly on Ctrl-C, print every task's
 * transitions, sync the plans, say what is served, then wait until stopped.
 */
final class Foreground {
  private Foreground() {
  }

  /**
   * {@code onStop}: what happens to running tasks, said when it stops; {@code banner}: the line saying what runs, from
   * the first sync's report.
   */
  static int hold(Orchestrator orch, PrintWriter out, String onStop, Function<SyncReport, String> banner)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("orch: stopping (" + onStop + ")");
      out.flush();
      orch.close();
      stopped.countDown();
    }, "orch-shutdown"));
    TransitionPrinter.attach(orch.session().vertx(), out, t -> true);
    SyncReport report = orch.session().await(orch.session().scheduler().sync());
    out.println(banner.apply(report));
    report.errors().forEach(e -> out.println("plan problem: " + e.describe()));
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
