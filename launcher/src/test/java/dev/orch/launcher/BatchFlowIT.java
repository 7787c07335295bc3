package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overnight, end to end: {@code orch run --scheduled} starts nothing by itself; {@code orch batch run} starts one
 * batch of one task with the real Claude Code CLI; when it is done the summary reaches a local HTTP receiver standing
 * in for Slack and a stand-in notify-send found on PATH, and {@code orch batch status} tells how it went.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BatchFlowIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void aBatchRunsItsTasksAndTellsPeopleHowItWent() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<JsonObject> slack = new CopyOnWriteArrayList<>();
    HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      slack.add(body.toJsonObject());
      request.response().end("ok");
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path recorded = tmp.resolve("notify-send.args");
    Path notifySend = bin.resolve("notify-send");
    Files.writeString(notifySend, "#!/bin/sh\nfor arg in \"$@\"; do printf '%s\\n' \"$arg\" >> '" + recorded + "'; done\n");
    Files.setPosixFilePermissions(notifySend, PosixFilePermissions.fromString("rwx------"));
    Path schedule = tmp.resolve("schedule.toml");
    Files.writeString(schedule, """
        [[batch]]
        name = "nightly"
        cron = "0 3 1 1 *"
        max_tasks = 1
        max_duration = "2h"
        """);
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"))
        .on("docs/plans/docs/epic-01-guide.md", ScriptBook.writeAndCommit("docs/guide.md", "# Guide\n", "guide", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("batch.schedule_file", "\"" + schedule + "\"",
        "notifications.desktop", "true", "notifications.desktop_events", "[\"batch_finished\"]",
        "notifications.slack_webhook", "\"http://127.0.0.1:" + receiver.actualPort() + "/services/secret-hook\"",
        "notifications.slack_events", "[\"task_complete\", \"batch_finished\"]"))) {
      orch.putEnv("PATH", bin + ":" + System.getenv("PATH"));
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("docs/epic-01-guide.md", PlanTree.task("Guide"));
      orch.commitPlan();
      Process run = orch.startOrch("run", "--scheduled");
      orch.awaitTasks(t -> t.size() == 2, TIMEOUT);

      OrchProcess.Result list = orch.orch("batch", "list");
      assertThat(list.out()).as(list.toString()).contains("nightly", "0 3 1 1 *", "-01-01 03:00");
      OrchProcess.Result started = orch.orch("batch", "run", "nightly");
      assertThat(started.exit()).as(started.toString()).isZero();
      assertThat(started.out()).contains("batch nightly started: up to 1 task(s)");

      var tasks = orch.awaitTasks(t -> t.values().stream().anyMatch(task -> task.getString("status").equals("complete")),
          TIMEOUT);
      long complete = tasks.values().stream().filter(t -> t.getString("status").equals("complete")).count();
      until(TIMEOUT, () -> slack.stream().anyMatch(m -> m.getString("text").equals("orch: batch nightly finished")));
      assertThat(complete).as("max_tasks = 1").isEqualTo(1);
      JsonObject summary = slack.stream().filter(m -> m.getString("text").equals("orch: batch nightly finished"))
          .findFirst().orElseThrow();
      assertThat(summary.encode()).contains("1 done, 0 failed, 0 waiting for review, of 1 started");
      // Each notice is its own webhook call, so the task's may land after the batch's summary.
      until(TIMEOUT, () -> slack.stream().anyMatch(m -> m.getString("text").endsWith(" complete")));
      until(Duration.ofSeconds(10), () -> Files.exists(recorded));
      assertThat(Files.readString(recorded)).contains("orch: batch nightly finished", "1 done");
      assertThat(orch.allLogs()).doesNotContain("secret-hook");

      OrchProcess.Result status = orch.orch("batch", "status");
      assertThat(status.out()).as(status.toString()).contains("nightly: last run", "1 started: 1 done");
      assertThat(orch.tasks().values()).as("--scheduled starts nothing by itself: the task the batch left is untouched")
          .filteredOn(t -> t.getString("status").equals("not_started")).hasSize(1);
      orch.stop(run);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void until(Duration timeout, java.util.function.BooleanSupplier condition) {
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
  }
}
