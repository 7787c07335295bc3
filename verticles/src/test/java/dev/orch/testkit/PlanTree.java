package dev.orch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/** A real git repository in a temp folder with plan files written into it, for tests. */
public final class PlanTree {
  private final Path root;

  private PlanTree(Path root) {
    this.root = root;
  }

  /** Initialises a git repository (branch main) at {@code root}. */
  public static PlanTree create(Path root) {
    try {
      Files.createDirectories(root);
      Git.init().setDirectory(root.toFile()).setInitialBranch("main").call().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
    return new PlanTree(root);
  }

  public Path root() {
    return root;
  }

  public Path plans() {
    return root.resolve("docs/plans");
  }

  /** Writes {@code text} to {@code docs/plans/<file>}. */
  public PlanTree plan(String file, String text) {
    return write("docs/plans/" + file, text);
  }

  public PlanTree write(String file, String text) {
    try {
      Path path = root.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PlanTree writeBytes(String file, byte[] bytes) {
    try {
      Path path = root.resolve(file);
      Files.createDirectories(path.getParent());
      Files.write(path, bytes);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PlanTree delete(String file) {
    try {
      Files.deleteIfExists(root.resolve(file));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal task file with frontmatter. */
  public static String task(String title, String... frontmatterLines) {
    return "---\n" + String.join("\n", frontmatterLines) + (frontmatterLines.length > 0 ? "\n" : "") + "---\n\n# " + title
        + "\n\n## Acceptance Criteria\n\n- [ ] it works\n";
  }
}
