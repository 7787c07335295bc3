package dev.orch.launcher;

import dev.orch.contract.TaskStatus;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;

/** Reads {@code --status in_progress} (and {@code in-progress}); a bad value lists the good ones. */
final class StatusConverter implements CommandLine.ITypeConverter<TaskStatus> {
  @Override
  public TaskStatus convert(String value) {
    try {
      return TaskStatus.fromWire(value);
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(TaskStatus.values()).map(TaskStatus::wire).iterator();
    }
  }
}
