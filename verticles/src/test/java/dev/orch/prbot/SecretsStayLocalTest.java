package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PrStage;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import dev.orch.git.LocalOnlyFiles;
import dev.orch.git.SecretFiles;
import dev.orch.testkit.FakeGitHub;
import dev.orch.testkit.TestRepo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * H1: a pull request's branch never carries what orch copied in, orch never commits a file that looks like a secret,
 * and a branch that carries one anyway (the agent committed it) is flagged for a person and never pushed.
 */
@ExtendWith(VertxExtension.class)
class SecretsStayLocalTest {
  @TempDir
  Path tmp;
  Path repo;
  Path worktree;
  GitCli git;

  @BeforeEach
  void repository() throws Exception {
    repo = tmp.resolve("repo");
    git = TestRepo.init(repo);
    Files.createDirectories(repo.resolve("docs/plans/app"));
    Files.writeString(repo.resolve("docs/plans/app/epic-01-x.md"), "---\nstatus: pending\n---\n# X\n- [ ] works\n");
    Files.writeString(repo.resolve("old.pem"), "old\n");
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "first");
    worktree = tmp.resolve("wt");
    git.run("worktree", "add", "-q", "-b", "orch/app-E01", worktree.toString());
  }

  @Test
  void h1_namesThatUsuallyHoldSecretsAreRecognisedAndExamplesAreNot() {
    assertThat(List.of(".env", ".env.local", "config/.env.production", "prod.env", "deploy/server.key", "certs/tls.pem",
        "id_rsa", "home/.ssh/id_ed25519", "credentials.json", "gcp/credentials-prod.json", "client_secret.json", ".npmrc",
        ".pypirc", ".netrc", ".aws/credentials", "keystore.p12", "app.jks", "prod.tfvars"))
        .allSatisfy(path -> assertThat(SecretFiles.reason(path)).as(path).isPresent());
    assertThat(List.of(".env.example", ".env.sample", ".env.template", "id_rsa.pub", "README.md", "src/KeyStore.java",
        "environment.ts", "credentials.example.json", "docs/keys.md", "package.json"))
        .allSatisfy(path -> assertThat(SecretFiles.reason(path)).as(path).isEmpty());
  }

  @Test
  void h1_orchsLeftoverCommitLeavesOutCopiedAndSecretLookingFiles() throws Exception {
    LocalOnlyFiles.declare(git, List.of(".env"));
    Files.writeString(worktree.resolve(".env"), "SECRET_API_KEY=sk-test-canary\n");
    Files.writeString(worktree.resolve("id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    Files.writeString(worktree.resolve("app.txt"), "work\n");
    git.runIn(worktree, "add", "app.txt");
    git.commitIn(worktree, "agent work");
    Files.writeString(worktree.resolve("more.txt"), "more\n");

    BranchInspection inspection = BranchInspection.of(git, "", "orch/app-E01", worktree,
        worktree.resolve("docs/plans/app/epic-01-x.md"));

    assertThat(inspection.commits()).isEqualTo(2);
    assertThat(git.run("ls-tree", "-r", "--name-only", "orch/app-E01")).contains("more.txt").doesNotContain(".env")
        .doesNotContain("id_rsa");
    assertThat(git.run("log", "-p", "main..orch/app-E01")).doesNotContain("sk-test-canary", "PRIVATE KEY");
    assertThat(BranchSecrets.of(git, "main", "orch/app-E01")).isEmpty();
  }

  @Test
  void h1_secretFilesTheAgentCommittedAreFoundAndDeletingOneIsFine() throws Exception {
    Files.writeString(worktree.resolve(".env"), "SECRET_API_KEY=sk-test-canary\n");
    Files.createDirectories(worktree.resolve("deploy"));
    Files.writeString(worktree.resolve("deploy/server.key"), "-----BEGIN PRIVATE KEY-----\n");
    Files.writeString(worktree.resolve(".env.example"), "SECRET_API_KEY=\n");
    git.runIn(worktree, "rm", "-q", "old.pem");
    git.runIn(worktree, "add", "-A", "-f");
    git.commitIn(worktree, "agent adds secrets");

    List<BranchSecrets.Finding> found = BranchSecrets.of(git, "main", "orch/app-E01");

    assertThat(found).extracting(BranchSecrets.Finding::path).containsExactlyInAnyOrder(".env", "deploy/server.key");
    assertThat(BranchSecrets.describe(found)).contains(".env (an environment file)");
    ReviewRouter.Decision decision = new ReviewRouter(List.of(), 10_000)
        .route(FileDiff.parse(BranchSecrets.diff(git, "main", "orch/app-E01")), false);
    assertThat(decision.routine()).as("built in: no configured category is needed").isFalse();
    assertThat(decision.categories()).containsExactly(BranchSecrets.CATEGORY);
    assertThat(decision.reason()).startsWith("secrets: ").contains("deploy/server.key (looks like a secret: ");
  }

  @Test
  void h1_aSecretCommittedAndDeletedAgainIsStillFoundInTheBranchsHistory() throws Exception {
    Files.writeString(worktree.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    git.runIn(worktree, "add", "-A");
    git.commitIn(worktree, "agent adds a key");
    git.runIn(worktree, "rm", "-q", "id_ed25519");
    git.commitIn(worktree, "agent removes it again");

    assertThat(FileDiff.parse(BranchSecrets.diff(git, "main", "orch/app-E01"))).as("no net change").isEmpty();
    assertThat(BranchSecrets.of(git, "main", "orch/app-E01")).extracting(BranchSecrets.Finding::path)
        .containsExactly("id_ed25519");
  }

  @Test
  void h1_theGitHubForgeRefusesToPushABranchThatCarriesSecrets(Vertx vertx) throws Exception {
    Path bare = tmp.resolve("remote.git");
    git.run("clone", "-q", "--bare", repo.toString(), bare.toString());
    git.run("remote", "add", "origin", bare.toString());
    FakeGitHub github = await(FakeGitHub.start(vertx, bare, "t0ken"));
    Files.writeString(worktree.resolve("credentials.json"), "{\"private_key\": \"x\"}\n");
    git.runIn(worktree, "add", "-A");
    git.commitIn(worktree, "agent adds credentials");
    GitHubForge forge = new GitHubForge(vertx, git, new GitHubApi(vertx, github.url(), "t0ken"), "acme", "app",
        "origin", "main");

    Future<PullRequestView> opened = forge.open(pr("orch/app-E01"));

    assertThat(opened.toCompletionStage().toCompletableFuture())
        .failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .withMessageContaining("not pushing orch/app-E01").withMessageContaining("credentials.json (a credentials file)");
    assertThat(new GitCli(bare).run("ls-tree", "-r", "--name-only", "orch/app-E01")).as("the clone's old copy, unchanged")
        .doesNotContain("credentials.json");
    assertThat(github.pulls()).isEmpty();
  }

  private static PullRequestView pr(String branch) {
    return new PullRequestView(1, TaskId.parseFull("app/E01"), 1, branch, "X (app/E01)", "body", PrState.OPEN, null, null, null, 1, 1, 0,
        "", 0, 0, 0, 0, PrStage.CHECKING, 0, List.of(), null, null, null, 0, null, null, "X", "docs/plans/app/epic-01-x.md",
        null, false, List.of());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
