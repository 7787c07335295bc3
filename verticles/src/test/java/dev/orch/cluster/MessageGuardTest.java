package dev.orch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import dev.orch.contract.buildagent.AgentRegister;
import dev.orch.contract.buildagent.JobRun;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What crosses hosts is read as the protocol's records: anything else is refused before the pool or an agent acts. */
class MessageGuardTest {
  @Test
  void aMessageIsReadAsTheRecordOfItsAction() {
    JsonObject register = new AgentRegister("w1", "h", 2, 2, List.of()).toJson();
    assertThat(MessageGuard.checkAgent(AgentAction.REGISTER, register)).isInstanceOf(AgentRegister.class);
    assertThat(MessageGuard.checkWorker(BuildWorker.Action.RUN, new JobRun(1, "a".repeat(40), null, "make",
        "git://h:1/project", 60).toJson())).isInstanceOf(JobRun.class);
  }

  @Test
  void aFieldFromANewerVersionOrTheWrongActionIsRefusedByName() {
    JsonObject newer = new AgentRegister("w1", "h", 2, 2, List.of()).toJson().put("gpus", 4);
    assertThatThrownBy(() -> MessageGuard.checkAgent(AgentAction.REGISTER, newer))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessageContaining("field 'gpus'");
    JsonObject heartbeatAsLeave = new JsonObject().put("worker_id", "w1").put("free_slots", 1);
    assertThatThrownBy(() -> MessageGuard.checkAgent(AgentAction.LEAVE, heartbeatAsLeave))
        .hasMessageContaining("field 'free_slots'");
    assertThatThrownBy(() -> MessageGuard.checkWorker(BuildWorker.Action.CANCEL, new JsonObject().put("job_id", 0)))
        .hasMessageContaining("field 'job_id'");
  }

  @Test
  void anOversizedOutputPieceIsRefused() {
    JsonObject output = new JsonObject().put("job_id", 1).put("worker_id", "w1").put("stream", "stdout")
        .put("text", "x".repeat(256 * 1024 + 1));
    assertThatThrownBy(() -> MessageGuard.checkAgent(AgentAction.WORKER_OUTPUT, output)).hasMessageContaining("field 'text'");
  }
}
