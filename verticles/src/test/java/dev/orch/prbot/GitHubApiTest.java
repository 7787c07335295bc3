package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.testkit.FakeGitHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The GitHub client against the fake GitHub: conditional requests, rate limits, retries, and reading checks. */
@ExtendWith(VertxExtension.class)
class GitHubApiTest {
  @TempDir
  Path tmp;
  FakeGitHub github;
  GitHubApi api;

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Git.init().setBare(true).setDirectory(tmp.resolve("remote.git").toFile()).call().close();
    github = await(FakeGitHub.start(vertx, tmp.resolve("remote.git"), "t0ken"));
    api = new GitHubApi(vertx, github.url(), "t0ken");
  }

  @Test
  void repeatedGetsAreConditionalAndA304ReusesTheBody() throws Exception {
    String path = "/repos/acme/app/commits/abc123/check-runs";
    GitHubApi.Response first = await(api.get(path));
    GitHubApi.Response second = await(api.get(path));
    assertThat(first.cached()).isFalse();
    assertThat(second.cached()).isTrue();
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(github.requests()).extracting(FakeGitHub.Request::status).containsExactly(200, 304);
    assertThat(api.requests.get()).isEqualTo(2);
    assertThat(api.counted.get()).as("a 304 does not count against the limit").isEqualTo(1);
  }

  @Test
  void aRateLimitStopsRequestsUntilTheResetAndThenCarriesOn() throws Exception {
    github.failNext("rate-limit", "GET /repos/acme/app/commits");
    long started = System.currentTimeMillis();
    GitHubApi.Response response = await(api.get("/repos/acme/app/commits/abc/status"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(System.currentTimeMillis() - started).as("waited for X-RateLimit-Reset").isGreaterThanOrEqualTo(900);
    assertThat(github.requests()).extracting(FakeGitHub.Request::status).containsExactly(403, 200);
  }

  @Test
  void retryAfterAndServerErrorsAreRetriedWithBackoff() throws Exception {
    github.failNext("retry-after", "GET /repos/acme/app/pulls");
    github.failNext("502", "GET /repos/acme/app/pulls");
    GitHubApi.Response response = await(api.get("/repos/acme/app/pulls?state=open"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(github.requests()).extracting(FakeGitHub.Request::status).containsExactly(429, 502, 200);
  }

  @Test
  void aGitHubThatStaysDownFailsAsPassingSoThePullRequestWaitsRatherThanGoesToAPerson() throws Exception {
    for (int i = 0; i < 4; i++) {
      github.failNext("502", "GET /repos/acme/app/pulls");
    }
    Future<GitHubApi.Response> answered = api.get("/repos/acme/app/pulls?state=open");
    assertThat(answered.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(OrchException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.TRANSIENT);
          assertThat(e.getMessage()).contains("GitHub answered 502", "4 tries");
        });
  }

  @Test
  void clientErrorsAreAnsweredNotRetried() throws Exception {
    GitHubApi.Response response = await(api.send(HttpMethod.PUT, "/repos/acme/app/pulls/9/merge", new JsonObject()));
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.message()).isEqualTo("Not Found");
    assertThat(github.requests()).hasSize(1);
  }

  @Test
  void checksCombineStatusesAndCheckRuns() {
    GitHubApi.Response noStatus = new GitHubApi.Response(200, new JsonObject().put("statuses", new JsonArray()), false);
    GitHubApi.Response noRuns = new GitHubApi.Response(200, new JsonObject().put("check_runs", new JsonArray()), false);
    assertThat(GitHubForge.combine(noStatus, noRuns).state()).isEqualTo(Forge.RemoteChecks.State.NONE);
    GitHubApi.Response pending = new GitHubApi.Response(200, new JsonObject().put("check_runs", new JsonArray()
        .add(new JsonObject().put("name", "ci").put("status", "in_progress"))), false);
    assertThat(GitHubForge.combine(noStatus, pending).state()).isEqualTo(Forge.RemoteChecks.State.PENDING);
    GitHubApi.Response red = new GitHubApi.Response(200, new JsonObject().put("statuses", new JsonArray()
        .add(new JsonObject().put("context", "lint").put("state", "failure").put("description", "3 problems"))), false);
    Forge.RemoteChecks checks = GitHubForge.combine(red, pending);
    assertThat(checks.state()).isEqualTo(Forge.RemoteChecks.State.FAILED);
    assertThat(checks.summary()).isEqualTo("lint: 3 problems");
    GitHubApi.Response green = new GitHubApi.Response(200, new JsonObject().put("check_runs", new JsonArray()
        .add(new JsonObject().put("name", "ci").put("status", "completed").put("conclusion", "success"))), false);
    assertThat(GitHubForge.combine(noStatus, green).state()).isEqualTo(Forge.RemoteChecks.State.PASSED);
  }
}
