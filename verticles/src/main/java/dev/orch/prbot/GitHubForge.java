package dev.orch.prbot;

import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import dev.orch.git.LocalOnlyFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pull requests on GitHub. The branch is pushed to the configured remote; the pull request is opened, labelled, read
 * (combined status and check runs) and merged through the REST API; after a merge the branch is deleted on GitHub and
 * the local main branch fast-forwards to GitHub's. The plan's new status is committed on the branch just before the
 * merge, so it lands with the change. Nothing is ever forced onto the main branch.
 */
final class GitHubForge implements Forge {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitHubForge.class);
  private final Vertx vertx;
  private final GitCli git;
  private final GitWorkspace workspace;
  private final GitHubApi api;
  private final String repoPath;
  private final String owner;
  private final String remote;
  private final String configuredMain;

  GitHubForge(Vertx vertx, GitCli git, GitHubApi api, String owner, String repo, String remote, String configuredMain) {
    this.vertx = vertx;
    this.git = git;
    this.workspace = new GitWorkspace(git);
    this.api = api;
    this.owner = owner;
    this.repoPath = "/repos/" + owner + "/" + repo;
    this.remote = remote;
    this.configuredMain = configuredMain;
  }

  @Override
  public Future<PullRequestView> open(PullRequestView pr) {
    return push(pr.branch()).compose(v -> vertx.executeBlocking(() -> git.mainBranch(configuredMain)))
        .compose(main -> api.send(HttpMethod.POST, repoPath + "/pulls", new JsonObject().put("title", pr.title())
            .put("head", pr.branch()).put("base", main).put("body", pr.body()).put("maintainer_can_modify", false)))
        .compose(response -> {
          if (response.status() == 201) {
            return Future.succeededFuture(remote(pr, response.object()));
          }
          if (response.status() == 422) {
            return existing(pr.branch()).compose(found -> found.map(json -> Future.succeededFuture(remote(pr, json)))
                .orElseGet(() -> Future.failedFuture("GitHub refused the pull request: " + response.message())));
          }
          return Future.failedFuture("GitHub refused the pull request (" + response.status() + "): " + response.message());
        });
  }

  private Future<Optional<JsonObject>> existing(String branch) {
    String head = URLEncoder.encode(owner + ":" + branch, StandardCharsets.UTF_8);
    return api.get(repoPath + "/pulls?state=open&head=" + head).map(response -> response.body() instanceof JsonArray list
        && !list.isEmpty() ? Optional.of(list.getJsonObject(0)) : Optional.empty());
  }

  private static PullRequestView remote(PullRequestView pr, JsonObject json) {
    return pr.withRemote(json.getInteger("number"), json.getString("html_url"));
  }

  @Override
  public Future<Void> publish(PullRequestView pr) {
    return push(pr.branch());
  }

  /** Refuses a branch that carries secret-looking files: once on the forge, a secret is out of orch's hands (H1). */
  private Future<Void> push(String branch) {
    return vertx.executeBlocking(() -> {
      List<BranchSecrets.Finding> secrets = BranchSecrets.of(git, git.mainBranch(configuredMain), branch);
      if (!secrets.isEmpty()) {
        throw new IllegalStateException("not pushing " + branch + " to " + remote + ": it adds files that look like "
            + "secrets: " + BranchSecrets.describe(secrets));
      }
      GitCli.Result pushed = git.tryRunIn(git.repo(), "push", "--quiet", "--force-with-lease", remote,
          "refs/heads/" + branch + ":refs/heads/" + branch);
      if (!pushed.ok()) {
        throw new IllegalStateException("git push of " + branch + " to " + remote + " failed: " + pushed.err().strip());
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> label(PullRequestView pr, List<String> labels) {
    return api.send(HttpMethod.POST, repoPath + "/issues/" + pr.remoteNumber() + "/labels",
            new JsonObject().put("labels", new JsonArray(labels)))
        .compose(response -> response.ok() ? Future.<Void>succeededFuture()
            : Future.failedFuture("GitHub did not label #" + pr.remoteNumber() + ": " + response.message()));
  }

  @Override
  public Future<RemoteChecks> remoteChecks(PullRequestView pr) {
    String sha = pr.headCommit();
    return Future.all(api.get(repoPath + "/commits/" + sha + "/status"), api.get(repoPath + "/commits/" + sha + "/check-runs"))
        .map(both -> combine(both.resultAt(0), both.resultAt(1)));
  }

  /** Red if any status or check run failed, pending if any is still running, none if there are none at all. */
  static RemoteChecks combine(GitHubApi.Response status, GitHubApi.Response runs) {
    List<String> failed = new ArrayList<>();
    boolean pending = false;
    int total = 0;
    for (Object item : status.object().getJsonArray("statuses", new JsonArray())) {
      JsonObject s = (JsonObject) item;
      total++;
      switch (s.getString("state", "")) {
        case "failure", "error" -> failed.add(s.getString("context") + ": " + s.getString("description", s.getString("state")));
        case "pending" -> pending = true;
        default -> { }
      }
    }
    for (Object item : runs.object().getJsonArray("check_runs", new JsonArray())) {
      JsonObject run = (JsonObject) item;
      total++;
      if (!"completed".equals(run.getString("status"))) {
        pending = true;
        continue;
      }
      String conclusion = run.getString("conclusion", "");
      if (!List.of("success", "neutral", "skipped").contains(conclusion)) {
        JsonObject output = run.getJsonObject("output", new JsonObject());
        String detail = output.getString("summary", output.getString("title", ""));
        failed.add(run.getString("name") + ": " + conclusion + (detail == null || detail.isBlank() ? "" : " - " + detail));
      }
    }
    if (!failed.isEmpty()) {
      return new RemoteChecks(RemoteChecks.State.FAILED, String.join("; ", failed));
    }
    if (pending) {
      return new RemoteChecks(RemoteChecks.State.PENDING, "");
    }
    return total == 0 ? RemoteChecks.none() : new RemoteChecks(RemoteChecks.State.PASSED, "");
  }

  @Override
  public Future<Prepared> prepareMerge(PullRequestView pr, Path worktree, String method) {
    return vertx.executeBlocking(() -> {
      String main = git.mainBranch(configuredMain);
      String mainTip = git.resolve(main).orElseThrow();
      String branchTip = git.resolve(pr.branch()).orElseThrow();
      return new Prepared(new MergeAttempt(worktree, main, mainTip, pr.branch(), branchTip, method), null);
    });
  }

  @Override
  public Future<Completed> completeMerge(PullRequestView pr, MergeAttempt attempt, String message) {
    TaskId task = pr.taskId();
    return vertx.executeBlocking(() -> {
      LocalOnlyFiles.stageAll(git, attempt.checkout());
      if (LocalOnlyFiles.anythingStaged(git, attempt.checkout())) {
        git.commitIn(attempt.checkout(), "orch: " + task + " is complete");
      }
      return git.runIn(attempt.checkout(), "rev-parse", "HEAD");
    }, false).compose(head -> push(attempt.branch()).map(v -> head)).compose(head -> {
      String[] lines = message.split("\n", 2);
      JsonObject merge = new JsonObject().put("merge_method", attempt.method()).put("sha", head)
          .put("commit_title", lines[0]).put("commit_message", lines.length > 1 ? lines[1].strip() : "");
      return api.send(HttpMethod.PUT, repoPath + "/pulls/" + pr.remoteNumber() + "/merge", merge);
    }).compose(response -> {
      if (response.status() == 200 && response.object().getBoolean("merged", false)) {
        String sha = response.object().getString("sha");
        return api.send(HttpMethod.DELETE, repoPath + "/git/refs/heads/" + attempt.branch(), null)
            .recover(e -> Future.succeededFuture(null))
            .compose(v -> followMain(attempt.mainBranch(), sha)).map(Completed::done);
      }
      boolean retry = response.status() == 409;
      return Future.succeededFuture(Completed.blocked("GitHub did not merge #" + pr.remoteNumber() + " ("
          + response.status() + "): " + response.message(), retry));
    });
  }

  @Override
  public Future<Optional<String>> landed(PullRequestView pr) {
    if (pr.remoteNumber() == 0) {
      return Future.succeededFuture(Optional.empty());
    }
    return api.get(repoPath + "/pulls/" + pr.remoteNumber()).compose(response -> {
      if (response.status() != 200 || !response.object().getBoolean("merged", false)
          || response.object().getString("merge_commit_sha") == null) {
        return Future.succeededFuture(Optional.empty());
      }
      String sha = response.object().getString("merge_commit_sha");
      return vertx.executeBlocking(() -> git.mainBranch(configuredMain)).compose(main -> followMain(main, sha))
          .map(Optional::of);
    });
  }

  /** Brings the local main branch to the commit GitHub merged, by fast-forward only. */
  private Future<String> followMain(String mainBranch, String sha) {
    return vertx.executeBlocking(() -> {
      git.run("fetch", "--quiet", remote, mainBranch);
      String fetched = git.run("rev-parse", "FETCH_HEAD");
      Optional<Path> checkedOut = workspace.worktreeWithBranch(mainBranch);
      if (checkedOut.isPresent()) {
        GitCli.Result ff = git.tryRunIn(checkedOut.get(), "merge", "--ff-only", "--quiet", fetched);
        if (!ff.ok()) {
          // The merge happened on GitHub; only the local copy lags, and the next fetch brings it along.
          LOG.warn("merged on GitHub as {}, but {} in {} could not fast-forward: {}", sha, mainBranch,
              checkedOut.get(), ff.err().strip());
        }
      } else {
        git.run("update-ref", "refs/heads/" + mainBranch, fetched);
      }
      return sha;
    }, false);
  }

  @Override
  public Future<Void> abortMerge(MergeAttempt attempt) {
    return Future.succeededFuture();
  }
}
