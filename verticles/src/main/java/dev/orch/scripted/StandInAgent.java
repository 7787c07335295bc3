package dev.orch.scripted;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A small agent that speaks the Claude Code CLI's headless protocol, for machines without the CLI: it takes the same
 * flags, reads the prompt from stdin, calls the model API at {@code ANTHROPIC_BASE_URL}, runs the Write, Edit, Read and
 * Bash tools in its working directory, and prints the same stream-json lines (init, assistant, tool results, result).
 * Sessions are kept under {@code CLAUDE_CONFIG_DIR} so {@code --resume} continues one. It is not a coding agent:
 * against a real model it would do what the model asks with these four tools, no more.
 */
public final class StandInAgent {
  private static final double INPUT_USD_PER_TOKEN = 3.0 / 1_000_000;
  private static final double OUTPUT_USD_PER_TOKEN = 15.0 / 1_000_000;

  private final PrintStream out;
  private final Path cwd;
  private String model = "stand-in";
  private int maxTurns = 20;
  private String sessionId = UUID.randomUUID().toString();
  private boolean resume;
  private String prompt;

  private StandInAgent(PrintStream out, Path cwd) {
    this.out = out;
    this.cwd = cwd;
  }

  public static void main(String[] args) throws IOException {
    StandInAgent agent = new StandInAgent(new PrintStream(System.out, true, StandardCharsets.UTF_8),
        Path.of("").toAbsolutePath());
    agent.parse(args, System.in);
    System.exit(agent.run());
  }

