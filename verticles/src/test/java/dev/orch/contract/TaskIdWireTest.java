package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records carry {@link TaskId} where they carried a String: the JSON on the bus, in the HTTP API and in stored
 * rows must stay what the web UI, the shell, the CLI and the MCP server read, byte for byte.
 */
class TaskIdWireTest {
  /** Each message as the wire carried it before task ids were typed (field order as Jackson writes the record). */
  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of(LaunchRequest.class,
            "{\"task_id\":\"billing/E03\",\"attempt\":2,\"title\":\"Pay\",\"file\":\"docs/plans/billing/epic-03-pay.md\",\"completed_deps\":[\"billing/E01\"],\"needs_review\":true}"),
        Arguments.of(RunView.class,
            "{\"run_id\":7,\"task_id\":\"billing/E03\",\"attempt\":2,\"status\":\"starting\",\"session_id\":\"sess\",\"resumed_from\":0,\"branch\":\"orch/billing-E03\",\"worktree\":\"/w/billing-E03\",\"log_file\":\"/l/7.jsonl\",\"pid\":0,\"started_at\":1000,\"ended_at\":0,\"exit_code\":null,\"reason\":null,\"input_tokens\":0,\"output_tokens\":0,\"cache_read_tokens\":0,\"cache_creation_tokens\":0,\"cost_usd\":0.0,\"num_turns\":0,\"last_output_at\":0,\"stop_cause\":null,\"title\":\"Pay\",\"file\":\"docs/plans/billing/epic-03-pay.md\",\"needs_review\":false,\"api_limit\":null}"),
        Arguments.of(StopRequest.class,
            "{\"task_id\":\"billing/E03\",\"outcome\":\"stuck\",\"cause\":\"stuck\",\"reason\":\"no output\"}"),
        Arguments.of(ResumeRequest.class,
            "{\"task_id\":\"billing/E03\",\"prompt\":null,\"template\":\"review/checks-failed.md\",\"values\":{\"Output\":\"FAIL\"}}"),
        Arguments.of(TaskTransition.class,
            "{\"task_id\":\"billing/E03\",\"from\":\"queued\",\"to\":\"running\",\"reason\":\"agent running\",\"at\":1000}"),
        Arguments.of(PullRequestView.class,
            "{\"number\":4,\"task_id\":\"billing/E03\",\"run_id\":7,\"branch\":\"orch/billing-E03\",\"title\":\"Pay (billing/E03)\",\"body\":\"body\",\"state\":\"open\",\"reason\":null,\"head_commit\":\"abc\",\"merge_commit\":null,\"files_changed\":1,\"additions\":2,\"deletions\":3,\"diff_stat\":\"stat\",\"cost_usd\":0.5,\"tokens\":10,\"created_at\":1000,\"merged_at\":0,\"stage\":\"checking\",\"fix_rounds\":0,\"labels\":[],\"routing\":null,\"checks\":null,\"url\":null,\"remote_number\":0,\"checks_state\":\"not_run\",\"follow_up\":null,\"task_title\":\"Pay\",\"task_file\":\"docs/plans/billing/epic-03-pay.md\",\"worktree\":\"/w/billing-E03\",\"needs_review\":true,\"changed_paths\":[],\"waiting_for\":null}"),
        Arguments.of(WriteStatusRequest.class,
            "{\"root\":\"/root\",\"task_id\":\"billing/E03\",\"file\":\"docs/plans/billing/epic-03-pay.md\",\"status\":\"complete\"}"),
        Arguments.of(StatusConflict.class,
            "{\"task_id\":\"billing/E03\",\"plan_status\":\"complete\",\"stored_status\":\"running\",\"kept\":\"running\",\"reason\":\"a run is live\"}"),
        Arguments.of(AgentOutput.class,
            "{\"run_id\":7,\"task_id\":\"billing/E03\",\"events\":[],\"at\":1000}"),
        Arguments.of(PullRequestFailure.class,
            "{\"task_id\":\"billing/E03\",\"run_id\":7,\"reason\":\"nothing committed\"}"),
        Arguments.of(RunAlert.class,
            "{\"run_id\":7,\"task_id\":\"billing/E03\",\"reason\":\"over budget\",\"spent_usd\":5.5,\"limit_usd\":5.0}"),
        Arguments.of(PlanIssue.class,
            "{\"file\":\"docs/plans/billing/epic-03-pay.md\",\"line\":3,\"task_id\":\"billing/E03\",\"message\":\"bad\"}"),
        Arguments.of(JobRequest.class,
            "{\"commit\":\"0123456789abcdef0123456789abcdef01234567\",\"ref\":\"refs/orch/snap/1\",\"command\":\"make\",\"timeout_secs\":0,\"label\":\"build\",\"task_id\":\"billing/E03\"}"),
        Arguments.of(TaskRef.class,
            "{\"id\":\"billing/E03\",\"reason\":\"asked\"}"),
        Arguments.of(JobView.class,
            "{\"job_id\":3,\"label\":\"build\",\"command\":\"make\",\"commit\":\"0123456789abcdef0123456789abcdef01234567\",\"ref\":\"refs/orch/snap/1\",\"task_id\":\"billing/E03\",\"state\":\"queued\",\"worker\":null,\"attempts\":0,\"exit_code\":null,\"reason\":null,\"timeout_secs\":60,\"output_bytes\":0,\"created_at\":1000,\"started_at\":0,\"ended_at\":0,\"output_truncated\":false}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void theWireJsonIsWhatItWas(Class<? extends BusMessage> type, String wire) {
    BusMessage read = WireJson.fromJson(new JsonObject(wire), type);
    assertThat(read.toJson().encode()).isEqualTo(wire);
    JsonObject json = read.toJson();
    Object id = json.containsKey("task_id") ? json.getValue("task_id") : json.getValue("id");
    assertThat(id).as("a task id travels as its text").isEqualTo("billing/E03");
  }

