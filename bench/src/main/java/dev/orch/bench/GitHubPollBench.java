package dev.orch.bench;

import dev.orch.testkit.FakeGitHub;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GitHub API requests per open pull request per hour at steady state. Runs orch (the shaded jar, as a process) on a
 * project with N tasks whose agents (shell stand-ins) each commit a file, against the fake GitHub, whose checks stay
 * pending for ever, so every pull request stays open and polled. Once all N are open and polled, counts the requests
 * GitHub receives over a window and scales to an hour at the default poll interval.
 * Usage: GitHubPollBench ORCH_JAR [pull_requests=20] [poll_seconds=3] [window_seconds=60]
 */
public final class GitHubPollBench {
  private static final int DEFAULT_POLL_SECONDS = 150;

  private GitHubPollBench() {
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int poll = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    Path work = Files.createTempDirectory("orch-github-bench-");
    Path repo = work.resolve("repo");
    Vertx vertx = Vertx.vertx();
    Process orch = null;
    try {
      git(work, "init", "-q", "-b", "main", repo.toString());
      git(repo, "config", "user.name", "bench");
      git(repo, "config", "user.email", "bench@orch.invalid");
      for (int i = 1; i <= count; i++) {
        Path plan = repo.resolve("docs/plans/m" + i + "/epic-01-task.md");
        Files.createDirectories(plan.getParent());
        Files.writeString(plan, "# Task " + i + "\n");
      }
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "plan");
      Path bare = work.resolve("remote.git");
      git(work, "clone", "-q", "--bare", repo.toString(), bare.toString());
      git(repo, "remote", "add", "origin", bare.toString());
      FakeGitHub github = FakeGitHub.start(vertx, bare, "bench-token").toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      github.checks((branch, sha) -> branch == null ? null : "pending");
      Path agent = work.resolve("agent.sh");
      Files.writeString(agent, """
          #!/bin/sh
          cat > /dev/null
          echo "$PWD" > work.txt && git add -A && git commit -qm work
          printf '%s\\n' '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"ok","session_id":"s","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}'
          """);
      Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path config = work.resolve("orch.toml");
      Files.writeString(config, """
          [general]
          project_root = "%s"
          max_parallel_agents = 4
          [claude]
          command = "%s"
          [forge]
          kind = "github"
          [github]
          owner = "acme"
          repo = "app"
          api_url = "%s"
          token = "bench-token"
          poll_interval = "%ds"
          [web]
          port = 0
          """.formatted(repo, agent, github.url(), poll));
      orch = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          jar.toString(), "--config", config.toString(), "run")).directory(repo.toFile()).redirectErrorStream(true)
          .redirectOutput(work.resolve("orch.log").toFile()).start();
      long deadline = System.currentTimeMillis() + 300_000;
      while (github.pulls().size() < count || !everyPullPolled(github, count)) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("only " + github.pulls().size() + " pull requests opened; see " + work);
        }
        Thread.sleep(500);
      }
      Thread.sleep(poll * 2000L);
      int before = github.requests().size();
      Thread.sleep(window * 1000L);
      List<FakeGitHub.Request> during = github.requests().subList(before, github.requests().size());
      long counted = during.stream().filter(r -> r.status() != 304).count();
      double cycles = (double) window / poll;
      double perPrPerCycle = during.size() / cycles / count;
      double countedPerPrPerCycle = counted / cycles / count;
      double cyclesPerHour = 3600.0 / DEFAULT_POLL_SECONDS;
      System.out.printf("%d open pull requests, checks pending, polled every %d s for %d s (%d requests, %d not 304)%n",
          count, poll, window, during.size(), counted);
      System.out.printf("requests per pull request per poll: %.2f (%.2f counted against the rate limit)%n", perPrPerCycle,
          countedPerPrPerCycle);
      System.out.printf("per pull request per hour at the default poll interval (%d s): %.1f requests, %.1f counted "
          + "(target: under 60)%n", DEFAULT_POLL_SECONDS, perPrPerCycle * cyclesPerHour, countedPerPrPerCycle * cyclesPerHour);
      System.out.printf("for all %d: %.0f requests an hour, %.0f counted (GitHub allows 5,000)%n", count,
          perPrPerCycle * cyclesPerHour * count, countedPerPrPerCycle * cyclesPerHour * count);
    } finally {
      if (orch != null) {
        orch.destroy();
        orch.waitFor(30, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }
    System.exit(0);
  }

  private static boolean everyPullPolled(FakeGitHub github, int count) {
    return github.requests().stream().filter(r -> r.path().endsWith("/check-runs")).map(FakeGitHub.Request::path)
        .distinct().count() >= count;
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
    }
  }
}
