package dev.orch.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens orch's SQLite file through the Vert.x JDBC pool (WAL, busy timeout, foreign keys) and applies each
 * owner's schema migrations. Every owner of tables opens its own single-connection pool: SQLite has one writer
 * at a time, so each owner's writes are serialised in its pool and owners wait for each other through the busy
 * timeout (see docs/architecture.md).
 */
public final class Database {
  static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private Database() {
  }

  /** One ordered step of an owner's schema, one SQL statement per entry. */
  public record Migration(int version, List<String> statements) {
    public static Migration of(int version, String... statements) {
      return new Migration(version, List.of(statements));
    }
  }

  public static Future<Pool> open(Vertx vertx, Path file) {
    return vertx.executeBlocking(() -> {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return dataSource(file);
    }).map(ds -> JDBCPool.pool(vertx, ds, new PoolOptions().setMaxSize(1).setName("sqlite-" + file)));
  }

  static SQLiteDataSource dataSource(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.enforceForeignKeys(true);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }

  /**
   * Runs {@code work} in one SQLite write transaction, taken with {@code BEGIN IMMEDIATE} so it waits (busy timeout)
   * for the write lock up front instead of failing to upgrade a read snapshot later. Not {@code Pool.withTransaction}:
   * the JDBC client 5.0.7 leaves the pooled connection with autocommit off afterwards (vertx-jdbc-client#356), and
   * every later statement on it would then sit in a transaction nobody commits.
   */
  public static <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
        .compose(begun -> {
          Future<T> result;
          try {
            result = work.apply(conn);
          } catch (RuntimeException e) {
            result = Future.failedFuture(e);
          }
          return result.compose(
              value -> conn.query("COMMIT").execute().map(v -> value),
              failure -> conn.query("ROLLBACK").execute().transform(v -> Future.<T>failedFuture(failure)));
        }));
  }

  /** Applies the owner's migrations it has not applied yet, each in its own transaction. */
  public static Future<Void> migrate(Pool pool, String owner, List<Migration> migrations) {
    return pool.query("CREATE TABLE IF NOT EXISTS schema_migrations (owner TEXT NOT NULL, version INTEGER NOT NULL,"
            + " applied_at INTEGER NOT NULL, PRIMARY KEY (owner, version))").execute()
        .compose(v -> pool.preparedQuery("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations WHERE owner = ?")
            .execute(Tuple.of(owner)))
        .compose(rows -> {
          int current = rows.iterator().next().getInteger("v");
          Future<Void> chain = Future.succeededFuture();
          for (Migration migration : migrations) {
            if (migration.version() > current) {
              chain = chain.compose(v -> inTransaction(pool, conn -> apply(conn, owner, migration)));
            }
          }
          return chain;
        });
  }

  private static Future<Void> apply(SqlConnection conn, String owner, Migration migration) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : migration.statements()) {
      chain = chain.compose(v -> conn.query(statement).execute().mapEmpty());
    }
    return chain.compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (owner, version, applied_at) VALUES (?, ?, ?)")
        .execute(Tuple.of(owner, migration.version(), System.currentTimeMillis())).mapEmpty());
  }
}
