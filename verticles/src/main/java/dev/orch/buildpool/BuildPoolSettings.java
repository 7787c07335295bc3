package dev.orch.buildpool;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.process.ChildEnvironment;
import java.nio.file.Path;

/**
 * The build pool's slice of the config, the [build_pool] section in the units the coordinator works in (bytes, the
 * jobs' log folder, the host agents fetch from). Without {@code orchestrate} it only answers questions (a CLI
 * process): it runs no job and serves no git daemon. A job's timeout is at most {@code maxJobSecs}, its kept output
 * at most {@code maxJobOutputBytes}, and all jobs' kept output at most {@code keepJobsBytes}.
 */
public record BuildPoolSettings(String projectRoot, String databasePath, String logDir, boolean localFallback,
    int localMaxJobs, String localWorktreeDir, int defaultTimeoutSecs, int heartbeatIntervalSecs,
    int heartbeatTimeoutSecs, int keepJobs, boolean gitDaemon, String gitDaemonHost, int gitDaemonPort,
    String advertiseHost, boolean orchestrate, ChildEnvironment jobEnv, int maxJobSecs, long maxJobOutputBytes,
    long keepJobsBytes) {
  public BuildPoolSettings {
    OrchConfig.required("general.project_root", projectRoot);
    OrchConfig.required("general.database_path", databasePath);
    OrchConfig.required("general.log_dir", logDir);
    OrchConfig.positive("build_pool.local_fallback.max_jobs", localMaxJobs);
    OrchConfig.positive("build_pool.timeouts.job_default_secs", defaultTimeoutSecs);
    OrchConfig.positive("build_pool.timeouts.heartbeat_interval_secs", heartbeatIntervalSecs);
    OrchConfig.positive("build_pool.timeouts.heartbeat_timeout_secs", heartbeatTimeoutSecs);
    OrchConfig.positive("build_pool.keep_jobs", keepJobs);
    OrchConfig.required("executor.env", jobEnv);
    OrchConfig.positive("build_pool.timeouts.job_max_secs", maxJobSecs);
    OrchConfig.positive("build_pool.max_job_output_mib", maxJobOutputBytes);
    OrchConfig.positive("build_pool.keep_jobs_mib", keepJobsBytes);
  }

  /** {@code pool}: this process coordinates the pool (runs jobs, serves the git daemon). */
  public static BuildPoolSettings from(OrchConfig config, boolean pool) {
    var g = config.general();
    var bp = config.buildPool();
    var cluster = bp.cluster();
    return new BuildPoolSettings(g.projectRoot().toString(), g.databasePath().toString(),
        g.logDir().resolve("build-jobs").toString(), bp.localFallback().enabled(), bp.localFallback().maxJobs(),
        bp.localFallback().worktreeDir().toString(), bp.timeouts().jobDefaultSecs(), bp.timeouts().heartbeatIntervalSecs(),
        bp.timeouts().heartbeatTimeoutSecs(), bp.keepJobs(), bp.enabled(), bp.gitDaemonListenAddr(), bp.gitDaemonPort(),
        cluster.advertiseHost().isBlank() ? cluster.host() : cluster.advertiseHost(), pool, config.childEnvironment(),
        bp.timeouts().jobMaxSecs(), (long) bp.maxJobOutputMib() << 20, (long) bp.keepJobsMib() << 20);
  }

  /** Local jobs get the allow-listed environment alone; the ceilings are the schema's defaults. */
  public BuildPoolSettings(String projectRoot, String databasePath, String logDir, boolean localFallback,
      int localMaxJobs, String localWorktreeDir, int defaultTimeoutSecs, int heartbeatIntervalSecs,
      int heartbeatTimeoutSecs, int keepJobs, boolean gitDaemon, String gitDaemonHost, int gitDaemonPort,
      String advertiseHost, boolean orchestrate) {
    this(projectRoot, databasePath, logDir, localFallback, localMaxJobs, localWorktreeDir, defaultTimeoutSecs,
        heartbeatIntervalSecs, heartbeatTimeoutSecs, keepJobs, gitDaemon, gitDaemonHost, gitDaemonPort, advertiseHost,
        orchestrate, ChildEnvironment.allowListOnly(), defaults(projectRoot).timeouts().jobMaxSecs(),
        (long) defaults(projectRoot).maxJobOutputMib() << 20, (long) defaults(projectRoot).keepJobsMib() << 20);
  }

  private static OrchConfig.BuildPool defaults(String projectRoot) {
    return ConfigLoader.defaults(Path.of(projectRoot)).buildPool();
  }
}
