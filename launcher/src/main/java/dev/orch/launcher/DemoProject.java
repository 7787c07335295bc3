package dev.orch.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** The throw-away git repository with a small sample plan (two modules, dependencies) that {@code orch demo} runs. */
final class DemoProject {
  private static final String RESOURCES = "/dev/orch/launcher/demo/";

  private DemoProject() {
  }

  /** Writes the sample project into {@code repo} and commits it on {@code main}. */
  static void create(Path repo) {
    try {
      for (String file : files()) {
        Path target = repo.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = DemoProject.class.getResourceAsStream(RESOURCES + file)) {
          Files.copy(in, target);
        }
      }
      try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
        var config = git.getRepository().getConfig();
        config.setString("user", null, "name", "orch demo");
        config.setString("user", null, "email", "demo@orch.invalid");
        config.save();
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("orch demo", "demo@orch.invalid");
        git.commit().setMessage("Sample plan for the orch demo").setAuthor(who).setCommitter(who).setSign(false).call();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo project into " + repo, e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("cannot create the demo repository in " + repo + ": " + e.getMessage(), e);
    }
  }

  private static List<String> files() throws IOException {
    try (InputStream in = DemoProject.class.getResourceAsStream("/dev/orch/launcher/demo-files.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }
}
