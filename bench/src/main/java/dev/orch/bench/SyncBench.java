package dev.orch.bench;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.SyncReport;
import dev.orch.parser.ParserVerticle;
import dev.orch.parser.PlanReader;
import dev.orch.scheduler.SchedulerSettings;
import dev.orch.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * In-process timings of a plan tree (see bench/sync-bench.sh): the floor (reading every file's bytes), parse+resolve
 * alone (a fresh reader, then the same reader again with nothing changed), and a full sync into a fresh SQLite file
 * through the real verticles on the bus (parse + resolve + store), then a re-sync with nothing changed (same
 * verticles, so the parser may reuse what it read). Each iteration measures all of them side by side, so the two
 * ratios the targets are stated in (sync over floor, re-sync over sync) are taken per iteration, on the same machine
 * load, and reported as min/median/max. Each step is timed twice: wall clock, and the CPU time the whole process
 * spent (all threads, GC and JIT included), which other busy processes on a shared machine disturb much less.
 * Usage: SyncBench PROJECT_ROOT [iterations=5]
 */
public final class SyncBench {
  private SyncBench() {
  }

  /** One step's timings over the iterations. */
  private static final class Step {
    final String name;
    final List<Long> wall = new ArrayList<>();
    final List<Long> cpu = new ArrayList<>();

    Step(String name) {
      this.name = name;
    }

    <T> T time(boolean warmup, Callable<T> work) throws Exception {
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      T result = work.call();
      if (!warmup) {
        wall.add((System.nanoTime() - t0) / 1_000_000);
        cpu.add((cpuNanos() - cpu0) / 1_000_000);
      }
      return result;
    }

    double last(boolean cpuTime) {
      List<Long> values = cpuTime ? cpu : wall;
      return Math.max(1, values.get(values.size() - 1));
    }
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath();
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path plans = root.resolve("docs/plans");

    Step floor = new Step("floor: read every file (bytes only)");
    Step parse = new Step("parse + resolve (PlanReader, fresh)");
    Step reparse = new Step("parse + resolve again, same PlanReader, nothing changed");
    Step firstSync = new Step("sync into an empty store: parse + resolve + store, over the bus");
    Step resync = new Step("re-sync, nothing changed");
    List<Double> syncOverFloor = new ArrayList<>();
    List<Double> resyncOverSync = new ArrayList<>();
    List<Double> syncOverFloorCpu = new ArrayList<>();
    List<Double> resyncOverSyncCpu = new ArrayList<>();
    int tasks = 0;
    for (int i = 0; i < iterations + 1; i++) {
      boolean warmup = i == 0;
      long bytes = floor.time(warmup, () -> readAll(plans));
      PlanReader reader = new PlanReader(root, plans);
      PlanSnapshot snapshot = parse.time(warmup, reader::read);
      reparse.time(warmup, reader::read);
      tasks = snapshot.tasks().size();

      Path db = Files.createTempFile("orch-bench-", ".db");
      Files.delete(db);
      Vertx vertx = Vertx.vertx();
      try {
        var parser = new ParserVerticle.Settings(root.toString(), plans.toString(), false);
        var scheduler = SchedulerSettings.storeOnly(db);
        await(vertx.deployVerticle(new ParserVerticle(parser)));
        await(vertx.deployVerticle(new SchedulerVerticle(scheduler)));
        SchedulerClient client = new SchedulerClient(vertx);
        SyncReport report = firstSync.time(warmup, () -> await(client.sync()));
        if (report.inserted() != tasks) {
          throw new IllegalStateException("expected " + tasks + " inserts, got " + report.inserted());
        }
        SyncReport again = resync.time(warmup, () -> await(client.sync()));
        if (again.unchanged() != tasks) {
          throw new IllegalStateException("expected " + tasks + " unchanged, got " + again.unchanged());
        }
      } finally {
        await(vertx.close());
        try (Stream<Path> files = Files.list(db.getParent())) {
          files.filter(p -> p.getFileName().toString().startsWith(db.getFileName().toString())).forEach(p -> p.toFile().delete());
        }
      }
      if (warmup) {
        System.out.printf("plan: %d tasks, %.1f MB of markdown; %d timed iterations after one warm-up%n", tasks,
            bytes / 1024.0 / 1024.0, iterations);
      } else {
        syncOverFloor.add(firstSync.last(false) / floor.last(false));
        resyncOverSync.add(resync.last(false) / firstSync.last(false));
        syncOverFloorCpu.add(firstSync.last(true) / floor.last(true));
        resyncOverSyncCpu.add(resync.last(true) / firstSync.last(true));
      }
    }
    System.out.println("-- wall clock");
    for (Step step : List.of(floor, parse, reparse, firstSync, resync)) {
      print(step.name, step.wall);
    }
    printRatio("ratio: sync / floor, same iteration (target <= 10)", syncOverFloor);
    printRatio("ratio: re-sync / sync, same iteration (target < 1)", resyncOverSync);
    System.out.println("-- CPU time of the process (all threads)");
    for (Step step : List.of(floor, parse, reparse, firstSync, resync)) {
      print(step.name, step.cpu);
    }
    printRatio("ratio: sync / floor, CPU, same iteration", syncOverFloorCpu);
    printRatio("ratio: re-sync / sync, CPU, same iteration", resyncOverSyncCpu);
    System.exit(0);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long readAll(Path plans) throws IOException {
    long total = 0;
    try (Stream<Path> files = Files.walk(plans)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        total += Files.readAllBytes(p).length;
      }
    }
    return total;
  }

  private static void print(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf("%-66s min %5d ms  median %5d ms  max %5d ms%n", what, sorted.get(0), sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1));
  }

  private static void printRatio(String what, List<Double> ratios) {
    List<Double> sorted = new ArrayList<>(ratios);
    Collections.sort(sorted);
    System.out.printf("%-66s min %5.2f x   median %5.2f x   max %5.2f x%n", what, sorted.get(0),
        sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