  private void parse(String[] args, InputStream stdin) throws IOException {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = args[++i];
        case "--max-turns" -> maxTurns = Integer.parseInt(args[++i]);
        case "--session-id" -> sessionId = args[++i];
        case "--resume" -> {
          sessionId = args[++i];
          resume = true;
        }
        case "--output-format", "--mcp-config", "--permission-mode", "--allowedTools", "--allowed-tools" -> i++;
        default -> {
          if (!args[i].startsWith("-")) {
            prompt = args[i];
          }
        }
      }
    }
    if (prompt == null) {
      prompt = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private int run() throws IOException {
    Path sessions = Path.of(System.getenv().getOrDefault("CLAUDE_CONFIG_DIR", System.getProperty("java.io.tmpdir")))
        .resolve("stand-in-sessions");
    Files.createDirectories(sessions);
    Path sessionFile = sessions.resolve(sessionId + ".json");
    JsonArray messages = resume && Files.isRegularFile(sessionFile)
        ? new JsonArray(Files.readString(sessionFile, StandardCharsets.UTF_8)) : new JsonArray();
    messages.add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", prompt))));
    print(new JsonObject().put("type", "system").put("subtype", "init").put("cwd", cwd.toString())
        .put("session_id", sessionId).put("model", model).put("tools", new JsonArray(List.of("Bash", "Edit", "Read", "Write")))
        .put("mcp_servers", new JsonArray()).put("permissionMode", "acceptEdits"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String base = System.getenv().getOrDefault("ANTHROPIC_BASE_URL", "http://127.0.0.1:1");
    long inputTokens = 0;
    long outputTokens = 0;
    int turns = 0;
    String lastText = "";
    try {
      while (true) {
        if (turns >= maxTurns) {
          return finish(sessionFile, messages, "error_max_turns", true, "", turns, inputTokens, outputTokens, null, 1);
        }
        turns++;
        JsonObject request = new JsonObject().put("model", model).put("max_tokens", 4096).put("stream", true)
            .put("system", "You are a stand-in agent.\n - Primary working directory: " + cwd + "\n")
            .put("messages", messages);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages?beta=true"))
            .header("content-type", "application/json").header("x-api-key", System.getenv().getOrDefault("ANTHROPIC_API_KEY", ""))
            .header("anthropic-version", "2023-06-01").timeout(Duration.ofMinutes(10))
            .POST(HttpRequest.BodyPublishers.ofString(request.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          print(new JsonObject().put("type", "assistant").put("session_id", sessionId).put("message", new JsonObject()
              .put("role", "assistant").put("content", new JsonArray().add(new JsonObject().put("type", "text")
                  .put("text", "API Error: " + response.statusCode() + " " + response.body())))));
          return finish(sessionFile, messages, "success", true, "API Error: " + response.statusCode(), turns, inputTokens,
              outputTokens, response.statusCode(), 1);
        }
        Reply reply = Reply.read(response.body());
        inputTokens += reply.inputTokens;
        outputTokens += reply.outputTokens;
        messages.add(new JsonObject().put("role", "assistant").put("content", reply.content));
        print(new JsonObject().put("type", "assistant").put("session_id", sessionId).put("message", new JsonObject()
            .put("id", reply.id).put("role", "assistant").put("model", model).put("content", reply.content)
            .put("usage", new JsonObject().put("input_tokens", reply.inputTokens).put("output_tokens", reply.outputTokens))));
        JsonArray results = new JsonArray();
        for (int i = 0; i < reply.content.size(); i++) {
          JsonObject block = reply.content.getJsonObject(i);
          if ("text".equals(block.getString("type"))) {
            lastText = block.getString("text");
          } else if ("tool_use".equals(block.getString("type"))) {
            results.add(runTool(block));
          }
        }
        if (results.isEmpty() || !"tool_use".equals(reply.stopReason)) {
          return finish(sessionFile, messages, "success", false, lastText, turns, inputTokens, outputTokens, null, 0);
        }
        messages.add(new JsonObject().put("role", "user").put("content", results));
        print(new JsonObject().put("type", "user").put("session_id", sessionId)
            .put("message", new JsonObject().put("role", "user").put("content", results)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (IOException e) {
      return finish(sessionFile, messages, "error_during_execution", true, "cannot reach the model API: " + e.getMessage(),
          turns, inputTokens, outputTokens, null, 1);
    }
  }

  private JsonObject runTool(JsonObject call) {
    JsonObject input = call.getJsonObject("input", new JsonObject());
    String output;
    boolean error = false;
    try {
      output = switch (call.getString("name", "")) {
        case "Write" -> {
          Path file = cwd.resolve(input.getString("file_path"));
          Files.createDirectories(file.toAbsolutePath().getParent());
          Files.writeString(file, input.getString("content", ""), StandardCharsets.UTF_8);
          yield "File created successfully at: " + file;
        }
        case "Read" -> Files.readString(cwd.resolve(input.getString("file_path")), StandardCharsets.UTF_8);
        case "Edit" -> {
          Path file = cwd.resolve(input.getString("file_path"));
          String text = Files.readString(file, StandardCharsets.UTF_8);
          String old = input.getString("old_string", "");
          if (!text.contains(old)) {
            throw new IOException("old_string not found in " + file);
          }
          Files.writeString(file, text.replace(old, input.getString("new_string", "")), StandardCharsets.UTF_8);
          yield "The file " + file + " has been updated.";
        }
        case "Bash" -> bash(input.getString("command", ""));
        default -> throw new IOException("the stand-in agent has no tool " + call.getString("name"));
      };
    } catch (IOException | RuntimeException e) {
      output = e.getMessage();
      error = true;
    }
    return new JsonObject().put("type", "tool_result").put("tool_use_id", call.getString("id")).put("content", output)
        .put("is_error", error);
  }

  private String bash(String command) throws IOException {
    Process process = new ProcessBuilder("sh", "-c", command).directory(cwd.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("command timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (process.exitValue() != 0) {
      throw new IOException(output + "\n(exit code " + process.exitValue() + ")");
    }
    return output;
  }

  private int finish(Path sessionFile, JsonArray messages, String subtype, boolean error, String result, int turns,
      long inputTokens, long outputTokens, Integer apiStatus, int exit) throws IOException {
    Files.writeString(sessionFile, messages.encode(), StandardCharsets.UTF_8);
    print(new JsonObject().put("type", "result").put("subtype", subtype).put("is_error", error).put("num_turns", turns)
        .put("result", result).put("session_id", sessionId)
        .put("total_cost_usd", inputTokens * INPUT_USD_PER_TOKEN + outputTokens * OUTPUT_USD_PER_TOKEN)
        .put("usage", new JsonObject().put("input_tokens", inputTokens).put("output_tokens", outputTokens)
            .put("cache_read_input_tokens", 0).put("cache_creation_input_tokens", 0))
        .put("api_error_status", apiStatus).put("terminal_reason", exit == 0 ? "completed" : subtype));
    return exit;
  }

  private void print(JsonObject line) {
    out.println(line.encode());
    out.flush();
  }

  /** One streamed model reply, put back together from its server-sent events. */
  private static final class Reply {
    String id = "msg";
    final JsonArray content = new JsonArray();
    String stopReason;
    long inputTokens;
    long outputTokens;

    static Reply read(String sse) {
      Reply reply = new Reply();
      List<StringBuilder> partialJson = new ArrayList<>();
      for (String line : sse.split("\n")) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        JsonObject event = new JsonObject(line.substring(6));
        switch (event.getString("type", "")) {
          case "message_start" -> {
            JsonObject message = event.getJsonObject("message");
            reply.id = message.getString("id", reply.id);
            reply.inputTokens = message.getJsonObject("usage", new JsonObject()).getLong("input_tokens", 0L);
          }
          case "content_block_start" -> {
            reply.content.add(event.getJsonObject("content_block").copy());
            partialJson.add(new StringBuilder());
          }
          case "content_block_delta" -> {
            int index = event.getInteger("index", reply.content.size() - 1);
            JsonObject delta = event.getJsonObject("delta");
            JsonObject block = reply.content.getJsonObject(index);
            if ("text_delta".equals(delta.getString("type"))) {
              block.put("text", block.getString("text", "") + delta.getString("text", ""));
            } else if ("input_json_delta".equals(delta.getString("type"))) {
              partialJson.get(index).append(delta.getString("partial_json", ""));
            }
          }
          case "message_delta" -> {
            reply.stopReason = event.getJsonObject("delta", new JsonObject()).getString("stop_reason");
            reply.outputTokens = event.getJsonObject("usage", new JsonObject()).getLong("output_tokens", 0L);
          }
          default -> { }
        }
      }
      for (int i = 0; i < reply.content.size(); i++) {
        JsonObject block = reply.content.getJsonObject(i);
        if ("tool_use".equals(block.getString("type")) && partialJson.get(i).length() > 0) {
          block.put("input", new JsonObject(partialJson.get(i).toString()));
        }
      }
      return reply;
    }
  }
}
