package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.AgentEvent.Kind;
import dev.orch.contract.AgentEvent;
import dev.orch.contract.ApiLimit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines as Claude Code 2.1.331 prints them with --output-format stream-json --verbose. */
class StreamJsonReaderTest {

  /** The CLI's own lines (2.1.331, measured: docs/notes/claude-cli-limits.md), cut to the fields that decide. */
  @Test
  void aResultThatFailedForARateLimitOrOverloadIsALimitNotAFailure() {
    AgentEvent rate = StreamJsonReader.read("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
        + "\"terminal_reason\":\"api_error\",\"api_error_status\":429,\"api_error_type\":\"rate_limit_error\","
        + "\"result\":\"API Error: Request rejected (429)\",\"num_turns\":1,\"session_id\":\"s\"}").get(0);
    assertThat(rate.limit()).isEqualTo(new ApiLimit(ApiLimit.Kind.RATE, 0));
    AgentEvent overloaded = StreamJsonReader.read("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
        + "\"terminal_reason\":\"api_error\",\"api_error_status\":529,\"api_error_type\":\"overloaded_error\"}").get(0);
    assertThat(overloaded.limit()).isEqualTo(new ApiLimit(ApiLimit.Kind.OVERLOADED, 0));
    AgentEvent serverError = StreamJsonReader.read("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
        + "\"terminal_reason\":\"api_error\",\"api_error_status\":500,\"api_error_type\":\"api_error\"}").get(0);
    assertThat(serverError.limit()).as("a 500 is a failure").isNull();
    AgentEvent badRequest = StreamJsonReader.read("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
        + "\"terminal_reason\":\"completed\",\"result\":\"rate limit mentioned in prose\"}").get(0);
    assertThat(badRequest.limit()).as("words are never read").isNull();
  }

  @Test
  void aRetryOfA429Or529IsALimitMetOnTheWayAndOtherRetriesAreNot() {
    // The CLI's own lines (CLI 2.1.331, docs/notes/claude-cli-limits.md).
    assertThat(StreamJsonReader.read("{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":1,\"max_retries\":10,"
        + "\"retry_delay_ms\":532,\"error_status\":429,\"error\":\"rate_limit\",\"session_id\":\"47974dff\"}"))
        .singleElement().satisfies(e -> assertThat(e.limit()).isEqualTo(new ApiLimit(ApiLimit.Kind.RATE, 0)));
    assertThat(StreamJsonReader.read("{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":1,\"max_retries\":10,"
        + "\"retry_delay_ms\":587,\"error_status\":529,\"error\":\"overloaded\"}"))
        .singleElement().satisfies(e -> assertThat(e.limit().kind()).isEqualTo(ApiLimit.Kind.OVERLOADED));
    assertThat(StreamJsonReader.read("{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":1,\"max_retries\":10,"
        + "\"error_status\":500,\"error\":\"server_error\"}"))
        .singleElement().satisfies(e -> assertThat(e.limit()).isNull());
  }

  @Test
  void aUsageLimitCarriesItsResetTimeFromTheRateLimitEvent() {
    List<AgentEvent> events = new java.util.ArrayList<>(StreamJsonReader.read("{\"type\":\"rate_limit_event\","
        + "\"rate_limit_info\":{\"status\":\"rejected\",\"resetsAt\":1795965899,\"rateLimitType\":\"five_hour\"},"
        + "\"session_id\":\"s\"}"));
    events.addAll(StreamJsonReader.read("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
        + "\"terminal_reason\":\"api_error\",\"api_error_status\":429,\"api_error_type\":\"rate_limit_error\","
        + "\"api_error\":\"usage_limit_reached\",\"result\":\"You've hit your 5-hour limit\"}"));
    assertThat(events.get(0).limit()).isEqualTo(new ApiLimit(ApiLimit.Kind.USAGE, 1_795_965_899_000L));
    assertThat(events.get(1).limit()).isEqualTo(new ApiLimit(ApiLimit.Kind.USAGE, 0));
    AgentEvent warning = StreamJsonReader.read("{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":"
        + "\"allowed_warning\",\"resetsAt\":1795965899}}").get(0);
    assertThat(warning.limit()).as("a warning is not a limit yet").isNull();
  }

