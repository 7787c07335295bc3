package dev.orch.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Several owners writing one SQLite file through their own pools, as orch's verticles do. */
@ExtendWith(VertxExtension.class)
class DatabaseTest {
  @TempDir
  Path tmp;

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void writesAfterATransactionAreCommittedAndVisibleToOtherOwners(Vertx vertx) throws Exception {
    Path file = tmp.resolve("orch.db");
    Pool a = await(Database.open(vertx, file));
    Pool b = await(Database.open(vertx, file));
    await(Database.migrate(a, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))));
    await(Database.migrate(b, "b", List.of(Database.Migration.of(1, "CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT)"))));
    await(a.preparedQuery("SELECT * FROM t WHERE id = ?").execute(Tuple.of(1)));
    await(b.preparedQuery("INSERT INTO u (v) VALUES (?)").execute(Tuple.of("x")));
    await(a.preparedQuery("INSERT INTO t (v) VALUES (?)").execute(Tuple.of("y")));
    assertThat(await(a.query("SELECT COUNT(*) AS n FROM u").execute()).iterator().next().getInteger("n")).isEqualTo(1);
    assertThat(await(b.query("SELECT COUNT(*) AS n FROM t").execute()).iterator().next().getInteger("n")).isEqualTo(1);
  }

  @Test
  void concurrentTransactionsFromTwoOwnersAllCommit(Vertx vertx) throws Exception {
    Path file = tmp.resolve("orch.db");
    Pool a = await(Database.open(vertx, file));
    Pool b = await(Database.open(vertx, file));
    await(Database.migrate(a, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))));
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Pool pool = i % 2 == 0 ? a : b;
      int n = i;
      writes.add(Database.inTransaction(pool, conn -> conn.preparedQuery("INSERT INTO t (v) VALUES (?)")
          .execute(Tuple.of("row " + n))));
    }
    await(Future.all(writes));
    assertThat(await(b.query("SELECT COUNT(*) AS n FROM t").execute()).iterator().next().getInteger("n")).isEqualTo(100);
  }

  @Test
  void aFailedTransactionRollsBackAndLeavesTheConnectionUsable(Vertx vertx) throws Exception {
    Pool a = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(a, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))));
    Future<Object> failed = Database.inTransaction(a, conn -> conn.query("INSERT INTO t (v) VALUES ('kept?')").execute()
        .compose(v -> Future.failedFuture(new IllegalStateException("boom"))));
    assertThat(failed.toCompletionStage().toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(10));
    await(a.query("INSERT INTO t (v) VALUES ('after')").execute());
    assertThat(await(a.query("SELECT v FROM t").execute()).iterator().next().getString("v")).isEqualTo("after");
  }
}
