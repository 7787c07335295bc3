package dev.orch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class McpRunTokenTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void l11_a_token_is_bound_to_its_worktree_and_task_and_reveals_nothing_of_the_secret() {
    String token = McpRunToken.of(SECRET, "/w/mod-E01", "mod/E01");
    assertThat(token).hasSize(64).doesNotContain(SECRET).isEqualTo(McpRunToken.of(SECRET, "/w/mod-E01", "mod/E01"));
    assertThat(McpRunToken.matches(SECRET, "/w/mod-E01", "mod/E01", token)).isTrue();
    assertThat(McpRunToken.matches(SECRET, "/w/mod-E02", "mod/E01", token)).isFalse();
    assertThat(McpRunToken.matches(SECRET, "/w/mod-E01", "mod/E02", token)).isFalse();
    assertThat(McpRunToken.matches("another secret, another orch...", "/w/mod-E01", "mod/E01", token)).isFalse();
    assertThat(McpRunToken.matches(SECRET, null, "mod/E01", token)).isFalse();
    assertThat(McpRunToken.matches(SECRET, "/w/mod-E01", "", token)).isFalse();
  }

  @Test
  void l11_the_separator_keeps_pairs_apart() {
    assertThat(McpRunToken.of(SECRET, "/w/a", "b/E01")).isNotEqualTo(McpRunToken.of(SECRET, "/w/ab", "/E01"));
  }
}
