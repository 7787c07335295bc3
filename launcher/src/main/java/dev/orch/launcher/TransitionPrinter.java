package dev.orch.launcher;

import dev.orch.contract.Addresses;
import dev.orch.contract.TaskTransition;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Predicate;

/** Prints task transitions as they happen: {@code 16:02:01 core/E01  queued -> running  (agent running ...)}. */
final class TransitionPrinter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private TransitionPrinter() {
  }

  static MessageConsumer<JsonObject> attach(Vertx vertx, PrintWriter out, Predicate<TaskTransition> which) {
    return vertx.eventBus().consumer(Addresses.Scheduler.EVT_TASK, message -> {
      TaskTransition t = TaskTransition.fromJson(message.body());
      if (which.test(t)) {
        synchronized (out) {
          out.printf("%s %-16s %s -> %s%s%n", TIME.format(Instant.ofEpochMilli(t.at())), t.taskId(),
              t.from() == null ? "new" : t.from().wire(), t.to().wire(), t.reason() == null ? "" : "  (" + t.reason() + ")");
          out.flush();
        }
      }
    });
  }
}
