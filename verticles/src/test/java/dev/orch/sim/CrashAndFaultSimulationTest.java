package dev.orch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-and-fault simulation: a kill -9 after every persisted step of a whole plan, and seeded fault schedules,
 * each checked against the invariants. A failure names its schedule and how to replay it alone
 * ({@code -Dorch.sim.replay=SEED:KILL_AFTER:FAULTS}); {@code -Dorch.sim.seed=N} runs the whole set from another seed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashAndFaultSimulationTest {
  private static final long SEED = Long.getLong("orch.sim.seed", 20261129L);
  private static final int FAULT_SCHEDULES = Integer.getInteger("orch.sim.faultSchedules", 60);

  @TempDir
  Path tmp;

  private Simulation.Outcome run(Vertx vertx, Simulation.Schedule schedule) throws Exception {
    Path dir = Files.createTempDirectory(base(), "schedule");
    try {
      return Simulation.run(vertx, dir, schedule);
    } finally {
      deleteTree(dir);
    }
  }

  /** Memory-backed when the machine has it: the schedules write thousands of commits, each synced. */
  private Path base() throws java.io.IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      if (ramDir == null) {
        ramDir = Files.createTempDirectory(shm, "orch-sim");
      }
      return ramDir;
    }
    return tmp;
  }

  private Path ramDir;

  @org.junit.jupiter.api.AfterEach
  void removeRamDir() throws java.io.IOException {
    if (ramDir != null) {
      deleteTree(ramDir);
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The process's CPU time so far: the machine running this is often shared, so the wall time alone says little about
   * what the run costs.
   */
  private static long cpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  /**
   * The CPU time of the JIT compiler's threads (Linux; 0 elsewhere): a fixed cost of a fresh JVM, a quarter of this
   * run's CPU, that no change to the simulation moves.
   */
  private static long compilingMillis() {
    long ticks = 0;
    try (var threads = Files.list(Path.of("/proc/self/task"))) {
      for (Path thread : threads.toList()) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          if (stat.contains("(C1 CompilerThre") || stat.contains("(C2 CompilerThre")) {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
        } catch (java.io.IOException | RuntimeException e) {
          // A thread that ended meanwhile.
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return ticks * 10;
  }

  @Test
  void aKillAfterEveryPersistedStepAndSeededFaultsBreakNoInvariant() throws Exception {
    Vertx vertx = OnTheLoop.vertx();
    // orch's INFO lines (tens of thousands over the run) cost more than some steps; warnings and errors still show.
    ch.qos.logback.classic.Logger orch = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.orch");
    ch.qos.logback.classic.Level level = orch.getLevel();
    orch.setLevel(ch.qos.logback.classic.Level.WARN);
    try (AutoCloseable hermetic = World.withoutMachineConfig()) {
      runAll(vertx);
    } finally {
      orch.setLevel(level);
      vertx.close().await();
    }
  }

  private void runAll(Vertx vertx) throws Exception {
    long started = System.nanoTime();
    long cpuAtStart = cpuMillis();
    long compilingAtStart = compilingMillis();
    // Schedules are independent (each its own store, repository and clock): run a few at once.
    ExecutorService parallel = Executors.newFixedThreadPool(4);
    List<Future<Simulation.Outcome>> outcomes = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    int steps;
    try {
      // The fault schedules without a kill do not depend on the baseline's step count: they start while it runs.
      for (int i = 0; i < FAULT_SCHEDULES; i++) {
        Simulation.Schedule faulty = new Simulation.Schedule(SEED + 1 + i, 0, true);
        outcomes.add(parallel.submit(() -> run(vertx, faulty)));
      }
      Simulation.Outcome baseline = run(vertx, new Simulation.Schedule(SEED, 0, false));
      assertThat(baseline.violations()).as(baseline.schedule().toString()).isEmpty();
      assertThat(baseline.walked()).as("the plan walks a conflict, red checks fixed in a round and a flagged PR")
          .contains("fixing conflict", "fixing checks_failed", "flagged", "merged");
      steps = baseline.persistedSteps();
      assertThat(steps).as("persisted steps of the whole plan").isGreaterThan(20);

      List<Simulation.Schedule> schedules = new ArrayList<>();
      for (int k = 1; k <= steps; k++) {
        schedules.add(new Simulation.Schedule(SEED, k, false));
      }
      for (int i = 0; i < FAULT_SCHEDULES; i++) {
        long seed = SEED + 1 + i;
        // A kill somewhere in each faulty schedule.
        schedules.add(new Simulation.Schedule(seed, 1 + (int) Math.floorMod(seed * 31, steps), true));
      }
      for (Simulation.Schedule schedule : schedules) {
        outcomes.add(parallel.submit(() -> run(vertx, schedule)));
      }
      int refusedSomewhere = 0;
      for (Future<Simulation.Outcome> future : outcomes) {
        Simulation.Outcome outcome = future.get();
        Simulation.Schedule s = outcome.schedule();
        refusedSomewhere += outcome.walked().contains("refused by the model API") ? 1 : 0;
        String replay = "-Dtest=CrashAndFaultSimulationTest#replayOneSchedule -Dorch.sim.replay=" + s.seed() + ":"
            + s.killAfter() + ":" + s.faults();
        outcome.violations().forEach(v -> broken.add(s + " " + outcome.faults() + ": " + v + " (replay: " + replay + ")"));
      }
      assertThat(refusedSomewhere).as("fault schedules where the model API refused agents for a while").isPositive();
    } finally {
      parallel.shutdownNow();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf("crash-and-fault simulation: %d schedules (%d crash points, %d fault schedules with and without"
        + " a kill) in %d ms, %d ms of CPU (%d ms of it compiling)%n", outcomes.size() + 1, steps, 2 * FAULT_SCHEDULES,
        millis, cpuMillis() - cpuAtStart, compilingMillis() - compilingAtStart);
    assertThat(broken).as("invariants broken (each names how to replay its schedule)").isEmpty();
  }

  /** Replays one schedule: -Dorch.sim.replay=SEED:KILL_AFTER:FAULTS (for example 20261143:50:true). */
  @Test
  void replayOneSchedule() throws Exception {
    String replay = System.getProperty("orch.sim.replay");
    org.junit.jupiter.api.Assumptions.assumeTrue(replay != null, "no -Dorch.sim.replay given");
    String[] parts = replay.split(":");
    Vertx vertx = OnTheLoop.vertx();
    Simulation.Outcome outcome;
    try (AutoCloseable hermetic = World.withoutMachineConfig()) {
      outcome = run(vertx, new Simulation.Schedule(Long.parseLong(parts[0]), Integer.parseInt(parts[1]),
          Boolean.parseBoolean(parts[2])));
    } finally {
      vertx.close().await();
    }
    System.out.println(outcome);
    assertThat(outcome.violations()).isEmpty();
  }
}
