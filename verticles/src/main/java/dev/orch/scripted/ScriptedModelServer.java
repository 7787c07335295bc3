package dev.orch.scripted;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the model API that the real Claude Code CLI calls ({@code POST /v1/messages}, streamed as
 * server-sent events), answering from a {@link ScriptBook}. It serves on 127.0.0.1 only. Which step comes next is read
 * from the conversation itself: a tool result names the tool call it answers, and the call's id carries its script and
 * step, so a resumed session (whose history is replayed) continues correctly.
 */
public final class ScriptedModelServer {
  private static final Pattern CWD = Pattern.compile("Primary working directory: (\\S+)");
  private static final Pattern TOOL_ID = Pattern.compile("toolu_orch_(\\d+)_(\\d+)_(\\d+)_\\d+");

  private final ScriptBook book;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final Map<Integer, Integer> matches = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private HttpServer server;
  /** While the clock is before this, every request is refused as {@link #refusal} says, and the script stands still. */
  private volatile long refuseUntil;
  /** The reset time a usage limit names (epoch milliseconds): the window's end unless a test says otherwise. */
  private volatile long claimedReset;
  /** A window armed by {@link #refuseFor}: it opens with the next request, whenever that comes. */
  private Window armed;

  private record Window(Refusal how, long lengthMillis, long claimedResetAfterMillis) {
  }
  private volatile Refusal refusal = Refusal.RATE;
  private final AtomicInteger refused = new AtomicInteger();

  /**
   * How the model API says "not now": the HTTP status and the error type its body names. {@link #USAGE} is a
   * subscription's usage limit: the CLI reports it as one, with the reset time from the headers, only when it runs on
   * subscription credentials ({@link #subscriptionCredentials}).
   */
  public enum Refusal {
    RATE(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
    OVERLOADED(529, "overloaded_error", "Overloaded"),
    USAGE(429, "rate_limit_error", "This request would exceed your account's rate limit. Please try again later.");

    private final int status;
    private final String type;
    private final String message;

    Refusal(int status, String type, String message) {
      this.status = status;
      this.type = type;
      this.message = message;
    }
  }

  private ScriptedModelServer(ScriptBook book) {
    this.book = book;
  }

