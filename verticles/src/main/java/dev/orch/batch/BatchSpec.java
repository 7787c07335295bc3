package dev.orch.batch;

import com.cronutils.model.time.ExecutionTime;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;

/** One {@code [[batch]]} of schedule.toml, checked. */
record BatchSpec(String name, String cron, ExecutionTime schedule, int maxTasks, Duration maxDuration,
    boolean notifyOnComplete, String module) {

  Optional<ZonedDateTime> nextAfter(ZonedDateTime time) {
    return schedule.nextExecution(time);
  }

  Optional<ZonedDateTime> lastAtOrBefore(ZonedDateTime time) {
    return schedule.isMatch(time) ? Optional.of(time) : schedule.lastExecution(time);
  }
}
