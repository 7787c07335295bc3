package dev.orch.executor;

import dev.orch.contract.TaskId;
import dev.orch.db.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;

/** Where one run's files live: {@code <log_dir>/<module>/<E05>/run-<id>.*}. */
public record RunFiles(Path dir, long runId) {

  public static RunFiles of(Path logDir, TaskId task, long runId) {
    return new RunFiles(logDir.resolve(task.module()).resolve(task.local()), runId);
  }

  /** The agent's stdout: one stream-json object per line. */
  public Path log() {
    return dir.resolve("run-" + runId + ".jsonl");
  }

  public Path stderr() {
    return dir.resolve("run-" + runId + ".stderr.log");
  }

  public Path prompt() {
    return dir.resolve("run-" + runId + ".prompt.md");
  }

  public Path mcpConfig() {
    return dir.resolve("run-" + runId + ".mcp.json");
  }

  public Path setupLog() {
    return dir.resolve("run-" + runId + ".setup.log");
  }

  void createDirectories() throws IOException {
    OwnerOnly.createDirectories(dir);
  }
}
