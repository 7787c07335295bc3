package dev.orch.launcher;

import dev.orch.config.ConfigException;
import dev.orch.config.OrchConfig;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The process that runs agents for a project ({@code orch run}, or {@code orch start} in the foreground): holds the
 * project's lock, runs every verticle, serves the API, and says where. Closing it stops the agents (their tasks start
 * again with the next orch) and releases the lock.
 */
final class Orchestrator implements AutoCloseable {
  private final OrchInstance instance;
  private final OrchSession session;
  private final String baseUrl;

  private Orchestrator(OrchInstance instance, OrchSession session, String baseUrl) {
    this.instance = instance;
    this.session = session;
    this.baseUrl = baseUrl;
  }

  static Orchestrator start(OrchConfig config, Wiring.Mode mode, Map<String, String> agentEnv) {
    String host = config.web().host();
    boolean loopback = List.of("127.0.0.1", "localhost", "::1").contains(host);
    if (!loopback && config.web().token().isBlank()) {
      throw new ConfigException(List.of("web.host is " + host + ", which other machines can reach: set web.token"
          + " (or ORCH_WEB__TOKEN) so the API requires it"));
    }
    if (config.web().requireToken() && config.web().token().isBlank()) {
      throw new ConfigException(List.of("web.require_token is on but web.token is empty: set web.token"
          + " (or ORCH_WEB__TOKEN)"));
    }
    // The CLI's key to /api/cmd, new each run and never web.token: a dashboard user gets no command API (M7).
    String token = randomToken();
    OrchInstance instance = OrchInstance.acquire(config.general().stateDir());
    OrchSession session = null;
    try {
      Wiring.McpAccess mcp = McpAccessFile.load(config.general().stateDir());
      session = OrchSession.inProcess(config, mode, agentEnv, mcp);
      if (session.mcpPort() > 0 && session.mcpPort() != mcp.port()) {
        McpAccessFile.save(config.general().stateDir(), new Wiring.McpAccess(session.mcpPort(), mcp.token()));
      }
      int port = session.await(Wiring.deployWeb(session.vertx(), config, token, session.metricsRegistry()));
      session.await(Wiring.deployShell(session.vertx(), config));
      instance.announce(host, port, token);
      return new Orchestrator(instance, session, "http://" + host + ":" + port);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      instance.close();
      throw e;
    }
  }

  OrchSession session() {
    return session;
  }

  /** Where the dashboard is. */
  String baseUrl() {
    return baseUrl;
  }

  String apiUrl() {
    return baseUrl + "/api";
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() {
    session.close();
    instance.close();
  }
}
