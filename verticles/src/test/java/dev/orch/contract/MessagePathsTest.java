package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** H2: paths in launch and write-status messages cannot point outside the plans folder, the project or the worktrees. */
class MessagePathsTest {
  static final Path PLANS = Path.of("docs/plans");

  @Test
  void h2_a_launch_file_must_be_a_normalised_path_inside_the_plans_folder() {
    assertThat(MessagePaths.planFile("file", "docs/plans/mod/E01-x.md", PLANS)).isEqualTo("docs/plans/mod/E01-x.md");
    assertThat(MessagePaths.planFile("file", "anywhere/E01.md", null)).isEqualTo("anywhere/E01.md");
    for (String bad : new String[] {"../../../../../../etc/hostname", "/etc/hostname", "docs/plans/../../etc/passwd",
        "docs/plans/./x.md", "docs//plans/x.md", "", "README.md", "docs/plans", "docs\\\\plans\\\\x.md",
        "docs/plans/x\0.md"}) {
      assertThatThrownBy(() -> MessagePaths.planFile("file", bad, PLANS)).as(bad)
          .isInstanceOfSatisfying(OrchException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).contains("field 'file'");
          });
    }
  }

  @Test
  void h2_a_write_status_root_is_the_project_or_directly_inside_the_worktree_folder() {
    Path project = Path.of("/srv/project");
    Path worktrees = Path.of("/srv/project/.orch/worktrees");
    assertThat(MessagePaths.statusRoot("root", "/srv/project", project, worktrees)).isEqualTo(project);
    assertThat(MessagePaths.statusRoot("root", "/srv/project/.orch/worktrees/.merge", project, worktrees))
        .isEqualTo(worktrees.resolve(".merge"));
    for (String bad : new String[] {"/tmp/victim", "/srv/project/.orch/worktrees", "/srv/project/.orch/worktrees/a/b",
        "/srv/project/.orch/worktrees/../../../tmp", "relative/path", "/srv/project/src"}) {
      assertThatThrownBy(() -> MessagePaths.statusRoot("root", bad, project, worktrees)).as(bad)
          .isInstanceOfSatisfying(OrchException.class, e -> assertThat(e.getMessage()).contains("field 'root'"));
    }
    assertThatThrownBy(() -> MessagePaths.statusRoot("root", "/srv/project/.orch/worktrees/.merge", project, null))
        .isInstanceOf(OrchException.class);
  }
}
