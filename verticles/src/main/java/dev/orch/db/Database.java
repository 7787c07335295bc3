package dev.orch.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

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

  /**
   * Opens the store, refusing one that lost its contents (see {@link #refuseLostStore}) or that SQLite cannot read,
   * with what to do about it; the folders it creates are owner-only and so is the file.
   */
  public static Future<Pool> open(Vertx vertx, Path file) {
    return open(vertx, file, UnaryOperator.identity());
  }

  /** The same, with the JDBC data source wrapped: the crash-and-fault simulation injects kill -9, busy and full here. */
  public static Future<Pool> open(Vertx vertx, Path file, UnaryOperator<DataSource> around) {
    Path absolute = file.toAbsolutePath();
    return vertx.executeBlocking(() -> {
      refuseLostStore(absolute);
      refuseForeignStore(absolute);
      OwnerOnly.createDirectories(absolute.getParent());
      createOwnerOnly(absolute);
      return around.apply(dataSource(absolute));
    }).map(ds -> JDBCPool.pool(vertx, ds, new PoolOptions().setMaxSize(1).setName("sqlite-" + absolute)))
        .compose(pool -> pool.query("SELECT count(*) FROM sqlite_master").execute()
            .<Pool>map(rows -> pool)
            .recover(failure -> pool.close().transform(v -> Future.failedFuture(unreadable(absolute, failure)))));
  }

  /** The copy {@link #backup} keeps beside the store. */
  public static Path backupOf(Path file) {
    return file.toAbsolutePath().resolveSibling(file.getFileName() + ".backup");
  }

  /**
   * Writes a consistent copy of the store beside it ({@code orch.db.backup}) and replaces the previous one in one
   * rename, so there is always a whole copy to restore from. {@code VACUUM INTO} reads a snapshot: writers go on.
   */
  public static Future<Path> backup(Vertx vertx, Path file) {
    Path absolute = file.toAbsolutePath();
    return vertx.executeBlocking(() -> {
      Path target = backupOf(absolute);
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      Files.deleteIfExists(partial);
      try (Connection connection = dataSource(absolute).getConnection();
          PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
        vacuum.setString(1, partial.toString());
        vacuum.execute();
      }
      OwnerOnly.restrictFile(partial);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    });
  }

  /**
   * A store that is missing or empty while its backup exists once held orch's runs and pull requests: starting
   * afresh would forget them and start every live task again, so orch stops and says how to recover instead.
   */
  static void refuseLostStore(Path file) throws IOException {
    boolean empty = !Files.exists(file) || Files.isRegularFile(file) && Files.size(file) == 0;
    Path backup = backupOf(file);
    if (empty && Files.isRegularFile(backup)) {
      throw new OrchException(ErrorCode.TERMINAL, file + " is " + (Files.exists(file) ? "empty" : "missing")
          + ", but orch's store had state: its backup " + backup + " is from "
          + Files.getLastModifiedTime(backup).toInstant().truncatedTo(ChronoUnit.SECONDS)
          + ". Nothing was changed. To restore it: cp '" + backup + "' '" + file + "'. To start afresh and forget"
          + " every task's runs and pull requests: delete both files.");
    }
  }

  /**
   * A database another program made (the reference orchestrator's, say, when a copied config points
   * {@code general.database_path} at it): orch must not add its tables to it or even switch its journal mode, so it
   * looks read-only first and stops, naming the key to change. orch's own stores hold its {@code schema_migrations}
   * table, with an {@code owner} column; an empty or new file is orch's to create.
   */
  static void refuseForeignStore(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return;
    }
    SQLiteConfig readOnly = new SQLiteConfig();
    readOnly.setReadOnly(true);
    readOnly.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    List<String> tables = new java.util.ArrayList<>();
    boolean ours;
    try (Connection connection = readOnly.createConnection("jdbc:sqlite:" + file);
        var names = connection.createStatement().executeQuery(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var ledger = connection.createStatement().executeQuery("PRAGMA table_info(schema_migrations)")) {
      while (names.next()) {
        tables.add(names.getString(1));
      }
      boolean hasOwner = false;
      while (ledger.next()) {
        hasOwner |= "owner".equals(ledger.getString("name"));
      }
      ours = tables.isEmpty() || hasOwner;
    } catch (java.sql.SQLException e) {
      // Not a database SQLite can read: open() names it with what to do.
      return;
    }
    if (!ours) {
      throw new OrchException(ErrorCode.TERMINAL, file + " is another program's database (its tables: "
          + String.join(", ", tables.subList(0, Math.min(8, tables.size()))) + (tables.size() > 8 ? ", ..." : "")
          + "); orch changed nothing and keeps its own store. Point general.database_path at a file of its own"
          + " (the default is .orch/orch.db in the project).");
    }
  }

  private static void createOwnerOnly(Path file) throws IOException {
    if (Files.exists(file)) {
      OwnerOnly.restrictFile(file);
      return;
    }
    try {
      // SQLite gives its -wal and -shm files the mode of the database file.
      Files.createFile(file, OwnerOnly.fileAttributes());
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // Another owner opened the store at the same moment.
    }
  }

  private static OrchException unreadable(Path file, Throwable failure) {
    SQLiteErrorCode code = sqliteCode(failure);
    if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT) {
      Path backup = backupOf(file);
      return new OrchException(ErrorCode.TERMINAL, file + " is not a usable SQLite database (" + code.name()
          + "); orch changed nothing. " + (Files.isRegularFile(backup)
          ? "Restore the last backup: cp '" + backup + "' '" + file + "', or move the file away to start afresh."
          : "Move it away to start afresh (its tasks are read again from the plan; runs and pull requests are"
          + " forgotten)."));
    }
    return new OrchException(ErrorCode.TERMINAL, "cannot open " + file + ": " + failure.getMessage());
  }

  /** A store that is busy past its timeout, locked, or out of disk: time heals it, so the caller may try again. */
  public static boolean passing(Throwable failure) {
    return switch (sqliteCode(failure)) {
      case SQLITE_BUSY, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED,
          SQLITE_LOCKED_SHAREDCACHE, SQLITE_FULL, SQLITE_IOERR -> true;
      default -> false;
    };
  }

  /** A row a unique index refused (by the error's code, not its wording). */
  public static boolean uniqueViolation(Throwable failure) {
    SQLiteErrorCode code = sqliteCode(failure);
    return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
  }

  private static SQLiteErrorCode sqliteCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException e) {
        return e.getResultCode();
      }
    }
    return SQLiteErrorCode.SQLITE_ERROR;
  }

  /**
   * {@code synchronous=NORMAL}: in WAL mode a commit survives a killed process (kill -9) without waiting for the disk,
   * which keeps an fsync off every step of a task's way to its agent. The writes orch acts on beyond the machine (a
   * merge, a run's final state) go through {@link #durably}, which makes that commit, and with it every commit before it
   * in the one write-ahead log, survive a power loss or an OS crash too.
   */
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
    return pool.withConnection(conn -> inTransaction(conn, work));
  }

  /**
   * Runs {@code write} on a connection whose commits reach the disk before they return ({@code synchronous=FULL}), for
   * a state of record that others act on beyond this machine; the connection goes back to the pool as it was.
   */
  public static <T> Future<T> durably(Pool pool, Function<SqlConnection, Future<T>> write) {
    return pool.withConnection(conn -> conn.query("PRAGMA synchronous = FULL").execute().compose(full -> {
      Future<T> written;
      try {
        written = write.apply(conn);
      } catch (RuntimeException e) {
        written = Future.failedFuture(e);
      }
      return written.eventually(() -> conn.query("PRAGMA synchronous = NORMAL").execute());
    }));
  }

  private static <T> Future<T> inTransaction(SqlConnection conn, Function<SqlConnection, Future<T>> work) {
    return conn.query("BEGIN IMMEDIATE").execute()
        .compose(begun -> {
          Future<T> result;
          try {
            result = work.apply(conn);
          } catch (RuntimeException e) {
            result = Future.failedFuture(e);
          }
          // A COMMIT can fail too (a full disk, a deferred constraint); SQLite then keeps the transaction open, and
          // the pool's only connection would refuse every later BEGIN. Roll it back and report the COMMIT's failure.
          return result.compose(
              value -> conn.query("COMMIT").execute().map(v -> value)
                  .recover(failure -> conn.query("ROLLBACK").execute().transform(v -> Future.<T>failedFuture(failure))),
              failure -> conn.query("ROLLBACK").execute().transform(v -> Future.<T>failedFuture(failure)));
        });
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
