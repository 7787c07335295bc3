package dev.orch.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the part of GitHub's REST API orch uses, following GitHub's documented request and response shapes:
 * pull requests (create, get, list by head, merge), labels, combined status and check runs for a commit, deleting a
 * branch. Its git side is a bare repository on disk that orch pushes to; merges happen there with the git CLI. Tests
 * choose the checks' results and can make it answer with a rate limit (403 with X-RateLimit-*, 429 with Retry-After),
 * a 5xx, or a 409 on merge. GETs carry ETags and answer 304 to a matching If-None-Match. Serves on 127.0.0.1 only.
 */
public final class FakeGitHub {
  private static final Pattern PULLS = Pattern.compile("/repos/([^/]+)/([^/]+)/pulls");
  private static final Pattern PULL = Pattern.compile("/repos/[^/]+/[^/]+/pulls/(\\d+)");
  private static final Pattern MERGE = Pattern.compile("/repos/[^/]+/[^/]+/pulls/(\\d+)/merge");
  private static final Pattern LABELS = Pattern.compile("/repos/[^/]+/[^/]+/issues/(\\d+)/labels");
  private static final Pattern STATUS = Pattern.compile("/repos/[^/]+/[^/]+/commits/([0-9a-f]+)/status");
  private static final Pattern CHECK_RUNS = Pattern.compile("/repos/[^/]+/[^/]+/commits/([0-9a-f]+)/check-runs");
  private static final Pattern REF = Pattern.compile("/repos/[^/]+/[^/]+/git/refs/heads/(.+)");

  /** One request as received, and the status it got. */
  public record Request(String method, String path, int status) {
  }

  private final Path bare;
  private final String token;
  private final Map<Integer, JsonObject> pulls = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger numbers = new AtomicInteger(100);
  private volatile BiFunction<String, String, String> checks = (branch, sha) -> null;
  private final List<String> failNext = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private FakeGitHub(Path bare, String token) {
    this.bare = bare;
    this.token = token;
  }

