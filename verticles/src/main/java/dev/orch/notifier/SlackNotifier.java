package dev.orch.notifier;

import dev.orch.logging.TaskLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack through an incoming webhook: one message per notice, coloured by kind, with the task, the link and the cost.
 * Failures (no answer, 429, 5xx) are retried with a doubling back-off; the webhook URL is a secret and never appears
 * in a log line or an error.
 */
final class SlackNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(SlackNotifier.class);

  private final Vertx vertx;
  private final WebClient client;
  private final String webhook;
  private final int attempts;
  private final long firstBackoffMillis;

  SlackNotifier(Vertx vertx, WebClient client, String webhook, int attempts, long firstBackoffMillis) {
    this.vertx = vertx;
    this.client = client;
    this.webhook = webhook;
    this.attempts = attempts;
    this.firstBackoffMillis = firstBackoffMillis;
  }

  /** Every text Slack formats is escaped ({@link SlackText}); the link goes in only when it is a web address. */
  static JsonObject message(Notice notice) {
    JsonArray fields = new JsonArray();
    if (notice.taskId() != null) {
      fields.add(new JsonObject().put("title", "Task").put("value", SlackText.escape(notice.taskId())).put("short", true));
    }
    if (notice.costUsd() > 0) {
      fields.add(new JsonObject().put("title", "Cost").put("value", String.format("$%.2f", notice.costUsd())).put("short", true));
    }
    String headline = SlackText.escape(notice.headline());
    JsonObject attachment = new JsonObject().put("color", notice.kind().colour).put("fallback", headline)
        .put("title", headline + (notice.title() == null || notice.kind() == Notice.Kind.BATCH_FINISHED ? ""
            : ": " + SlackText.escape(notice.title())))
        .put("text", notice.text() == null ? "" : SlackText.escape(notice.text())).put("fields", fields);
    if (SlackText.isWebLink(notice.link())) {
      attachment.put("title_link", notice.link());
    }
    return new JsonObject().put("text", headline).put("attachments", new JsonArray().add(attachment));
  }

  Future<Void> send(Notice notice) {
    Promise<Void> done = Promise.promise();
    attempt(notice.taskId(), message(notice), 1, firstBackoffMillis, done);
    return done.future();
  }

  /** {@code taskId}: the task the message is about, null for a batch's. */
  private void attempt(String taskId, JsonObject body, int attempt, long backoff, Promise<Void> done) {
    client.postAbs(webhook).timeout(10_000).sendJsonObject(body).onComplete(sent -> {
      int status = sent.succeeded() ? sent.result().statusCode() : -1;
      if (status >= 200 && status < 300) {
        done.complete();
        return;
      }
      String why = sent.succeeded() ? "answered " + status : "did not answer (" + sent.cause().getClass().getSimpleName() + ")";
      boolean retryable = status < 0 || status == 429 || status >= 500;
      if (!retryable || attempt >= attempts) {
        TaskLog.warn(LOG, taskId).log("Slack webhook {}; giving up on this message after {} attempt(s)", why, attempt);
        done.fail("the Slack webhook " + why);
        return;
      }
      String retryAfter = sent.succeeded() ? sent.result().getHeader("Retry-After") : null;
      long wait = backoff;
      if (retryAfter != null && retryAfter.matches("\\d+")) {
        wait = Math.max(wait, Long.parseLong(retryAfter) * 1000);
      }
      TaskLog.info(LOG, taskId).log("Slack webhook {}; trying again in {} ms", why, wait);
      vertx.setTimer(wait, id -> attempt(taskId, body, attempt + 1, Math.min(backoff * 2, 60_000), done));
    });
  }
}
