package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSkillTest {
  private static final AgentSkill SKILL = new AgentSkill("---\nname: n\ndescription: d\n---\nbody\n", "/u/skill.md");

  @Test
  void isInstalledIntoAWorktreeWithoutOne(@TempDir Path tmp) throws Exception {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    assertThat(SKILL.installIn(worktree)).isEmpty();
    assertThat(worktree.resolve(AgentSkill.TARGET)).content().isEqualTo(SKILL.text());
  }

  @Test
  void aLinkedFolderLeadingOutsideIsRefusedBeforeAnythingIsMade(@TempDir Path tmp) throws Exception {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(worktree.resolve(".claude"), outside);

    Path realRoot = worktree.toRealPath();
    assertThat(SKILL.installIn(worktree)).hasValueSatisfying(why -> assertThat(why)
        .isEqualTo(worktree.resolve(".claude") + " leads outside the worktree " + realRoot + " (a symbolic link)"));
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void aLinkedSkillsFolderLeadingOutsideIsRefused(@TempDir Path tmp) throws Exception {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(worktree.resolve(".claude"));
    Files.createSymbolicLink(worktree.resolve(".claude/skills"), outside);

    assertThat(SKILL.installIn(worktree)).hasValueSatisfying(why -> assertThat(why).startsWith(
        worktree.resolve(".claude/skills") + " leads outside"));
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void aDanglingLinkedFolderIsRefused(@TempDir Path tmp) throws Exception {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Files.createSymbolicLink(worktree.resolve(".claude"), tmp.resolve("nowhere"));

    assertThat(SKILL.installIn(worktree)).isPresent();
    assertThat(tmp.resolve("nowhere")).doesNotExist();
  }

  @Test
  void aLinkedFolderInsideTheWorktreeIsFine(@TempDir Path tmp) throws Exception {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Files.createDirectories(worktree.resolve("config/claude"));
    Files.createSymbolicLink(worktree.resolve(".claude"), Path.of("config/claude"));

    assertThat(SKILL.installIn(worktree)).isEmpty();
    assertThat(worktree.resolve("config/claude/skills/autonomous-plan-execution/SKILL.md")).exists();
  }

  @Test
  void aDanglingLinkInPlaceOfTheFileIsNeverWrittenThrough(@TempDir Path tmp) throws Exception {
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Path target = worktree.resolve(AgentSkill.TARGET);
    Files.createDirectories(target.getParent());
    Files.createSymbolicLink(target, tmp.resolve("outside.md"));

    assertThatThrownBy(() -> SKILL.installIn(worktree)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(tmp.resolve("outside.md")).doesNotExist();
  }

  @Test
  void aFileWithoutFrontmatterGetsTheNameAndADescription() {
    assertThat(AgentSkill.withFrontmatter("# Steps\r\n\r\n1. work\r\n", "skill.md")).isEqualTo("---\nname: "
        + "autonomous-plan-execution\ndescription: \"" + AgentSkill.DEFAULT_DESCRIPTION + "\"\n---\n# Steps\n\n1. work\n");
  }

  @Test
  void completeFrontmatterIsKeptAsWritten() {
    String text = "---\nname: autonomous-plan-execution\ndescription: Use when executing plans\n---\n\n# Body\n";
    assertThat(AgentSkill.withFrontmatter(text, "skill.md")).isEqualTo(text);
  }

  @Test
  void onlyTheMissingFieldIsAdded() {
    assertThat(AgentSkill.withFrontmatter("---\nname: mine\nmodel: x\n---\nbody\n", "skill.md"))
        .isEqualTo("---\ndescription: \"" + AgentSkill.DEFAULT_DESCRIPTION + "\"\nname: mine\nmodel: x\n---\nbody\n");
  }

  @Test
  void frontmatterThatIsNotAMappingNamesTheFile() {
    assertThatThrownBy(() -> AgentSkill.withFrontmatter("---\n- a\n- b\n---\nbody\n", "/p/skill.md"))
        .hasMessageStartingWith("/p/skill.md: the frontmatter");
    assertThatThrownBy(() -> AgentSkill.withFrontmatter("---\nname: [\n---\nbody\n", "/p/skill.md"))
        .hasMessageStartingWith("/p/skill.md: its frontmatter is not valid YAML");
  }
}
