package dev.orch.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import dev.orch.contract.OrchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
  void l12_aStateOfRecordIsCommittedWithFullSyncAndTheConnectionGoesBackToNormal(Vertx vertx) throws Exception {
    Pool pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))));
    assertThat(synchronous(pool)).as("NORMAL: safe against kill -9 without an fsync per commit").isEqualTo(1);
    int during = await(Database.durably(pool, conn -> conn.preparedQuery("INSERT INTO t (v) VALUES (?)")
        .execute(Tuple.of("merged"))
        .compose(v -> conn.query("PRAGMA synchronous").execute())
        .map(rows -> rows.iterator().next().getInteger(0))));
    assertThat(during).as("FULL while the state of record is written").isEqualTo(2);
    assertThat(synchronous(pool)).isEqualTo(1);

    Future<Object> failed = Database.durably(pool, conn -> Future.failedFuture(new IllegalStateException("disk full")));
    assertThat(failed.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30));
    assertThat(synchronous(pool)).as("back to NORMAL after a failed write as well").isEqualTo(1);
    assertThat(await(pool.query("SELECT COUNT(*) AS n FROM t").execute()).iterator().next().getInteger("n")).isEqualTo(1);
  }

  private static int synchronous(Pool pool) throws Exception {
    return await(pool.query("PRAGMA synchronous").execute()).iterator().next().getInteger(0);
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

  /** M2: a COMMIT that fails (here a deferred constraint, as a full disk would) is rolled back; the store goes on. */
  @Test
  void m2_a_failed_commit_is_rolled_back_and_the_next_transaction_works(Vertx vertx) throws Exception {
    Pool a = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(a, "a", List.of(Database.Migration.of(1, "CREATE TABLE p (id INTEGER PRIMARY KEY)",
        "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"))));
    await(a.query("PRAGMA foreign_keys = ON").execute());
    Future<Object> failed = Database.inTransaction(a, conn -> conn.query("INSERT INTO c (p) VALUES (42)").execute()
        .map(v -> (Object) "inserted"));
    assertThat(failed.toCompletionStage().toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("FOREIGN KEY");

    String next = await(Database.inTransaction(a, conn -> conn.query("INSERT INTO p (id) VALUES (42)").execute()
        .compose(v -> conn.query("INSERT INTO c (p) VALUES (42)").execute()).map(v -> "committed")));
    assertThat(next).isEqualTo("committed");
    assertThat(await(a.query("SELECT count(*) AS n FROM c").execute()).iterator().next().getInteger("n")).isEqualTo(1);
  }

  /** Another program's database at general.database_path is refused and left byte for byte as it was. */
  @Test
  void a_foreign_database_is_refused_naming_the_key_and_left_unchanged(Vertx vertx) throws Exception {
    Path file = tmp.resolve("orchestrator.db");
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE tasks (id TEXT PRIMARY KEY, status TEXT)");
      statement.execute("CREATE TABLE schema_migrations (version INTEGER, dirty INTEGER)");
      statement.execute("INSERT INTO tasks VALUES ('a/E01', 'pending')");
    }
    byte[] before = Files.readAllBytes(file);

    assertThat(Database.open(vertx, file).toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(10)).withThrowableThat()
        .withMessageContaining("another program's database").withMessageContaining("schema_migrations, tasks")
        .withMessageContaining("general.database_path");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(tmp.resolve("orchestrator.db-wal")).doesNotExist();

    Pool ours = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(ours, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY)"))));
    await(ours.close());
    Pool again = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(again.close());
  }

  @Test
  void l7_anEmptiedStoreWithABackupIsRefusedAndLeftAsItWas(Vertx vertx) throws Exception {
    Path file = tmp.resolve("state/orch.db");
    Pool pool = await(Database.open(vertx, file));
    await(Database.migrate(pool, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))));
    await(pool.query("INSERT INTO t (v) VALUES ('run 1')").execute());
    Path backup = await(Database.backup(vertx, file));
    await(pool.close());
    Files.write(file, new byte[0]);

    assertThat(Database.open(vertx, file).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingRootCause()
        .isInstanceOf(OrchException.class)
        .withMessageContaining(file + " is empty").withMessageContaining("cp '" + backup + "' '" + file + "'");
    assertThat(Files.size(file)).isZero();

    Files.delete(file);
    assertThat(Database.open(vertx, file).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingRootCause().withMessageContaining(file + " is missing");
    assertThat(file).doesNotExist();

    Files.copy(backup, file);
    Pool restored = await(Database.open(vertx, file));
    assertThat(await(restored.query("SELECT v FROM t").execute()).iterator().next().getString("v")).isEqualTo("run 1");
  }

  @Test
  void l7_anEmptyFileWithoutAnyBackupIsANewStore(Vertx vertx) throws Exception {
    Path file = Files.createFile(tmp.resolve("orch.db"));
    Pool pool = await(Database.open(vertx, file));
    await(Database.migrate(pool, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY)"))));
  }

  @Test
  void l7_aFileThatIsNotADatabaseIsRefusedWithWhatToDo(Vertx vertx) throws Exception {
    Path file = Files.writeString(tmp.resolve("orch.db"), "garbage that is not a database header, long enough".repeat(40));
    assertThat(Database.open(vertx, file).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingRootCause().isInstanceOf(OrchException.class)
        .withMessageContaining("is not a usable SQLite database (SQLITE_NOTADB)").withMessageContaining("Move it away");
    assertThat(Files.readString(file)).startsWith("garbage");
  }

  @Test
  void l2_theStoreItsFolderAndItsBackupAreOwnerOnly(Vertx vertx) throws Exception {
    Path file = tmp.resolve("fresh/state/orch.db");
    Pool pool = await(Database.open(vertx, file));
    await(Database.migrate(pool, "a", List.of(Database.Migration.of(1, "CREATE TABLE t (id INTEGER PRIMARY KEY)"))));
    Path backup = await(Database.backup(vertx, file));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.resolveSibling("orch.db-wal"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("fresh")))).isEqualTo("rwx------");
  }
}
