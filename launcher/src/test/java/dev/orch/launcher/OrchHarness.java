package dev.orch.launcher;

import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptedModelServer;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * End-to-end harness: a project in a temp git repository, the scripted model on 127.0.0.1, the real Claude Code CLI,
 * and the shaded orch.jar as real processes, driven through orch's own HTTP API.
 */
final class OrchHarness implements AutoCloseable {
  private final Path root;
  final PlanTree tree;
  final Path configFile;
  private final Vertx vertx = Vertx.vertx();
  final ScriptedModelServer model;
  private final Map<String, String> env = new HashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** @param settings extra config keys, dotted ({@code scheduler.max_retries}), with TOML values ({@code "\"1s\""}) */
  OrchHarness(Path root, ScriptBook book, Map<String, String> settings) throws Exception {
    this.root = root;
    this.tree = PlanTree.create(root.resolve("repo"));
    git("config", "user.name", "Test Person");
    git("config", "user.email", "person@example.invalid");
    this.model = ScriptedModelServer.start(vertx, book).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path home = Files.createDirectories(root.resolve("home"));
    env.putAll(model.cliEnvironment(Files.createDirectories(root.resolve("claude-config")).toString()));
    env.put("HOME", home.toString());
    this.configFile = root.resolve("orch.toml");
    Map<String, String> all = new java.util.TreeMap<>(Map.of(
        "general.project_root", quoted(tree.root()), "general.database_path", quoted(root.resolve("state/orch.db")),
        "general.worktree_dir", quoted(root.resolve("worktrees")), "general.log_dir", quoted(root.resolve("logs")),
        "claude.command", quoted(claude()), "claude.model", "\"claude-test\"", "web.port", "0", "shell.telnet_port",
        "0", "executor.env", "[\"DISABLE_AUTOUPDATER\"]"));
    all.putAll(settings);
    Map<String, StringBuilder> sections = new java.util.TreeMap<>();
    all.forEach((key, value) -> sections.computeIfAbsent(key.substring(0, key.lastIndexOf('.')), k -> new StringBuilder())
        .append(key.substring(key.lastIndexOf('.') + 1)).append(" = ").append(value).append('\n'));
    StringBuilder toml = new StringBuilder();
    sections.forEach((section, keys) -> toml.append('[').append(section).append("]\n").append(keys).append('\n'));
    Files.writeString(configFile, toml.toString());
  }

  private static String quoted(Object value) {
    return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The real CLI: ORCH_TEST_CLAUDE, else claude on PATH. .ci/run installs a pinned one. */
  static String claude() {
    String configured = System.getenv("ORCH_TEST_CLAUDE");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(folder, "claude");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("these tests drive the real Claude Code CLI: install it (.ci/run does) and set "
        + "ORCH_TEST_CLAUDE to its path, or put claude on PATH");
  }

  void commitPlan() throws Exception {
    git("add", "-A");
    git("commit", "-q", "-m", "plan");
  }

  String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(tree.root().toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
    }
    return out.strip();
  }

  /** An environment variable for the orch processes started from now on (PATH with a stand-in tool, say). */
  void putEnv(String key, String value) {
    env.put(key, value);
  }

  /** Starts {@code orch run} in the background; its output goes to {@code root/orch-run-N.log}. */
  Process startRun() throws IOException {
    return startOrch("run");
  }

