package dev.orch.prbot;

import static dev.orch.prbot.PipelineFixture.BRANCH;
import static dev.orch.prbot.PipelineFixture.TASK;
import static dev.orch.prbot.PipelineFixture.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.ChecksState;
import dev.orch.contract.PrStage;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import dev.orch.testkit.FakeGitHub;
import dev.orch.testkit.TestRepo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: orch crashed after the change landed on the main branch and before the pull request was recorded merged.
 * On restart the squash commit on main (found by orch's trailers, in a real repository) marks it merged: not merged a
 * second time, not flagged. The same when GitHub merged it and the local main branch never heard.
 */
@ExtendWith(VertxExtension.class)
class SquashOnMainTest {
  static final String PLAN = "docs/plans/app/epic-01-x.md";

  @TempDir
  Path tmp;
  GitCli git;
  Path worktree;
  LocalForge forge;
  GitRepository repo;

  @BeforeEach
  void repository() throws Exception {
    Path root = tmp.resolve("repo");
    git = TestRepo.init(root);
    Files.createDirectories(root.resolve("docs/plans/app"));
    Files.writeString(root.resolve(PLAN), "---\nstatus: in-progress\n---\n# X\n");
    Files.writeString(root.resolve("a.txt"), "one\n");
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "first");
    worktree = tmp.resolve("wt");
    git.run("worktree", "add", "-q", "-b", BRANCH, worktree.toString());
    Files.writeString(worktree.resolve("a.txt"), "one\ntwo\n");
    git.runIn(worktree, "add", "-A");
    git.commitIn(worktree, "agent: two");
    forge = new LocalForge(Offload.INLINE, git, tmp.resolve("merge"), "main");
    repo = new GitRepository(git, Offload.INLINE, "main", new ReviewRouter(List.of(), 400,
        new ControlFiles(Optional.of("docs/plans"))));
  }

  @Test
  void aSquashAlreadyOnMainAfterACrashIsRecordedAsMergedNotMergedTwiceNorFlagged() throws Exception {
    PullRequestView pr = openPullRequest();
    landWithoutRecording(pr);
    String mainAfterLanding = git.resolve("main").orElseThrow();
    PipelineFixture f = new PipelineFixture(worktree);
    f.store.rows.put(1, pr);

    result(f.pipeline(forge, repo).resumeAll());

    PullRequestView merged = f.store.only();
    assertThat(merged.state()).isEqualTo(PrState.MERGED);
    assertThat(merged.stage()).isEqualTo(PrStage.DONE);
    assertThat(merged.mergeCommit()).isEqualTo(mainAfterLanding);
    assertThat(git.resolve("main")).contains(mainAfterLanding);
    assertThat(git.run("log", "--format=%H", "--grep=Orch-Pull-Request: 1", "main").lines()).hasSize(1);
    assertThat(git.resolve(GitRepository.MERGED_REFS + "app-E01")).contains(pr.headCommit());
    assertThat(merged.changedPaths()).as("what the squash changed, but the plan file orch wrote the status in")
        .containsExactly("a.txt");
    assertThat(f.events.seen).containsExactly("merged #1");
    assertThat(f.status.written).isEmpty();
  }

  @Test
  void anotherTasksPullRequestWithTheSameNumberIsNotTakenForIt() throws Exception {
    landWithoutRecording(openPullRequest());
    PullRequestView other = new PullRequestView(1, TaskId.parseFull("app/E02"), 2, "orch/app-E02", "Y (app/E02)", "body", PrState.OPEN,
        null, "x", null, 0, 0, 0, "", 0, 0, 0, 0, PrStage.CHECKING, 0, List.of(), null, null, null, 0);

    assertThat(result(repo.mergedOnMain(other))).isEmpty();
    assertThat(result(repo.mergedOnMain(openPullRequest()))).isPresent();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aPullRequestGitHubMergedBeforeTheCrashIsRecordedWithGitHubsCommitAndMainFollows(Vertx vertx) throws Exception {
    Path bare = tmp.resolve("remote.git");
    git.run("clone", "-q", "--bare", git.repo().toString(), bare.toString());
    git.run("remote", "add", "origin", bare.toString());
    FakeGitHub github = await(FakeGitHub.start(vertx, bare, "t0ken"));
    GitHubApi api = new GitHubApi(vertx, github.url(), "t0ken");
    GitHubForge gitHub = new GitHubForge(vertx, git, api, "acme", "app", "origin", "main");
    PullRequestView pr = await(gitHub.open(openPullRequest()));
    String mainBefore = git.resolve("main").orElseThrow();
    // orch asked GitHub to merge and died before it heard back: GitHub merged, nothing local knows.
    GitHubApi.Response merge = await(api.send(HttpMethod.PUT, "/repos/acme/app/pulls/" + pr.remoteNumber() + "/merge",
        new JsonObject().put("merge_method", "squash").put("sha", pr.headCommit()).put("commit_title", pr.title())));
    assertThat(merge.status()).isEqualTo(200);
    String onGitHub = merge.object().getString("sha");
    PipelineFixture f = new PipelineFixture(worktree);
    f.store.rows.put(1, pr);

    await(f.pipeline(gitHub, repo).resumeAll());

    PullRequestView merged = f.store.only();
    assertThat(merged.state()).isEqualTo(PrState.MERGED);
    assertThat(merged.mergeCommit()).isEqualTo(onGitHub);
    assertThat(git.resolve("main")).as("the local main branch followed GitHub's").contains(onGitHub);
    assertThat(git.run("rev-list", "--count", mainBefore + "..main")).isEqualTo("1");
    assertThat(merged.changedPaths()).as("read from GitHub's commit, fetched").containsExactly("a.txt");
    assertThat(f.events.seen).containsExactly("merged #1");
    assertThat(f.status.written).isEmpty();
    await(github.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private PullRequestView openPullRequest() {
    String head = git.resolve(BRANCH).orElseThrow();
    return new PullRequestView(1, TASK, 1, BRANCH, "X (app/E01)", "body", PrState.OPEN, null, head, null, 1, 1, 0, "", 0,
        0, 0, 0, PrStage.CHECKING, 0, List.of(), null, null, null, 0, ChecksState.PASSED, null, "X", PLAN,
        worktree.toString(), false, List.of());
  }

  /** What a merge does up to the moment the pull request would be recorded: the process dies right there. */
  private void landWithoutRecording(PullRequestView pr) throws Exception {
    Forge.Prepared prepared = result(forge.prepareMerge(pr, worktree, "squash"));
    Path plan = prepared.attempt().checkout().resolve(PLAN);
    Files.writeString(plan, Files.readString(plan).replace("in-progress", "complete"));
    Forge.Completed done = result(forge.completeMerge(pr, prepared.attempt(), SquashMessage.of(pr)));
    assertThat(done.blocked()).isNull();
  }
}
