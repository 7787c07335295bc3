package dev.orch.buildworker;

import dev.orch.contract.WireJson;

/** A build agent's slice of its config. */
public record BuildWorkerSettings(String workerId, String host, String gitCacheDir, String worktreeDir, boolean useNix,
    String serverName) {
  public BuildWorkerSettings {
    WireJson.require("worker_id", workerId);
    WireJson.require("git_cache_dir", gitCacheDir);
    WireJson.require("worktree_dir", worktreeDir);
    host = host == null ? "" : host;
    serverName = serverName == null ? "orch" : serverName;
  }
}
