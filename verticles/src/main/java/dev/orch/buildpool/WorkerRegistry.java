package dev.orch.buildpool;

import dev.orch.contract.WorkerView;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentRegister;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The build agents this coordinator knows: their slots, the jobs it gave each, when each was last heard from. An
 * agent's free slots are the fewer of what this coordinator has not used and what the agent last reported (it may
 * serve other orchestrators too) minus the jobs sent since that report, so a burst of jobs never overbooks it. Not
 * thread-safe: one event loop owns it.
 */
public final class WorkerRegistry {
  /** An agent dropped from the registry, and the jobs it was running for this coordinator. */
  public record Gone(WorkerView view, List<Long> jobs) {
  }

  private static final class Worker {
    final String id;
    final String host;
    final int slots;
    final long connectedSince;
    final long registration;
    final Set<Long> running = new LinkedHashSet<>();
    long lastSeen;
    int reportedFree;
    int sentSinceReport;

    Worker(AgentRegister hello, long connectedSince, long registration, long now) {
      this.id = hello.workerId();
      this.host = hello.host() == null ? "?" : hello.host();
      this.slots = hello.slots();
      this.connectedSince = connectedSince;
      this.registration = registration;
      this.lastSeen = now;
    }

    int free() {
      return Math.min(slots - running.size(), reportedFree - sentSinceReport);
    }

    void reported(int free) {
      reportedFree = free;
      sentSinceReport = 0;
    }
  }

  private final Clock clock;
  private final long timeoutMillis;
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private long registrations;

  public WorkerRegistry(Clock clock, Duration heartbeatTimeout) {
    this.clock = clock;
    this.timeoutMillis = heartbeatTimeout.toMillis();
  }

  /** Takes an agent in; one that registers again keeps the jobs it was given and when it first connected. */
  public WorkerView register(AgentRegister hello) {
    long now = clock.millis();
    Worker old = workers.get(hello.workerId());
    Worker worker = new Worker(hello, old != null ? old.connectedSince : now, ++registrations, now);
    if (old != null) {
      worker.running.addAll(old.running);
    }
    worker.reported(hello.freeSlotsOrAll());
    workers.put(worker.id, worker);
    return view(worker, now);
  }

  /** False for an agent this coordinator does not know (it restarted, or dropped the agent): it must register again. */
  public boolean heartbeat(AgentHeartbeat beat) {
    Worker worker = workers.get(beat.workerId());
    if (worker == null) {
      return false;
    }
    worker.lastSeen = clock.millis();
    if (beat.freeSlots() != null) {
      worker.reported(beat.freeSlots());
    }
    return true;
  }

  /** The live agent with the most free slots, if any has one. */
  public Optional<String> withMostFreeSlots() {
    long now = clock.millis();
    return workers.values().stream().filter(w -> alive(w, now) && w.free() > 0).max(Comparator.comparingInt(Worker::free))
        .map(w -> w.id);
  }

  public boolean anyAlive() {
    long now = clock.millis();
    return workers.values().stream().anyMatch(w -> alive(w, now));
  }

  /** A job was given to the agent: one slot fewer until it ends or the agent reports again. */
  public void assign(String workerId, long jobId) {
    Worker worker = workers.get(workerId);
    if (worker != null && worker.running.add(jobId)) {
      worker.sentSinceReport++;
    }
  }

  public void release(String workerId, long jobId) {
    Worker worker = workers.get(workerId);
    if (worker != null) {
      worker.running.remove(jobId);
    }
  }

  public boolean knows(String workerId) {
    return workers.containsKey(workerId);
  }

  /** Which registration of the agent is current (0: none), so a late answer to an old one changes nothing. */
  public long registration(String workerId) {
    Worker worker = workers.get(workerId);
    return worker == null ? 0 : worker.registration;
  }

  /** The agents that missed their heartbeats for the whole timeout. */
  public List<String> expired() {
    long now = clock.millis();
    return workers.values().stream().filter(w -> !alive(w, now)).map(w -> w.id).toList();
  }

  /** Every agent known, alive or not (yet) dropped. */
  public List<String> ids() {
    return List.copyOf(workers.keySet());
  }

  /** Forgets the agent; its view shows it dead, and its jobs are the caller's to put back in the queue. */
  public Optional<Gone> drop(String workerId) {
    Worker worker = workers.remove(workerId);
    if (worker == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    worker.lastSeen = Math.min(worker.lastSeen, now - timeoutMillis);
    return Optional.of(new Gone(view(worker, now), List.copyOf(worker.running)));
  }

  /** How long since the agent was last heard from, in seconds. */
  public long silentSecs(String workerId) {
    Worker worker = workers.get(workerId);
    return worker == null ? 0 : (clock.millis() - worker.lastSeen) / 1000;
  }

  public List<WorkerView> views() {
    long now = clock.millis();
    List<WorkerView> views = new ArrayList<>();
    workers.values().forEach(w -> views.add(view(w, now)));
    return views;
  }

  private boolean alive(Worker worker, long now) {
    return now - worker.lastSeen < timeoutMillis;
  }

  private WorkerView view(Worker worker, long now) {
    return new WorkerView(worker.id, worker.host, worker.slots, List.copyOf(worker.running), worker.connectedSince,
        worker.lastSeen, alive(worker, now));
  }
}
