package dev.orch.contract;

import dev.orch.contract.TaskId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StopRequestTest {

  @Test
  void theCauseTravelsAsATypeAndTheReasonDefaultsToItsDescription() {
    StopRequest request = StopRequest.fromJson(StopRequest.byPerson(TaskId.parseFull("m/E01")).toJson());
    assertThat(request.cause()).isEqualTo(StopCause.PERSON);
    assertThat(request.reason()).isEqualTo("stopped by a person");
    assertThat(request.toJson().getString("cause")).isEqualTo("person");
  }

  @Test
  void aStopWithoutACauseOrWithAnUnknownOneIsRefusedNamingTheField() {
    assertThatThrownBy(() -> StopRequest.fromJson(new JsonObject().put("task_id", "m/E01")))
        .hasMessageContaining("'cause'");
    assertThatThrownBy(() -> StopRequest.fromJson(new JsonObject().put("task_id", "m/E01").put("cause", "tired")))
        .hasMessageContaining("cause").hasMessageContaining("tired");
  }

  @Test
  void everyCauseReadsBackFromItsWireName() {
    for (StopCause cause : StopCause.values()) {
      assertThat(StopCause.fromWire(cause.wire())).isEqualTo(cause);
    }
  }

  @Test
  void aCommandWithAFieldItsOwnerDoesNotKnowIsRefusedNamingItWhileAnEventIsRead() {
    assertThatThrownBy(() -> StartRequest.fromJson(new JsonObject().put("ids", new io.vertx.core.json.JsonArray()
        .add("m/E01")).put("count", 0).put("cuont", 2)))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessageContaining("field 'cuont' is not known").hasMessageContaining("count");
    TaskTransition event = TaskTransition.fromJson(new TaskTransition(TaskId.parseFull("m/E01"), TaskStatus.NOT_STARTED, TaskStatus.QUEUED,
        "starting", 1).toJson().put("added_by_a_newer_orch", true));
    assertThat(event.to()).isEqualTo(TaskStatus.QUEUED);
  }
}
