package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryQueryTest {
  @Test
  void pointsAreSummedIntoTheirBucketAndThoseOutsideTheWindowLeftOut() {
    HistoryQuery query = new HistoryQuery(10_000, 1_000, 3);

    HistorySeries series = query.sum(List.of(new HistoryQuery.Point(9_999, 5), new HistoryQuery.Point(10_000, 1),
        new HistoryQuery.Point(10_999, 2), new HistoryQuery.Point(12_500, 0.5), new HistoryQuery.Point(13_000, 7)));

    assertThat(series.values()).containsExactly(3.0, 0.0, 0.5);
  }

  @Test
  void aQueryTravelsAsJsonAndABadOneNamesItsField() {
    HistoryQuery query = new HistoryQuery(10_000, 60_000, 24);
    assertThat(HistoryQuery.fromJson(query.toJson())).isEqualTo(query);
    assertThat(query.toJson().fieldNames()).containsExactlyInAnyOrder("since", "bucket_millis", "buckets");

    assertThatThrownBy(() -> new HistoryQuery(0, 60_000, HistoryQuery.MAX_BUCKETS + 1)).hasMessageContaining("'buckets'");
    assertThatThrownBy(() -> new HistoryQuery(0, 10, 5)).hasMessageContaining("'bucket_millis'");
  }
}
