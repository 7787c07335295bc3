package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The build pool's command bodies: typed, clamped as before, and strict about their fields. */
class BuildPoolQueriesTest {
  @Test
  void absentNumbersTakeTheirDefaultsAndOthersAreClamped() {
    OutputQuery bare = OutputQuery.fromJson(new JsonObject().put("job_id", 4));
    assertThat(bare).isEqualTo(new OutputQuery(4, null, 0L, 1024 * 1024, 0L));
    OutputQuery wide = OutputQuery.fromJson(new JsonObject().put("job_id", 4).put("offset", -5).put("max", Integer.MAX_VALUE)
        .put("wait_millis", 999_999));
    assertThat(wide.offset()).isZero();
    assertThat(wide.max()).isEqualTo(8 * 1024 * 1024);
    assertThat(wide.waitMillis()).isEqualTo(OutputQuery.MAX_WAIT_MILLIS);
    assertThat(JobsQuery.fromJson(new JsonObject()).limit()).isEqualTo(50);
    assertThat(JobsQuery.fromJson(new JsonObject().put("limit", 5000)).limit()).isEqualTo(1000);
  }

  @Test
  void theWireIsTheOneTheWebAndTheMcpServerAlreadySend() {
    assertThat(JobRef.fromJson(new JsonObject().put("job_id", 12)).jobId()).isEqualTo(12);
    assertThat(new OutputQuery(3, "stderr", 10L, 100, null).toJson().fieldNames())
        .containsExactlyInAnyOrder("job_id", "stream", "offset", "max", "wait_millis");
  }

  @Test
  void aMissingJobOrAnUnknownFieldIsABadRequestNamingTheField() {
    assertThatThrownBy(() -> JobRef.fromJson(new JsonObject()))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessageContaining("job_id");
    assertThatThrownBy(() -> JobRef.fromJson(new JsonObject().put("job_id", 1).put("jobid", 2)))
        .hasMessageContaining("field 'jobid' is not known");
    assertThatThrownBy(() -> OutputQuery.fromJson(new JsonObject().put("job_id", 1.5))).hasMessageContaining("field 'job_id'");
  }
}