  public static Future<ScriptedModelServer> start(Vertx vertx, ScriptBook book) {
    ScriptedModelServer model = new ScriptedModelServer(book);
    return vertx.createHttpServer().requestHandler(model::handle).listen(0, "127.0.0.1").map(server -> {
      model.server = server;
      return model;
    });
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * Refuses every request for {@code length} from the next request on, however long agents take to start on a loaded
   * machine. A usage limit names {@code claimedReset} after that first request as its reset time: longer than the
   * window is a limit that lifts before the time the API named (a person raised the plan's limit, say).
   */
  public synchronized void refuseFor(Duration length, Refusal how, Duration claimedReset) {
    armed = new Window(how, length.toMillis(), claimedReset.toMillis());
  }

  /** When the refusal window ends (epoch milliseconds), or 0 while it has not opened. */
  public synchronized long windowEndsAt() {
    return armed == null ? refuseUntil : 0;
  }

  /** The reset time a usage limit names (epoch milliseconds), or 0 while no window has opened. */
  public synchronized long claimedResetAt() {
    return armed == null ? claimedReset : 0;
  }

  private synchronized void openArmedWindow() {
    if (armed != null) {
      long now = System.currentTimeMillis();
      refusal = armed.how();
      claimedReset = now + armed.claimedResetAfterMillis();
      refuseUntil = now + armed.lengthMillis();
      armed = null;
    }
  }

  /** How many requests were refused so far. */
  public int refusedRequests() {
    return refused.get();
  }

  /**
   * What makes the CLI act as a subscriber's: no API key and an OAuth token of the subscription's shape (it is never
   * checked, the CLI sends nothing but the model request to this server).
   */
  public static Map<String, String> subscriptionCredentials() {
    return Map.of("ANTHROPIC_API_KEY", "", "CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-scripted");
  }

  /** Every request body received, in order. */
  public List<JsonObject> requests() {
    return List.copyOf(requests);
  }

  /** The environment that points the Claude Code CLI at this server and keeps it off the network. */
  public Map<String, String> cliEnvironment(String configDir) {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_BASE_URL", baseUrl());
    env.put("ANTHROPIC_API_KEY", "scripted-model");
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("CLAUDE_CODE_MAX_RETRIES", "0");
    env.put("CLAUDE_CONFIG_DIR", configDir);
    env.put("DISABLE_AUTOUPDATER", "1");
    return env;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    if (!"POST".equals(request.method().name()) || !request.path().endsWith("/v1/messages")) {
      request.response().setStatusCode(request.method().name().equals("HEAD") ? 200 : 404).end();
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (RuntimeException e) {
        request.response().setStatusCode(400).end();
        return;
      }
      openArmedWindow();
      if (System.currentTimeMillis() < refuseUntil) {
        refused.incrementAndGet();
        Refusal how = refusal;
        if (how == Refusal.USAGE) {
          // The headers the real API sends with a usage limit; the reset is in epoch seconds, rounded up.
          request.response().putHeader("anthropic-ratelimit-unified-status", "rejected")
              .putHeader("anthropic-ratelimit-unified-representative-claim", "five_hour")
              .putHeader("anthropic-ratelimit-unified-reset", Long.toString((claimedReset + 999) / 1000));
        }
        request.response().setStatusCode(how.status).putHeader("content-type", "application/json")
            .end(new JsonObject().put("type", "error").put("error", new JsonObject().put("type", how.type)
                .put("message", how.message)).encode());
        return;
      }
      requests.add(json);
      answer(json, request.response());
    });
  }

  private void answer(JsonObject request, HttpServerResponse response) {
    Position position = position(request);
    ScriptStep step = position.step();
    String model = request.getString("model", "scripted");
    if (step instanceof ScriptStep.ApiError error) {
      response.setStatusCode(error.status()).putHeader("content-type", "application/json").end(new JsonObject()
          .put("type", "error").put("error", new JsonObject().put("type", "invalid_request_error")
              .put("message", error.message())).encode());
      return;
    }
    response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    String messageId = "msg_orch_" + ids.incrementAndGet();
    send(response, "message_start", new JsonObject().put("type", "message_start").put("message", new JsonObject()
        .put("id", messageId).put("type", "message").put("role", "assistant").put("model", model)
        .put("content", new JsonArray()).putNull("stop_reason")
        .put("usage", new JsonObject().put("input_tokens", inputTokens(request)).put("output_tokens", 1))));
    if (step instanceof ScriptStep.Hang) {
      return;
    }
    String stopReason;
    if (step instanceof ScriptStep.Text text) {
      block(response, new JsonObject().put("type", "text").put("text", ""),
          new JsonObject().put("type", "text_delta").put("text", text.text()));
      stopReason = "end_turn";
    } else {
      String name = step instanceof ScriptStep.Tool t ? t.name() : ((ScriptStep.ToolForever) step).name();
      JsonObject input = step instanceof ScriptStep.Tool t ? t.input() : ((ScriptStep.ToolForever) step).input();
      String toolId = "toolu_orch_" + position.rule() + "_" + position.script() + "_" + position.index() + "_"
          + ids.incrementAndGet();
      block(response, new JsonObject().put("type", "tool_use").put("id", toolId).put("name", name).put("input", new JsonObject()),
          new JsonObject().put("type", "input_json_delta").put("partial_json", render(input, position.cwd()).encode()));
      stopReason = "tool_use";
    }
    send(response, "message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason).putNull("stop_sequence"))
        .put("usage", new JsonObject().put("output_tokens", 12)));
    send(response, "message_stop", new JsonObject().put("type", "message_stop"));
    response.end();
  }

  private static void block(HttpServerResponse response, JsonObject start, JsonObject delta) {
    send(response, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
        .put("content_block", start));
    send(response, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
        .put("delta", delta));
    send(response, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0));
  }

