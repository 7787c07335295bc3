package dev.orch.bench;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.SyncReport;
import dev.orch.parser.ParserVerticle;
import dev.orch.parser.PlanReader;
import dev.orch.scheduler.SchedulerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * In-process timings of a plan tree (see bench/sync-bench.sh): the floor (reading every file's bytes), parse+resolve
 * alone, and a full sync into a fresh SQLite file through the real verticles on the bus (parse + resolve + store),
 * then a re-sync with nothing changed (same verticles, so the parser may reuse what it read). Each iteration measures all
 * four side by side, so the two ratios the targets are stated in (sync over floor, re-sync over sync) are taken per
 * iteration, on the same machine load, and reported as min/median/max. Usage: SyncBench PROJECT_ROOT [iterations=5]
 */
public final class SyncBench {
  private SyncBench() {
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath();
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path plans = root.resolve("docs/plans");

    List<Long> floor = new ArrayList<>();
    List<Long> parse = new ArrayList<>();
    List<Long> firstSync = new ArrayList<>();
    List<Long> resync = new ArrayList<>();
    List<Double> syncOverFloor = new ArrayList<>();
    List<Double> resyncOverSync = new ArrayList<>();
    int tasks = 0;
    for (int i = 0; i < iterations + 1; i++) {
      boolean warmup = i == 0;
      long t0 = System.nanoTime();
      long bytes = readAll(plans);
      record(floor, t0, warmup);

      t0 = System.nanoTime();
      PlanSnapshot snapshot = new PlanReader(root, plans).read();
      record(parse, t0, warmup);
      tasks = snapshot.tasks().size();

      Path db = Files.createTempFile("orch-bench-", ".db");
      Files.delete(db);
      Vertx vertx = Vertx.vertx();
      try {
        var parser = new ParserVerticle.Settings(root.toString(), plans.toString(), false);
        var scheduler = SchedulerVerticle.Settings.storeOnly(db.toString());
        await(vertx.deployVerticle(new ParserVerticle(), new DeploymentOptions().setConfig(parser.toJson())));
        await(vertx.deployVerticle(new SchedulerVerticle(), new DeploymentOptions().setConfig(scheduler.toJson())));
        SchedulerClient client = new SchedulerClient(vertx);
        t0 = System.nanoTime();
        SyncReport report = await(client.sync());
        record(firstSync, t0, warmup);
        if (report.inserted() != tasks) {
          throw new IllegalStateException("expected " + tasks + " inserts, got " + report.inserted());
        }
        t0 = System.nanoTime();
        SyncReport again = await(client.sync());
        record(resync, t0, warmup);
        if (again.unchanged() != tasks) {
          throw new IllegalStateException("expected " + tasks + " unchanged, got " + again.unchanged());
        }
      } finally {
        await(vertx.close());
        try (Stream<Path> files = Files.list(db.getParent())) {
          files.filter(p -> p.getFileName().toString().startsWith(db.getFileName().toString())).forEach(p -> p.toFile().delete());
        }
      }
      if (!warmup) {
        int last = floor.size() - 1;
        syncOverFloor.add((double) firstSync.get(last) / Math.max(1, floor.get(last)));
        resyncOverSync.add((double) resync.get(last) / Math.max(1, firstSync.get(last)));
      }
      if (warmup) {
        System.out.printf("plan: %d tasks, %.1f MB of markdown; %d timed iterations after one warm-up%n", tasks,
            bytes / 1024.0 / 1024.0, iterations);
      }
    }
    print("floor: read every file (bytes only)", floor);
    print("parse + resolve (PlanReader)", parse);
    print("sync into an empty store: parse + resolve + store, over the bus", firstSync);
    print("re-sync, nothing changed", resync);
    printRatio("ratio: sync / floor, same iteration (target <= 10)", syncOverFloor);
    printRatio("ratio: re-sync / sync, same iteration (target < 1)", resyncOverSync);
    System.exit(0);
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

  private static void record(List<Long> into, long startNanos, boolean warmup) {
    if (!warmup) {
      into.add((System.nanoTime() - startNanos) / 1_000_000);
    }
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