  /** Starts {@code orch ARGS} in the background; its output goes to {@code root/orch-run-N.log}. */
  Process startOrch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", OrchProcess.jar().toString(), "--config",
        configFile.toString(), "-v"));
    command.addAll(List.of(args));
    return start(command, root.resolve("orch-run-" + processes.size() + ".log"));
  }

  /** Starts a build agent (build-agent.jar) in the background, logging to {@code root/agent-ID-N.log}. */
  Process startAgent(String id, String... args) throws IOException {
    String jar = System.getProperty("build-agent.jar", "../agent/target/build-agent.jar");
    Path config = root.resolve("agent-" + id + ".toml");
    if (!Files.exists(config)) {
      Files.writeString(config, "[storage]\ngit_cache_dir = " + quoted(root.resolve("agents/cache")) + "\nworktree_dir = "
          + quoted(root.resolve("agents/jobs")) + "\n");
    }
    List<String> command = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-jar", Path.of(jar).toAbsolutePath().toString(),
        "--config", config.toString(), "--id", id));
    command.addAll(List.of(args));
    return start(command, root.resolve("agent-" + id + "-" + processes.size() + ".log"));
  }

  private Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(tree.root().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ORCH_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Every log this harness's processes wrote, for a failure message. */
  String allLogs() throws IOException {
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(root)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        out.append("\n--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
      }
    }
    return out.toString();
  }

  Path stateDir() {
    return root.resolve("state");
  }

  OrchProcess.Result orch(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
    all.addAll(List.of(args));
    return new OrchProcess(Path.of(env.get("HOME")), env).run(tree.root(), all.toArray(String[]::new));
  }

  String runLog(int index) throws IOException {
    return Files.readString(root.resolve("orch-run-" + index + ".log"));
  }

  /** Calls the running orch's API: POST /api/cmd/owner/action. */
  Object api(String owner, String action, JsonObject body) throws Exception {
    JsonObject state = new JsonObject(Files.readString(root.resolve("state/orch.json")));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + state.getInteger("port") + "/api/cmd/" + owner + "/" + action))
        .header("Authorization", "Bearer " + state.getString("token")).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(response.statusCode() + " " + response.body());
    }
    return io.vertx.core.json.Json.decodeValue(response.body());
  }

  /**
   * Calls the dashboard's API as its own pages do: {@code GET} or {@code POST path} with this server's Origin (which
   * every state-changing request needs). The command API above is only for the CLI's commands.
   */
  Object web(String method, String path, JsonObject body) throws Exception {
    JsonObject state = new JsonObject(Files.readString(root.resolve("state/orch.json")));
    String origin = "http://127.0.0.1:" + state.getInteger("port");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).header("Origin", origin)
        .timeout(Duration.ofSeconds(30));
    request = "GET".equals(method) ? request.GET()
        : request.method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(response.statusCode() + " " + response.body());
    }
    return io.vertx.core.json.Json.decodeValue(response.body());
  }

  Map<String, JsonObject> tasks() throws Exception {
    JsonArray tasks = ((JsonObject) api("scheduler", "list", new JsonObject())).getJsonArray("tasks");
    Map<String, JsonObject> out = new HashMap<>();
    tasks.forEach(t -> out.put(((JsonObject) t).getString("id"), (JsonObject) t));
    return out;
  }

  List<JsonObject> runs(String taskId) throws Exception {
    JsonArray runs = ((JsonObject) api("executor", "runs", new JsonObject().put("task_id", taskId))).getJsonArray("runs");
    List<JsonObject> out = new ArrayList<>();
    runs.forEach(r -> out.add((JsonObject) r));
    return out;
  }

  List<String> history(String taskId) throws Exception {
    JsonArray list = (JsonArray) web("GET", "/api/tasks/" + taskId + "/history", null);
    List<String> out = new ArrayList<>();
    list.forEach(t -> out.add(((JsonObject) t).getString("to") + ": " + ((JsonObject) t).getString("reason")));
    return out;
  }

  /** Waits until the API answers and {@code until} holds for the task table. */
  Map<String, JsonObject> awaitTasks(Predicate<Map<String, JsonObject>> until, Duration timeout) throws Exception {
    AtomicReference<Map<String, JsonObject>> last = new AtomicReference<>(Map.of());
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> {
            last.set(tasks());
            return last.get();
          }, until::test);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out; tasks: " + last.get() + "; " + e.getMessage()
          + "\n--- orch output:\n" + (Files.exists(root.resolve("orch-run-0.log")) ? runLog(processes.size() - 1) : ""));
    }
  }

  static boolean all(Map<String, JsonObject> tasks, String status) {
    return !tasks.isEmpty() && tasks.values().stream().allMatch(t -> status.equals(t.getString("status")));
  }

  void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws IOException {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    // Agents outlive a killed orch by design; whatever still runs with this test's files goes now.
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(line -> line.contains(root.toString())).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
