package dev.orch.buildworker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** One agent's job slots, shared by every orchestrator it serves: a job on one leaves one fewer for the others. */
public final class SlotPool {
  private final int size;
  private final AtomicInteger used = new AtomicInteger();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public SlotPool(int size) {
    this.size = size;
  }

  public int size() {
    return size;
  }

  public int free() {
    return size - used.get();
  }

  /** Called (on the thread that took or gave back a slot) whenever the number of free slots changes. */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }

  void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  boolean tryAcquire() {
    while (true) {
      int current = used.get();
      if (current >= size) {
        return false;
      }
      if (used.compareAndSet(current, current + 1)) {
        listeners.forEach(Runnable::run);
        return true;
      }
    }
  }

  void release() {
    used.decrementAndGet();
    listeners.forEach(Runnable::run);
  }
}
