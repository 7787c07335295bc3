package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.ApiLimit;
import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptedModelServer;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real Claude Code CLI against a model API that refuses every request for a while: the plan parks instead of
 * failing, one agent probes when the limit should have lifted, and the plan finishes with no attempt spent. A batch
 * starts the tasks, and its summary says how long the plan was parked and by what.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class GovernorIT {
  private static final Duration WINDOW = Duration.ofSeconds(15);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @ParameterizedTest
  @EnumSource(ScriptedModelServer.Refusal.class)
  void aPlanThatMeetsALimitParksAndFinishesAfterItWithoutSpendingAttempts(ScriptedModelServer.Refusal refusal)
      throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-one.md", ScriptBook.writeAndCommit("one.txt", "one\n", "one", "done"))
        .on("docs/plans/app/epic-02-two.md", ScriptBook.writeAndCommit("two.txt", "two\n", "two", "done"))
        .on("docs/plans/app/epic-03-three.md", ScriptBook.writeAndCommit("three.txt", "three\n", "three", "done"));
    Path schedule = tmp.resolve("schedule.toml");
    Files.writeString(schedule, """
        [[batch]]
        name = "nightly"
        cron = "0 3 1 1 *"
        max_tasks = 3
        max_duration = "2h"
        """);
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("general.max_parallel_agents", "3",
        "scheduler.max_retries", "0", "batch.schedule_file", "\"" + schedule + "\""))) {
      orch.tree.plan("app/epic-01-one.md", PlanTree.task("One", "standalone: true"))
          .plan("app/epic-02-two.md", PlanTree.task("Two", "standalone: true"))
          .plan("app/epic-03-three.md", PlanTree.task("Three", "standalone: true"));
      orch.commitPlan();
      if (refusal == ScriptedModelServer.Refusal.USAGE) {
        ScriptedModelServer.subscriptionCredentials().forEach(orch::putEnv);
      }
      // The window opens with the first request, however long the agents take to start. The usage limit names a reset
      // hours away but lifts with the window, as when a person raises the plan's limit: the plan waits for the named
      // time until a person lifts the park.
      orch.model.refuseFor(WINDOW, refusal, Duration.ofHours(5));
      orch.startOrch("run", "--scheduled");
      orch.awaitTasks(tasks -> tasks.size() == 3, Duration.ofSeconds(60));
      OrchProcess.Result batch = orch.orch("batch", "run", "nightly");
      assertThat(batch.exit()).as(batch.toString()).isZero();

      orch.awaitTasks(tasks -> tasks.values().stream().anyMatch(t -> "paused".equals(t.getString("status"))),
          Duration.ofSeconds(60));
      OrchProcess.Result status = orch.orch("status");
      assertThat(status.out()).as(status.toString()).contains("parked by " + expectedLimit(refusal).describe());
      if (refusal == ScriptedModelServer.Refusal.USAGE) {
        assertThat(status.out()).as("a usage limit says when it resets: the plan waits for exactly that")
            .contains(Instant.ofEpochSecond((orch.model.claimedResetAt() + 999) / 1000).plusSeconds(5).toString());
        long windowEnds = orch.model.windowEndsAt();
        Awaitility.await().atMost(WINDOW.plusSeconds(10)).until(() -> System.currentTimeMillis() > windowEnds);
        OrchProcess.Result unpark = orch.orch("unpark");
        assertThat(unpark.out()).as(unpark.toString()).contains("one agent goes first");
      }

      var done = orch.awaitTasks(tasks -> tasks.size() == 3 && OrchHarness.all(tasks, "complete"), Duration.ofSeconds(240));

      int refusedRequests = orch.model.refusedRequests();
      System.out.printf("%s window of %d s: the model saw %d refused requests%n", refusal, WINDOW.toSeconds(),
          refusedRequests);
      assertThat(done.values()).as("a limit is not an attempt: each task merged on its first")
          .allSatisfy(t -> assertThat(t.getInteger("attempts")).isEqualTo(1));
      assertThat(refusedRequests).as("one request per agent, then the governor waits").isBetween(1, 3);
      List<String> history = orch.history("app/E01");
      assertThat(history).anySatisfy(h -> assertThat(h).startsWith("paused: "));
      List<JsonObject> runs = orch.runs("app/E01");
      assertThat(runs).extracting(r -> r.getString("status")).contains("limited", "succeeded");

      AtomicReference<OrchProcess.Result> batches = new AtomicReference<>();
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        batches.set(orch.orch("batch", "status"));
        return batches.get().out().contains("nightly: last run");
      });
      assertThat(batches.get().out()).as(batches.get().toString())
          .contains("3 started: 3 done", "of its 2h by " + expectedLimit(refusal).describe() + " (once)");
    }
  }

  private static ApiLimit.Kind expectedLimit(ScriptedModelServer.Refusal refusal) {
    return switch (refusal) {
      case RATE -> ApiLimit.Kind.RATE;
      case OVERLOADED -> ApiLimit.Kind.OVERLOADED;
      case USAGE -> ApiLimit.Kind.USAGE;
    };
  }
}
