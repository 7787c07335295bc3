package dev.orch.executor;

import dev.orch.contract.OrchException;
import dev.orch.contract.TaskId;
import dev.orch.executor.AgentProcesses.AgentProcess;
import dev.orch.executor.RunRecords.StoredRun;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Removes worktrees (archiving their work first, {@link Worktrees#archiveAndRemove}), never one that a process still
 * works in: not while a run of its task is live here or in the store with its agent alive, and not while any process
 * has its working directory inside it (an agent orch lost track of, or a person's shell).
 */
final class WorktreeJanitor {
  /** What a cleanup removed (or would, in a dry run), what it saved, and what it left because something works there. */
  record Cleanup(boolean dryRun, List<String> removed, List<String> saved, List<String> busy) {
  }

  private final Worktrees worktrees;
  private final RunRecords store;
  private final AgentProcesses processes;
  private final Supplier<Set<TaskId>> followed;
  private final Host host;

  /** {@code followed}: the tasks whose run the supervisor is following or starting right now. */
  WorktreeJanitor(Worktrees worktrees, RunRecords store, AgentProcesses processes, Supplier<Set<TaskId>> followed,
      Host host) {
    this.worktrees = worktrees;
    this.store = store;
    this.processes = processes;
    this.followed = followed;
    this.host = host;
  }

  /** Archives and removes one task's worktree and branch; returns what was saved. */
  Future<List<String>> remove(TaskId task, String label) {
    if (followed.get().contains(task)) {
      return Future.failedFuture(OrchException.conflict(task + " has a live run; stop it first"));
    }
    // Checked and removed holding the repository, so another orch process cannot start work there in between.
    return store.live().compose(rows -> host.blocking(() -> worktrees.exclusively(() -> {
      String working = whoWorksIn(task, rows);
      if (working != null) {
        throw OrchException.conflict(task + "'s worktree is in use (" + working + "); stop it first");
      }
      return worktrees.archiveAndRemove(task, label);
    })));
  }

  /** Removes every worktree and orch branch whose task has no live run and none of {@code keep} (open pull requests). */
  Future<Cleanup> cleanup(boolean dryRun, Set<TaskId> keep) {
    Set<TaskId> kept = new HashSet<>(keep);
    kept.addAll(followed.get());
    return store.live().compose(rows -> {
      rows.forEach(r -> kept.add(r.view().taskId()));
      return host.blocking(() -> {
        List<String> removed = new ArrayList<>();
        List<String> saved = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        for (TaskId task : worktrees.tasksOnDisk()) {
          if (kept.contains(task)) {
            continue;
          }
          worktrees.exclusively(() -> {
            if (whoWorksIn(task, List.of()) != null) {
              busy.add(task.toString());
            } else {
              removed.add(task.toString());
              if (!dryRun) {
                saved.addAll(worktrees.archiveAndRemove(task, "cleanup"));
              }
            }
            return null;
          });
        }
        return new Cleanup(dryRun, removed, saved, busy);
      });
    });
  }

  /** Blocking: who still works in the task's worktree, in words, or null when nobody does. */
  private String whoWorksIn(TaskId task, List<StoredRun> liveRows) {
    for (StoredRun row : liveRows) {
      if (row.view().taskId().equals(task) && row.view().pid() > 0
          && processes.find(row.view().pid(), row.pidStartedAt()).isPresent()) {
        return "run " + row.view().runId() + "'s agent, pid " + row.view().pid();
      }
    }
    List<AgentProcess> inside = processes.workingIn(worktrees.pathOf(task));
    if (!inside.isEmpty()) {
      return "process " + String.join(", ", inside.stream().map(p -> Long.toString(p.pid())).toList()) + " works in "
          + worktrees.pathOf(task);
    }
    return null;
  }
}
