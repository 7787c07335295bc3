package dev.orch.contract.buildagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentProtocolTest {
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private static void refused(Runnable read, String... words) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(OrchException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST)).hasMessageContainingAll(words);
  }

  @Test
  void theWireFieldNamesAreThoseOfThePreviousUntypedProtocol() {
    assertThat(new AgentRegister("w1", "h", 4, 3, List.of(7L)).toJson().fieldNames())
        .containsExactlyInAnyOrder("worker_id", "host", "slots", "free_slots", "running_jobs");
    assertThat(new AgentHeartbeat("w1", 2, List.of()).toJson().fieldNames())
        .containsExactlyInAnyOrder("worker_id", "free_slots", "running_jobs");
    assertThat(new WorkerOutput(1, "w1", "x", "stdout").toJson().fieldNames())
        .containsExactlyInAnyOrder("job_id", "worker_id", "text", "stream");
    assertThat(new WorkerDone(1, "w1", null, null).toJson().fieldNames())
        .containsExactlyInAnyOrder("job_id", "worker_id", "exit_code", "reason");
    assertThat(new AgentLeave("w1").toJson().fieldNames()).containsExactly("worker_id");
    assertThat(new JobRun(1, COMMIT, "refs/orch/jobs/x", "make", "git://h:1/project", 60).toJson().fieldNames())
        .containsExactlyInAnyOrder("job_id", "commit", "ref", "command", "git_url", "timeout_secs");
    assertThat(new JobCancel(1).toJson().fieldNames()).containsExactly("job_id");
    assertThat(new AgentPing().toJson().isEmpty()).isTrue();
    assertThat(new AgentWelcome(30, "git://h:1/project").toJson().fieldNames())
        .containsExactlyInAnyOrder("heartbeat_interval_secs", "git_url");
  }

  @Test
  void aMessageOfThePreviousVersionIsReadAsItsRecord() {
    JsonObject old = new JsonObject().put("worker_id", "w1").put("host", "h").put("slots", 4).put("free_slots", 2)
        .put("running_jobs", new JsonArray().add(3).add(5));
    assertThat(AgentRegister.fromJson(old)).isEqualTo(new AgentRegister("w1", "h", 4, 2, List.of(3L, 5L)));
    AgentRegister bare = AgentRegister.fromJson(new JsonObject().put("worker_id", "w1").put("slots", 2));
    assertThat(bare.freeSlotsOrAll()).isEqualTo(2);
    assertThat(bare.runningJobs()).isEmpty();
    JsonObject done = new JsonObject().put("job_id", 9).put("worker_id", "w1").putNull("exit_code").putNull("reason");
    assertThat(WorkerDone.fromJson(done)).isEqualTo(new WorkerDone(9, "w1", null, null));
    JobRun run = new JobRun(3, COMMIT, null, "make", "git://h:1/project", 60);
    assertThat(JobRun.fromJson(run.toJson())).isEqualTo(run);
  }

  @Test
  void anUnknownFieldIsRefusedByName() {
    refused(() -> AgentHeartbeat.fromJson(new JsonObject().put("worker_id", "w1").put("gpu", true)),
        "AgentHeartbeat", "field 'gpu'", "not part of this version");
    refused(() -> JobRun.fromJson(new JobRun(3, COMMIT, null, "make", "git://h:1/p", 1).toJson().put("env", "X=1")),
        "field 'env'");
    refused(() -> AgentPing.fromJson(new JsonObject().put("x", 1)), "field 'x'");
  }

  @Test
  void missingWrongTypedAndOutOfBoundsFieldsAreRefusedByName() {
    refused(() -> AgentRegister.fromJson(new JsonObject().put("slots", 1)), "field 'worker_id'");
    refused(() -> AgentRegister.fromJson(new JsonObject().put("worker_id", "w1")), "field 'slots'");
    refused(() -> AgentRegister.fromJson(new JsonObject().put("worker_id", "w1").put("slots", 1.5)), "field 'slots'",
        "whole number");
    refused(() -> AgentRegister.fromJson(new JsonObject().put("worker_id", "w 1").put("slots", 1)), "field 'worker_id'");
    refused(() -> AgentHeartbeat.fromJson(new JsonObject().put("worker_id", "w1").put("running_jobs", "1,2")),
        "field 'running_jobs'");
    refused(() -> WorkerOutput.fromJson(new JsonObject().put("job_id", 1).put("worker_id", "w1").put("text", "x")
        .put("stream", "stdin")), "field 'stream'");
    refused(() -> WorkerOutput.fromJson(new JsonObject().put("job_id", "1").put("worker_id", "w1")), "field 'job_id'");
    refused(() -> JobCancel.fromJson(new JsonObject()), "field 'job_id'");
    refused(() -> JobRun.fromJson(new JsonObject().put("job_id", 1).put("commit", COMMIT).put("command", "make")
        .put("git_url", "http://h/p")), "field 'git_url'");
    refused(() -> JobRun.fromJson(new JsonObject().put("job_id", 1).put("commit", "main").put("command", "make")
        .put("git_url", "git://h/p")), "field 'commit'");
    refused(() -> AgentLeave.fromJson(null), "AgentLeave", "missing");
  }

  @Test
  void repliesAreReadLeniently() {
    assertThat(AgentWelcome.fromJson(new JsonObject().put("git_url", "git://h/p").put("later", 1)))
        .isEqualTo(new AgentWelcome(30, "git://h/p"));
  }
}
