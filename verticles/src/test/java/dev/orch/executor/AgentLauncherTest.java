package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.process.ChildEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a real agent process is started with. */
class AgentLauncherTest {
  @TempDir
  Path tmp;

  /** The environment a launched agent saw, given what the project's environment already holds. */
  private List<String> environmentOfAnAgentStartedWith(Map<String, String> inherited) throws Exception {
    Path agent = tmp.resolve("agent.sh");
    Files.writeString(agent, "#!/bin/sh\nenv > \"$(dirname \"$0\")/env.txt\"\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwx------"));
    Path worktree = Files.createDirectories(tmp.resolve("worktree"));
    Path prompt = Files.writeString(tmp.resolve("prompt.md"), "hello\n");
    AgentLauncher launcher = new AgentLauncher(new AgentLauncher.Settings(agent.toString(), List.of(), "m", 1234, 1,
        "default", List.of()), ChildEnvironment.allowListOnly(), inherited);

    Process process = launcher.start(new AgentLauncher.Launch(worktree, prompt, tmp.resolve("run.jsonl"),
        tmp.resolve("run.stderr"), tmp.resolve("mcp.json"), "session", false, true));

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return Files.readAllLines(tmp.resolve("env.txt"));
  }

  @Test
  void claudeMaxTokensReachesTheAgentAsTheCliOutputTokenLimitOverAnInheritedOne() throws Exception {
    assertThat(environmentOfAnAgentStartedWith(Map.of(AgentLauncher.MAX_OUTPUT_TOKENS, "99")))
        .contains("CLAUDE_CODE_MAX_OUTPUT_TOKENS=1234", "CLAUDE_CODE_MAX_RETRIES=" + AgentLauncher.API_RETRIES);
  }

  @Test
  void theCliRetriesARefusedRequestOnlyBrieflyUnlessTheProjectSaysOtherwise() throws Exception {
    assertThat(environmentOfAnAgentStartedWith(Map.of(AgentLauncher.MAX_RETRIES, "0")))
        .contains("CLAUDE_CODE_MAX_RETRIES=0");
  }
}
