package dev.orch.executor;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Agent processes of the operating system. A pid alone does not name a process (pids are reused), so a recorded
 * process is the pid plus its start time, and {@link #sameProcess} is the one place that compares them. Which
 * processes work in a folder is read from {@code /proc/<pid>/cwd}; elsewhere that answer is empty.
 */
final class OsProcesses implements AgentProcesses {
  /** Start times read back from the OS are rounded differently than the ones read at spawn; 2 s absorbs that. */
  static final long SAME_START_TOLERANCE_MILLIS = 2_000;

  private final AgentLauncher launcher;
  private final Executor owner;

  /** {@code owner} runs exit callbacks on the supervisor's thread (the verticle's context). */
  OsProcesses(AgentLauncher launcher, Executor owner) {
    this.launcher = launcher;
    this.owner = owner;
  }

  @Override
  public AgentProcess spawn(AgentLauncher.Launch launch) {
    Process process = launcher.start(launch);
    return new OsProcess(process.toHandle(), process.onExit().thenApply(Process::exitValue), owner);
  }

  @Override
  public Optional<AgentProcess> find(long pid, long startedAt) {
    if (pid <= 0) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).filter(h -> sameProcess(h, startedAt)).map(this::attached);
  }

  @Override
  public List<AgentProcess> workingIn(Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    Path proc = Path.of("/proc");
    List<AgentProcess> found = new ArrayList<>();
    // A folder that is not there has nobody working in it: a task's first launch skips reading every process's cwd.
    if (!Files.isDirectory(proc) || !Files.isDirectory(target)) {
      return found;
    }
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses().filter(h -> h.pid() != self).forEach(h -> {
      try {
        Path cwd = Files.readSymbolicLink(proc.resolve(Long.toString(h.pid())).resolve("cwd"));
        if (cwd.normalize().startsWith(target) && h.isAlive()) {
          found.add(attached(h));
        }
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        // Gone meanwhile, or another user's process: neither is an agent of ours.
      }
    });
    return found;
  }

  /** Whether {@code handle} is alive and is the process that started at {@code recordedStart} (epoch millis). */
  static boolean sameProcess(ProcessHandle handle, long recordedStart) {
    return handle.isAlive() && handle.info().startInstant()
        .map(i -> Math.abs(i.toEpochMilli() - recordedStart) < SAME_START_TOLERANCE_MILLIS).orElse(false);
  }

  private AgentProcess attached(ProcessHandle handle) {
    return new OsProcess(handle, handle.onExit().thenApply(h -> (Integer) null), owner);
  }

  private static final class OsProcess implements AgentProcess {
    private final ProcessHandle handle;
    private final long startedAt;
    private final Future<Integer> exit;

    OsProcess(ProcessHandle handle, CompletableFuture<Integer> onExit, Executor owner) {
      this.handle = handle;
      this.startedAt = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      Promise<Integer> ended = Promise.promise();
      onExit.whenComplete((code, failure) -> owner.execute(() -> ended.complete(failure == null ? code : null)));
      this.exit = ended.future();
    }

    @Override
    public long pid() {
      return handle.pid();
    }

    @Override
    public long startedAt() {
      return startedAt;
    }

    @Override
    public boolean alive() {
      return handle.isAlive();
    }

    @Override
    public Future<Integer> exit() {
      return exit;
    }

    @Override
    public void kill(boolean force) {
      handle.descendants().forEach(child -> {
        if (force) {
          child.destroyForcibly();
        } else {
          child.destroy();
        }
      });
      if (force) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    }
  }
}