  /** Serves the API for the bare repository {@code bare}; requests must carry {@code token}. */
  public static Future<FakeGitHub> start(Vertx vertx, Path bare, String token) {
    FakeGitHub fake = new FakeGitHub(bare, token);
    return vertx.createHttpServer().requestHandler(fake::handle).listen(0, "127.0.0.1").map(s -> {
      fake.server = s;
      return fake;
    });
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public Map<Integer, JsonObject> pulls() {
    return Map.copyOf(pulls);
  }

  /**
   * The check run result for a pushed branch at a commit: null for no checks at all, "pending", or a conclusion such
   * as "success" or "failure".
   */
  public void checks(BiFunction<String, String, String> results) {
    this.checks = results;
  }

  /**
   * The next request whose "METHOD path" starts with {@code prefix} gets one of: "rate-limit" (403 with
   * X-RateLimit-Remaining 0 and a reset 2 s ahead), "retry-after" (429 with Retry-After 1), "502", or "409".
   */
  public void failNext(String kind, String prefix) {
    failNext.add(kind + " " + prefix);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      String path = request.path();
      String method = request.method().name();
      String query = request.query() == null ? "" : request.query();
      Answer answer;
      try {
        answer = route(request, method, path, query, buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject());
      } catch (RuntimeException | IOException | InterruptedException e) {
        answer = new Answer(500, new JsonObject().put("message", String.valueOf(e.getMessage())), Map.of());
      }
      String body = answer.body() == null ? "" : answer.body() instanceof JsonObject o ? o.encode() : ((JsonArray) answer.body()).encode();
      var response = request.response().setStatusCode(answer.status()).putHeader("content-type", "application/json");
      answer.headers().forEach(response::putHeader);
      if ("GET".equals(method) && answer.status() == 200) {
        String etag = "\"" + Integer.toHexString(body.hashCode()) + "\"";
        response.putHeader("ETag", etag);
        if (etag.equals(request.getHeader("If-None-Match"))) {
          requests.add(new Request(method, path, 304));
          response.setStatusCode(304).end();
          return;
        }
      }
      requests.add(new Request(method, path, answer.status()));
      response.end(body);
    });
  }

  private record Answer(int status, Object body, Map<String, String> headers) {
    static Answer of(int status, Object body) {
      return new Answer(status, body, Map.of());
    }
  }

  private Answer route(HttpServerRequest request, String method, String path, String query, JsonObject body)
      throws IOException, InterruptedException {
    if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
      return Answer.of(401, new JsonObject().put("message", "Bad credentials"));
    }
    for (String failure : failNext) {
      String[] parts = failure.split(" ", 2);
      if ((method + " " + path).startsWith(parts[1])) {
        failNext.remove(failure);
        return switch (parts[0]) {
          case "rate-limit" -> new Answer(403, new JsonObject().put("message", "API rate limit exceeded"), Map.of(
              "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 + 2)));
          case "retry-after" -> new Answer(429, new JsonObject().put("message", "You have exceeded a secondary rate limit"),
              Map.of("Retry-After", "1"));
          case "409" -> Answer.of(409, new JsonObject().put("message", "Head branch was modified. Review and try the merge again."));
          default -> Answer.of(Integer.parseInt(parts[0]), new JsonObject().put("message", "Server Error"));
        };
      }
    }
    Matcher m;
    if ("PUT".equals(method) && (m = MERGE.matcher(path)).matches()) {
      return merge(Integer.parseInt(m.group(1)), body);
    }
    if ("POST".equals(method) && (m = LABELS.matcher(path)).matches()) {
      JsonObject pr = pulls.get(Integer.parseInt(m.group(1)));
      if (pr == null) {
        return Answer.of(404, new JsonObject().put("message", "Not Found"));
      }
      JsonArray labels = pr.getJsonArray("labels");
      body.getJsonArray("labels", new JsonArray()).forEach(l -> labels.add(new JsonObject().put("name", l)));
      return Answer.of(200, labels);
    }
    if ((m = PULL.matcher(path)).matches() && "GET".equals(method)) {
      JsonObject pr = pulls.get(Integer.parseInt(m.group(1)));
      return pr == null ? Answer.of(404, new JsonObject().put("message", "Not Found")) : Answer.of(200, pr);
    }
    if ((m = PULLS.matcher(path)).matches()) {
      if ("POST".equals(method)) {
        return create(m.group(1), body);
      }
      JsonArray list = new JsonArray();
      pulls.values().stream().filter(pr -> "open".equals(pr.getString("state")))
          .filter(pr -> !query.contains("head=") || query.contains(pr.getJsonObject("head").getString("ref")))
          .forEach(list::add);
      return Answer.of(200, list);
    }
    if ((m = STATUS.matcher(path)).matches()) {
      return Answer.of(200, new JsonObject().put("state", "pending").put("sha", m.group(1)).put("total_count", 0)
          .put("statuses", new JsonArray()));
    }
    if ((m = CHECK_RUNS.matcher(path)).matches()) {
      String sha = m.group(1);
      String result = checks.apply(branchAt(sha), sha);
      JsonArray runs = new JsonArray();
      if (result != null) {
        JsonObject run = new JsonObject().put("id", 1).put("name", "ci").put("head_sha", sha);
        if ("pending".equals(result)) {
          run.put("status", "in_progress").putNull("conclusion");
        } else {
          run.put("status", "completed").put("conclusion", result).put("output", new JsonObject().put("title", "ci " + result)
              .put("summary", "success".equals(result) ? "all good" : "test_sum expected 4 but was 5"));
        }
        runs.add(run);
      }
      return Answer.of(200, new JsonObject().put("total_count", runs.size()).put("check_runs", runs));
    }
    if ("DELETE".equals(method) && (m = REF.matcher(path)).matches()) {
      git("update-ref", "-d", "refs/heads/" + m.group(1));
      return Answer.of(204, null);
    }
    return Answer.of(404, new JsonObject().put("message", "Not Found"));
  }

  private Answer create(String owner, JsonObject body) throws IOException, InterruptedException {
    String head = body.getString("head");
    String base = body.getString("base");
    String sha = git("rev-parse", "--verify", "--quiet", "refs/heads/" + head);
    if (sha.isEmpty() || base == null) {
      return Answer.of(422, new JsonObject().put("message", "Validation Failed")
          .put("errors", new JsonArray().add(new JsonObject().put("field", "head").put("code", "invalid"))));
    }
    boolean exists = pulls.values().stream().anyMatch(pr -> "open".equals(pr.getString("state"))
        && pr.getJsonObject("head").getString("ref").equals(head));
    if (exists) {
      return Answer.of(422, new JsonObject().put("message", "Validation Failed").put("errors", new JsonArray()
          .add(new JsonObject().put("message", "A pull request already exists for " + owner + ":" + head + "."))));
    }
    int number = numbers.incrementAndGet();
    JsonObject pr = new JsonObject().put("number", number).put("state", "open").put("title", body.getString("title"))
        .put("body", body.getString("body")).put("html_url", "https://github.example/" + owner + "/pull/" + number)
        .put("head", new JsonObject().put("ref", head).put("sha", sha)).put("base", new JsonObject().put("ref", base))
        .put("merged", false).put("labels", new JsonArray());
    pulls.put(number, pr);
    return Answer.of(201, pr);
  }

  private synchronized Answer merge(int number, JsonObject body) throws IOException, InterruptedException {
    JsonObject pr = pulls.get(number);
    if (pr == null) {
      return Answer.of(404, new JsonObject().put("message", "Not Found"));
    }
    String head = pr.getJsonObject("head").getString("ref");
    String headSha = git("rev-parse", "refs/heads/" + head);
    if (body.getString("sha") != null && !body.getString("sha").equals(headSha)) {
      return Answer.of(409, new JsonObject().put("message", "Head branch was modified. Review and try the merge again."));
    }
    String base = pr.getJsonObject("base").getString("ref");
    Path work = Files.createTempDirectory("fake-github-merge-");
    try {
      run(work.getParent(), "git", "clone", "--quiet", "--branch", base, bare.toString(), work.toString());
      String method = body.getString("merge_method", "merge");
      String title = body.getString("commit_title", pr.getString("title"));
      int merged = switch (method) {
        case "squash" -> run(work, "git", "merge", "--squash", "origin/" + head);
        case "rebase" -> run(work, "git", "rebase", "origin/" + head);
        default -> run(work, "git", "merge", "--no-ff", "--no-commit", "origin/" + head);
      };
      if (merged != 0) {
        return Answer.of(405, new JsonObject().put("message", "Pull Request is not mergeable"));
      }
      if (!method.equals("rebase")) {
        run(work, "git", "-c", "user.name=GitHub", "-c", "user.email=noreply@github.example", "commit", "-q", "-m", title,
            "-m", body.getString("commit_message", ""));
      }
      run(work, "git", "push", "--quiet", "origin", "HEAD:refs/heads/" + base);
      String sha = git("rev-parse", "refs/heads/" + base);
      pr.put("state", "closed").put("merged", true).put("merge_commit_sha", sha);
      return Answer.of(200, new JsonObject().put("sha", sha).put("merged", true).put("message", "Pull Request successfully merged"));
    } finally {
      run(work.getParent(), "rm", "-rf", work.toString());
    }
  }

  private String branchAt(String sha) {
    try {
      for (String line : git("for-each-ref", "--format=%(objectname) %(refname:short)", "refs/heads").split("\n")) {
        String[] parts = line.split(" ", 2);
        if (parts.length == 2 && parts[0].equals(sha)) {
          return parts[1];
        }
      }
    } catch (IOException | InterruptedException e) {
      return null;
    }
    return null;
  }

  private String git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "--git-dir", bare.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    process.waitFor(30, TimeUnit.SECONDS);
    return process.exitValue() == 0 ? out : "";
  }

  private static int run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    process.waitFor(60, TimeUnit.SECONDS);
    return process.exitValue();
  }
}
