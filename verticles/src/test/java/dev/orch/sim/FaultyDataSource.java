package dev.orch.sim;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * orch's real SQLite data source, with every statement passed through {@link StoreFaults} first and every persisted
 * step reported to it after. A step is persisted when a write returns outside a transaction, or when COMMIT returns.
 */
final class FaultyDataSource implements DataSource {
  private final DataSource real;
  private final StoreFaults faults;

  FaultyDataSource(DataSource real, StoreFaults faults) {
    this.real = real;
    this.faults = faults;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connection(real.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return connection(real.getConnection(username, password));
  }

  private Connection connection(Connection target) {
    boolean[] inTransaction = {false};
    InvocationHandler handler = (proxy, method, args) -> {
      String name = method.getName();
      if (name.equals("commit")) {
        faults.before("COMMIT", true);
        Object result = invoke(method, target, args);
        faults.persistedStep();
        return result;
      }
      Object result = invoke(method, target, args);
      if (result instanceof PreparedStatement statement && args != null && args[0] instanceof String sql) {
        return statement(statement, PreparedStatement.class, sql, inTransaction, target);
      }
      if (result instanceof Statement statement) {
        return statement(statement, Statement.class, null, inTransaction, target);
      }
      return result;
    };
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private Object statement(Statement target, Class<?> type, String prepared, boolean[] inTransaction,
      Connection connection) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (!method.getName().startsWith("execute")) {
        return invoke(method, target, args);
      }
      String sql = (prepared != null ? prepared : args != null && args.length > 0 && args[0] instanceof String s ? s : "")
          .strip().toUpperCase(Locale.ROOT);
      boolean write = !sql.startsWith("SELECT") && !sql.startsWith("PRAGMA");
      faults.before(sql, write);
      Object result = invoke(method, target, args);
      if (sql.startsWith("BEGIN")) {
        inTransaction[0] = true;
      } else if (sql.startsWith("COMMIT") || sql.startsWith("END")) {
        inTransaction[0] = false;
        faults.persistedStep();
      } else if (sql.startsWith("ROLLBACK")) {
        inTransaction[0] = false;
      } else if (write && !inTransaction[0] && connection.getAutoCommit()) {
        faults.persistedStep();
      }
      return result;
    };
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