  @Test
  void aLaunchFromASchedulerOlderThanNeedsReviewIsStillRead() {
    LaunchRequest older = LaunchRequest.fromJson(new JsonObject("{\"task_id\":\"billing/E03\",\"attempt\":1,"
        + "\"title\":\"Pay\",\"file\":\"f.md\",\"completed_deps\":[]}"));
    assertThat(older.needsReview()).isNull();
  }

  @Test
  void aDayWideAlertHasNoTask() {
    String wire = "{\"run_id\":0,\"task_id\":null,\"reason\":\"daily cost limit reached\",\"spent_usd\":10.0,"
        + "\"limit_usd\":10.0}";
    RunAlert alert = RunAlert.fromJson(new JsonObject(wire));
    assertThat(alert.taskId()).isNull();
    assertThat(alert.toJson().encode()).isEqualTo(wire);
  }

  @Test
  void aMalformedTaskIdInACommandIsRefusedNamingTheField() {
    assertThatThrownBy(() -> StopRequest.fromJson(new JsonObject().put("task_id", "E03").put("cause", "person")))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessage("StopRequest: field 'task_id' must be a task id (module/E05)");
    assertThatThrownBy(() -> TaskRef.fromJson(new JsonObject().put("id", "billing/")))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessage("TaskRef: field 'id' must be a task id (module/E05)");
    assertThatThrownBy(() -> LaunchRequest.fromJson(new JsonObject().put("task_id", 3).put("attempt", 1)
        .put("title", "T").put("file", "f.md")))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessageContaining("field 'task_id'");
    assertThatThrownBy(() -> TaskRef.fromJson(new JsonObject()))
        .isInstanceOf(OrchException.class).hasMessageContaining("field 'id' is required");
  }

  @Test
  void aMalformedTaskIdInAnEventNamesTheFieldToo() {
    assertThatThrownBy(() -> PullRequestFailure.fromJson(new JsonObject().put("task_id", "not an id").put("run_id", 1)
        .put("reason", "r")))
        .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessage("PullRequestFailure: field 'task_id': 'not an id' is not a task id (expected module/E05)");
  }

  @Test
  void theSlugIsTheNameOfTheTasksBranchAndFolder() {
    assertThat(TaskId.parseFull("cli-impl/CLI02").slug()).isEqualTo("cli-impl-CLI02");
    assertThat(TaskId.of("billing", 3).slug()).isEqualTo("billing-E03");
  }
}
