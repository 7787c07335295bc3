package dev.orch.executor;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The agent processes a {@link RunSupervisor} starts, finds again after a restart, and ends. {@link OsProcesses} is the
 * operating system's; tests use fakes. {@link #spawn} and {@link #workingIn} block.
 */
interface AgentProcesses {

  /** One agent process, started by this orch or found again by its pid and start time. */
  interface AgentProcess {
    long pid();

    /** When the operating system says it started (epoch millis), recorded to recognise it after a restart. */
    long startedAt();

    boolean alive();

    /** Completes, on the supervisor's thread, when it ends: its exit code, or null when orch is not its parent. */
    Future<Integer> exit();

    /** Ends it and everything it started: politely (SIGTERM) first, or at once. */
    void kill(boolean force);
  }

  AgentProcess spawn(AgentLauncher.Launch launch);

  /** The process recorded as {@code pid} started at {@code startedAt}, if it is still alive and still that process. */
  Optional<AgentProcess> find(long pid, long startedAt);

  /** Live processes whose working directory is {@code dir} or inside it (an agent and the commands it runs). */
  List<AgentProcess> workingIn(Path dir);
}
