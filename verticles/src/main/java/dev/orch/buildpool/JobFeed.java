package dev.orch.buildpool;

import dev.orch.contract.Addresses;
import dev.orch.contract.JobOutput;
import dev.orch.contract.JobProgress;
import dev.orch.contract.JobView;
import dev.orch.contract.OrchException;
import dev.orch.contract.OutputQuery;
import dev.orch.process.JobProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Jobs' output as readers see it: the {@code output} and {@code follow} commands (a follower waits up to
 * {@link OutputQuery#waitMillis()} for news), and the output events, cut to at most {@link #MAX_EVENT_CHARS} each. Runs on the
 * build pool's event loop; file reads run off it.
 */
final class JobFeed {
  /** The most text one output event carries; longer output goes out as several, in order. */
  static final int MAX_EVENT_CHARS = 64 * 1024;

  private final Vertx vertx;
  private final JobLogs logs;
  private final LongFunction<Future<JobView>> job;
  /** Followers waiting for a job's next output or its end, and how often each job has had news (to not miss any). */
  private final Map<Long, List<Promise<Void>>> followers = new HashMap<>();
  private final Map<Long, Long> news = new HashMap<>();

  JobFeed(Vertx vertx, JobLogs logs, LongFunction<Future<JobView>> job) {
    this.vertx = vertx;
    this.logs = logs;
    this.job = job;
  }

  Future<JobOutput> output(OutputQuery query) {
    long id = query.jobId();
    long offset = query.offset();
    int max = query.max();
    JobLogs.Part part;
    try {
      part = JobLogs.Part.of(query.stream());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(OrchException.badRequest(e.getMessage()));
    }
    return vertx.executeBlocking(() -> new JobOutput(id, offset, logs.read(id, part, offset, max),
        part == JobLogs.Part.ALL ? "" : part.name().toLowerCase(Locale.ROOT)), false);
  }

  Future<JobProgress> follow(OutputQuery query) {
    long id = query.jobId();
    long offset = query.offset();
    int max = query.max();
    long waitMillis = query.waitMillis();
    return readProgress(id, offset, max).compose(progress -> {
      if (!progress.text().isEmpty() || progress.job().state().done() || waitMillis == 0) {
        return Future.succeededFuture(progress);
      }
      Promise<Void> woken = Promise.promise();
      followers.computeIfAbsent(id, k -> new ArrayList<>()).add(woken);
      long timer = vertx.setTimer(waitMillis, t -> woken.tryComplete());
      return woken.future().compose(v -> {
        vertx.cancelTimer(timer);
        return readProgress(id, offset, max);
      });
    });
  }

  /** Output as kept (cut past the cap: nothing to tell), published in order, and its followers woken. */
  void published(long id, JobLogs.Appended appended, JobProcess.Stream stream) {
    String text = appended.text();
    long offset = appended.offset();
    for (int at = 0; at < text.length(); ) {
      int end = Math.min(text.length(), at + MAX_EVENT_CHARS);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      String piece = text.substring(at, end);
      vertx.eventBus().publish(Addresses.BuildPool.EVT_OUTPUT, new JobOutput(id, offset, piece, stream.wire()).toJson());
      offset += piece.getBytes(StandardCharsets.UTF_8).length;
      at = end;
    }
    if (!text.isEmpty()) {
      wake(id);
    }
  }

  /** The job ended: its followers get their last read. */
  void ended(long id) {
    wake(id);
    news.remove(id);
  }

  /** The job and its output from offset; read again if news arrived while reading, so none is missed. */
  private Future<JobProgress> readProgress(long id, long offset, int max) {
    long before = news.getOrDefault(id, 0L);
    return job.apply(id).compose(found -> vertx.executeBlocking(() -> logs.read(id, offset, max), false).compose(text -> {
      if (text.isEmpty() && !found.state().done() && news.getOrDefault(id, 0L) != before) {
        return readProgress(id, offset, max);
      }
      long next = offset + text.getBytes(StandardCharsets.UTF_8).length;
      return Future.succeededFuture(new JobProgress(found, offset, next, text));
    }));
  }

  private void wake(long id) {
    news.merge(id, 1L, Long::sum);
    List<Promise<Void>> waiting = followers.remove(id);
    if (waiting != null) {
      waiting.forEach(Promise::tryComplete);
    }
  }
}
