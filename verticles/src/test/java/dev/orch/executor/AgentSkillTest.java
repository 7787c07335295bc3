package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentSkillTest {
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
