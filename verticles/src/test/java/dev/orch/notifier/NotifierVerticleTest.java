package dev.orch.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.orch.contract.Addresses;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.GovernorView;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The notifier against a local HTTP receiver standing in for Slack (it fails the first delivery) and a stand-in
 * notify-send that records its arguments, one per line.
 */
@ExtendWith(VertxExtension.class)
class NotifierVerticleTest {
  private static final String EVIL_TITLE = "Login $(touch /tmp/orch-pwned) `id` <b>bold</b> & \"quoted\"";

  @TempDir
  Path tmp;

  private HttpServer slack;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Path recorded;
  private Path notifySend;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    slack = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (requests.incrementAndGet() == 1) {
        request.response().setStatusCode(500).end("try later");
      } else {
        received.add(body.toJsonObject());
        request.response().setStatusCode(200).end("ok");
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    recorded = tmp.resolve("notify-send.args");
    notifySend = tmp.resolve("bin/notify-send");
    Files.createDirectories(notifySend.getParent());
    Files.writeString(notifySend, "#!/bin/sh\nfor arg in \"$@\"; do printf '%s\\n' \"$arg\" >> '" + recorded + "'; done\n"
        + "echo --- >> '" + recorded + "'\n");
    Files.setPosixFilePermissions(notifySend, PosixFilePermissions.fromString("rwx------"));
    logs.start();
    ((Logger) LoggerFactory.getLogger("dev.orch.notifier")).addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger("dev.orch.notifier")).detachAppender(logs);
  }

  private void deploy(Vertx vertx, String webhook) throws Exception {
    var settings = new NotifierVerticle.Settings(true, notifySend.toString(), List.of("task_failed", "pr_flagged"), webhook,
        List.of("task_complete", "task_failed", "pr_flagged"), 3, 50);
    vertx.deployVerticle(new NotifierVerticle(settings))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFlaggedPullRequestReachesTheDesktopAndSlackAfterARetryWithNothingInjected(Vertx vertx) throws Exception {
    String webhook = "http://127.0.0.1:" + slack.actualPort() + "/services/T000/B000/very-secret-token";
    deploy(vertx, webhook);
    PullRequestView pr = new PullRequestView(7, TaskId.parseFull("app/E02"), 3, "orch/app-E02", EVIL_TITLE, "body", PrState.FLAGGED,
        "review needed: security: src/auth/Login.java", "abc", null, 1, 1, 0, "", 0.4321, 1000, 0, 0, null, 0,
        List.of("needs-human-review"), null, null, "https://forge.example/pr/7", 0);
    vertx.eventBus().publish(Addresses.Prbot.EVT_FLAGGED, pr.toJson());

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1 && Files.exists(recorded));
    JsonObject attachment = received.get(0).getJsonArray("attachments").getJsonObject(0);
    assertThat(requests.get()).as("the first delivery failed and was retried").isEqualTo(2);
    assertThat(attachment.getString("color")).isEqualTo("warning");
    assertThat(attachment.getString("title")).isEqualTo("orch: app/E02 needs a review: Login $(touch /tmp/orch-pwned)"
        + " `id` &lt;b&gt;bold&lt;/b&gt; &amp; \"quoted\"");
    assertThat(attachment.getString("title_link")).isEqualTo("https://forge.example/pr/7");
    assertThat(attachment.getJsonArray("fields").encode()).contains("app/E02", "$0.43");

    List<String> args = Files.readAllLines(recorded, StandardCharsets.UTF_8);
    assertThat(args).startsWith("--app-name=orch", "--urgency=normal", "--", "orch: app/E02 needs a review");
    assertThat(String.join("\n", args)).contains("Login $(touch /tmp/orch-pwned) `id` &lt;b&gt;bold&lt;/b&gt; &amp; \"quoted\"");
    assertThat(Path.of("/tmp/orch-pwned")).doesNotExist();
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("Slack webhook answered 500"))
        .noneSatisfy(line -> assertThat(line).contains("very-secret-token"));
  }

  @Test
  void eventsGoOnlyWhereTheyAreConfiguredToGo(Vertx vertx) throws Exception {
    deploy(vertx, "http://127.0.0.1:" + slack.actualPort() + "/hook");
    requests.set(1);
    vertx.eventBus().publish(Addresses.Scheduler.EVT_TASK,
        new TaskTransition(TaskId.parseFull("app/E01"), TaskStatus.IN_REVIEW, TaskStatus.COMPLETE, "merged", 1).toJson());
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertThat(received.get(0).getString("text")).isEqualTo("orch: app/E01 complete");
    assertThat(recorded).as("task_complete is not a desktop event here").doesNotExist();

    vertx.eventBus().publish(Addresses.Scheduler.EVT_TASK,
        new TaskTransition(TaskId.parseFull("app/E01"), TaskStatus.RUNNING, TaskStatus.FAILED, "the agent exited with 1", 2).toJson());
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2 && Files.exists(recorded));
    assertThat(received.get(1).getJsonArray("attachments").getJsonObject(0).getString("color")).isEqualTo("danger");
    assertThat(Files.readString(recorded)).contains("orch: app/E01 failed", "the agent exited with 1");
  }

  @Test
  void aParkedPlanAndItsResumingAreTold(Vertx vertx) throws Exception {
    var settings = new NotifierVerticle.Settings(true, notifySend.toString(), List.of("plan_parked", "plan_resumed"), "",
        List.of(), 1, 1);
    vertx.deployVerticle(new NotifierVerticle(settings)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.eventBus().publish(Addresses.Scheduler.EVT_GOVERNOR, new GovernorView(true, ApiLimit.Kind.RATE, 1_000_000, 0,
        "parked by the model API's rate limit: no new agent starts until 1970-01-01T00:16:40Z, then one goes first")
        .toJson());
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(recorded)
        && Files.readString(recorded).contains("no new agent starts until"));
    vertx.eventBus().publish(Addresses.Scheduler.EVT_GOVERNOR, new GovernorView(false, ApiLimit.Kind.RATE, 0, 2,
        "after the model API's rate limit: back to at most 2 agents for now").toJson());
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(recorded).contains("back to at most 2 agents"));
    assertThat(Files.readString(recorded)).contains("orch: the plan is parked by a model API limit",
        "orch: agents start again after a model API limit");
  }

  @Test
  void anUnknownEventNameStopsTheStartAndNamesTheKey(Vertx vertx) {
    var settings = new NotifierVerticle.Settings(false, "", List.of("task_exploded"), "", List.of(), 1, 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> vertx.deployVerticle(new NotifierVerticle(settings))
        .toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS))
        .hasMessageContaining("notifications.desktop_events: unknown event 'task_exploded'");
  }

  @Test
  void appleScriptGetsItsStringsEscaped() {
    DesktopNotifier mac = new DesktopNotifier("/usr/bin/osascript");
    List<String> args = mac.commandLine(new Notice(Notice.Kind.TASK_FAILED, "app/E01", "say \"hi\" \\ bye", "line1\nline2",
        null, 0));
    assertThat(args).hasSize(3);
    assertThat(args.get(2)).isEqualTo("display notification \"say \\\"hi\\\" \\\\ bye line1 line2\" with title \"orch: app/E01 failed\"");
  }

  @Test
  void l4_a_title_cannot_ping_the_channel_or_plant_a_link_in_slack() {
    String title = "Fix <!channel> <@U012AB3CD> <https://evil.invalid|the docs> & <#C024BE7LR>";
    JsonObject message = SlackNotifier.message(new Notice(Notice.Kind.TASK_FAILED, "app/E01", title,
        "the agent said <!here> & left", "/home/me/project/.orch/prs/3", 0.5));
    JsonObject attachment = message.getJsonArray("attachments").getJsonObject(0);
    assertThat(attachment.getString("title")).isEqualTo("orch: app/E01 failed: Fix &lt;!channel&gt; &lt;@U012AB3CD&gt;"
        + " &lt;https://evil.invalid|the docs&gt; &amp; &lt;#C024BE7LR&gt;");
    assertThat(attachment.getString("text")).isEqualTo("the agent said &lt;!here&gt; &amp; left");
    assertThat(message.encode()).doesNotContain("<!", "<@", "<#", "<https", "/home/me");
    assertThat(attachment.containsKey("title_link")).as("a local path is not a link").isFalse();
  }

  @Test
  void l4_slack_escaping_follows_slacks_three_rules_only() {
    assertThat(SlackText.escape("a & b < c > d \"e\" 'f' *g* _h_")).isEqualTo("a &amp; b &lt; c &gt; d \"e\" 'f' *g* _h_");
    assertThat(SlackText.escape(null)).isNull();
    assertThat(SlackText.isWebLink("https://forge.example/pr/7")).isTrue();
    assertThat(SlackText.isWebLink("/tmp/x")).isFalse();
  }
}