  @Test
  void init() {
    AgentEvent e = StreamJsonReader.read("{\"type\":\"system\",\"subtype\":\"init\",\"cwd\":\"/w\",\"session_id\":\"s-1\","
        + "\"tools\":[\"Bash\"],\"mcp_servers\":[{\"name\":\"orch\",\"status\":\"connected\"}],\"model\":\"m\"}").get(0);
    assertThat(e.kind()).isEqualTo(Kind.INIT);
    assertThat(e.sessionId()).isEqualTo("s-1");
    assertThat(e.model()).isEqualTo("m");
    assertThat(e.text()).isEqualTo("orch=connected");
  }

  @Test
  void assistantTextAndToolCallsInOrder() {
    List<AgentEvent> events = StreamJsonReader.read("{\"type\":\"assistant\",\"message\":{\"id\":\"msg_1\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Writing it.\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Write\","
        + "\"input\":{\"file_path\":\"/w/a.txt\",\"content\":\"hi\"}}],\"usage\":{\"input_tokens\":10}},\"session_id\":\"s\"}");
    assertThat(events).extracting(AgentEvent::kind).containsExactly(Kind.TEXT, Kind.TOOL_CALL);
    assertThat(events.get(1).tool()).isEqualTo("Write");
    assertThat(events.get(1).toolId()).isEqualTo("toolu_1");
    assertThat(events.get(1).text()).contains("/w/a.txt");
  }

  @Test
  void toolResultsWithStringOrBlockContent() {
    List<AgentEvent> events = StreamJsonReader.read("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":["
        + "{\"tool_use_id\":\"toolu_1\",\"type\":\"tool_result\",\"content\":\"ok\",\"is_error\":false},"
        + "{\"tool_use_id\":\"toolu_2\",\"type\":\"tool_result\",\"content\":[{\"type\":\"text\",\"text\":\"bad\"}],\"is_error\":true}]}}");
    assertThat(events).extracting(AgentEvent::text).containsExactly("ok", "bad");
    assertThat(events).extracting(AgentEvent::error).containsExactly(false, true);
  }

  @Test
  void resultWithTokensCostAndApiError() {
    AgentEvent ok = StreamJsonReader.read("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":3,"
        + "\"result\":\"Done.\",\"session_id\":\"s\",\"total_cost_usd\":0.0123,\"usage\":{\"input_tokens\":100,"
        + "\"output_tokens\":20,\"cache_read_input_tokens\":5,\"cache_creation_input_tokens\":7},\"api_error_status\":null}").get(0);
    assertThat(ok.kind()).isEqualTo(Kind.RESULT);
    assertThat(ok.numTurns()).isEqualTo(3);
    assertThat(ok.inputTokens()).isEqualTo(100);
    assertThat(ok.outputTokens()).isEqualTo(20);
    assertThat(ok.cacheReadTokens()).isEqualTo(5);
    assertThat(ok.costUsd()).isEqualTo(0.0123);
    AgentEvent failed = StreamJsonReader.read("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
        + "\"result\":\"Invalid request\",\"api_error_status\":400,\"usage\":{}}").get(0);
    assertThat(failed.error()).isTrue();
    assertThat(failed.text()).isEqualTo("API error 400: Invalid request");
  }

  @Test
  void unknownAndBrokenLinesAreKeptAsSystemEvents() {
    assertThat(StreamJsonReader.read("not json at all")).singleElement()
        .satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.SYSTEM));
    assertThat(StreamJsonReader.read("{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":1}")).singleElement()
        .satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.RETRY));
    assertThat(StreamJsonReader.read("   ")).isEmpty();
  }

  @Test
  void longTextIsClipped() {
    String big = "x".repeat(10_000);
    AgentEvent e = StreamJsonReader.read("{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\""
        + big + "\"}]}}").get(0);
    assertThat(e.text()).hasSizeLessThan(4_100).endsWith("(6000 more characters)");
  }
}