  private static void send(HttpServerResponse response, String event, JsonObject data) {
    response.write(Buffer.buffer("event: " + event + "\ndata: " + data.encode() + "\n\n"));
  }

  /** Where in which script this request is. */
  private record Position(int rule, int script, int index, ScriptStep step, String cwd) {
  }

  private synchronized Position position(JsonObject request) {
    String cwd = workingDirectory(request);
    JsonObject last = lastUserMessage(request.getJsonArray("messages", new JsonArray()));
    List<ScriptBook.Rule> rules = book.rules();
    String answered = last == null ? null : answeredToolId(last);
    if (answered != null) {
      Matcher m = TOOL_ID.matcher(answered);
      if (m.matches()) {
        int rule = Integer.parseInt(m.group(1));
        int script = Integer.parseInt(m.group(2));
        int index = Integer.parseInt(m.group(3));
        List<ScriptStep> steps = rules.get(rule).scripts().get(script);
        int next = steps.get(index) instanceof ScriptStep.ToolForever ? index : index + 1;
        ScriptStep step = next < steps.size() ? steps.get(next) : ScriptStep.text("Done.");
        return new Position(rule, script, next, step, cwd);
      }
    }
    String prompt = last == null ? "" : promptText(last);
    for (int r = 0; r < rules.size(); r++) {
      ScriptBook.Rule rule = rules.get(r);
      if (prompt.contains(rule.trigger())) {
        int seen = matches.merge(r, 1, Integer::sum) - 1;
        int script = Math.min(seen, rule.scripts().size() - 1);
        List<ScriptStep> steps = rule.scripts().get(script);
        return new Position(r, script, 0, steps.isEmpty() ? ScriptStep.text("Done.") : steps.get(0), cwd);
      }
    }
    return new Position(-1, 0, 0, ScriptStep.text("There is no script for this prompt, so I did nothing."), cwd);
  }

  private static JsonObject lastUserMessage(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject message = messages.getJsonObject(i);
      if ("user".equals(message.getString("role"))) {
        return message;
      }
    }
    return null;
  }

  private static String answeredToolId(JsonObject message) {
    if (message.getValue("content") instanceof JsonArray blocks) {
      for (int i = blocks.size() - 1; i >= 0; i--) {
        JsonObject block = blocks.getJsonObject(i);
        if ("tool_result".equals(block.getString("type"))) {
          return block.getString("tool_use_id");
        }
      }
    }
    return null;
  }

  private static String promptText(JsonObject message) {
    Object content = message.getValue("content");
    if (content instanceof String text) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    if (content instanceof JsonArray blocks) {
      for (int i = 0; i < blocks.size(); i++) {
        JsonObject block = blocks.getJsonObject(i);
        String text = block.getString("text");
        if ("text".equals(block.getString("type")) && text != null && !text.startsWith("<system-reminder>")) {
          out.append(text).append('\n');
        }
      }
    }
    return out.toString();
  }

  private static String workingDirectory(JsonObject request) {
    Matcher m = CWD.matcher(request.encode().replace("\\n", "\n"));
    return m.find() ? m.group(1) : ".";
  }

  private static int inputTokens(JsonObject request) {
    return Math.max(1, request.encode().length() / 4);
  }

  private static JsonObject render(JsonObject input, String cwd) {
    return new JsonObject(input.encode().replace("${cwd}", cwd.replace("\\", "\\\\")));
  }

  /** A script step list from varargs, for readable tests. */
  public static List<ScriptStep> steps(ScriptStep... steps) {
    return new ArrayList<>(List.of(steps));
  }
}
