package dev.orch.testkit;

import dev.orch.git.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh git repository on {@code main} with a committer identity, for tests that drive real git. */
public final class TestRepo {
  private TestRepo() {
  }

  public static GitCli init(Path folder) throws Exception {
    GitCli git = new GitCli(Files.createDirectories(folder));
    git.run("init", "-q", "-b", "main");
    git.run("config", "user.name", "t");
    git.run("config", "user.email", "t@example.invalid");
    return git;
  }
}
