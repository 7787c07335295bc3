package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A window of time cut into equal buckets, {@code since} included: the dashboard's charts ask the owners for sums per
 * bucket over it. At most {@value #MAX_BUCKETS} buckets, so an answer stays small.
 */
public record HistoryQuery(long since, long bucketMillis, int buckets) implements BusMessage {
  public static final int MAX_BUCKETS = 2_000;

  public HistoryQuery {
    if (since < 0) {
      throw OrchException.badRequest("field 'since' must be a time in milliseconds, not " + since);
    }
    if (bucketMillis < 1_000) {
      throw OrchException.badRequest("field 'bucket_millis' must be at least 1000, not " + bucketMillis);
    }
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw OrchException.badRequest("field 'buckets' must be from 1 to " + MAX_BUCKETS + ", not " + buckets);
    }
  }

  public static HistoryQuery fromJson(JsonObject json) {
    return WireJson.fromJson(json, HistoryQuery.class);
  }

  /** Where the window ends (excluded). */
  public long until() {
    return since + bucketMillis * buckets;
  }

  /** One thing that happened, to be summed into its bucket. */
  public record Point(long at, double value) {
  }

  /** The sum of the points in each bucket; points outside the window are left out. */
  public HistorySeries sum(List<Point> points) {
    double[] sums = new double[buckets];
    for (Point point : points) {
      if (point.at() >= since && point.at() < until()) {
        sums[(int) ((point.at() - since) / bucketMillis)] += point.value();
      }
    }
    return new HistorySeries(java.util.Arrays.stream(sums).boxed().toList());
  }
}
