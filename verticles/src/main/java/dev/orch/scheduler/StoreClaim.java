package dev.orch.scheduler;

import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this project may use the store at {@code general.database_path}. A sync removes every task its plan does not
 * have, so a store another project uses is refused; a store whose recorded project folder is gone is taken over (the
 * project moved, its store with it).
 */
enum StoreClaim {
  /** Nobody claimed the store yet, or the recorded folder is gone: record this project. */
  RECORD,
  /** It is this project's store. */
  KEEP,
  /** Another project, still there, uses it. */
  REFUSE;

  static StoreClaim decide(Optional<Path> recorded, Path project, boolean recordedStillExists) {
    if (recorded.isEmpty()) {
      return RECORD;
    }
    if (recorded.get().toAbsolutePath().normalize().equals(project.toAbsolutePath().normalize())) {
      return KEEP;
    }
    return recordedStillExists ? REFUSE : RECORD;
  }

  static OrchException refusal(Path store, Path recorded, Path project) {
    return new OrchException(ErrorCode.TERMINAL, store + " holds the tasks of another project (" + recorded
        + "), not of " + project + "; sharing one store, each project's sync would mark the other's tasks removed."
        + " Set general.database_path to a file of this project's own (the default is .orch/orch.db in the project).");
  }
}
