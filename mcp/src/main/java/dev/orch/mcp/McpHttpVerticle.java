package dev.orch.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.McpRunToken;
import dev.orch.contract.WireJson;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The build tools over MCP's streamable HTTP transport, stateless: each POST to {@code /mcp} is one JSON-RPC message and
 * its answer is a JSON body. Requests need the bearer token; the caller's checkout comes in the {@code X-Orch-Worktree}
 * header (the executor writes it into each run's MCP config) and must lie inside the project or orch's worktree folder.
 */
public final class McpHttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(McpHttpVerticle.class);
  public static final String PATH = "/mcp";
  public static final String WORKTREE_HEADER = "X-Orch-Worktree";
  public static final String TASK_HEADER = "X-Orch-Task";
  private static final int MAX_BODY = 4 * 1024 * 1024;

  /** Where it listens, the token it wants, the folders a worktree may be in, and how build commands are chosen. */
  public record Settings(String host, int port, String token, List<String> worktreeRoots, String preset,
      Map<String, String> commands) {
    public Settings {
      WireJson.require("token", token);
      host = host == null || host.isBlank() ? "127.0.0.1" : host;
      worktreeRoots = WireJson.listOrEmpty(worktreeRoots);
      commands = commands == null ? Map.of() : commands;
    }
  }

  private final Settings settings;
  private HttpServer server;
  private McpStatelessSyncServer mcp;
  private final Transport transport = new Transport();
  private List<Path> roots;

  public McpHttpVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    BuildTools tools = new BuildTools(new BuildPoolClient(vertx), new BuildCommands(settings.preset(), settings.commands()));
    List<McpStatelessServerFeatures.SyncToolSpecification> specs = tools.tools().stream()
        .map(tool -> new McpStatelessServerFeatures.SyncToolSpecification(tool, (context, request) ->
            tools.call(request.name(), request.arguments(), (Path) context.get(BuildTools.WORKTREE_KEY),
                (String) context.get(BuildTools.TASK_KEY))))
        .toList();
    mcp = McpServer.sync(transport).jsonMapper(mapper).serverInfo("orch", version())
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .instructions("Build, test and lint your worktree on orch's build pool. Results include the exit code and the"
            + " output that matters; get_job_logs has the rest.")
        .tools(specs).build();
    transport.mapper = mapper;
    return vertx.executeBlocking(() -> settings.worktreeRoots().stream().map(McpHttpVerticle::realPath).toList(), false)
        .compose(resolved -> {
          roots = resolved;
          Router router = Router.router(vertx);
          router.post(PATH).handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::post);
          router.route(PATH).handler(ctx -> ctx.response().setStatusCode(405).putHeader("Allow", "POST").end());
          return vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
              .requestHandler(router).listen();
        }).onSuccess(started -> {
          server = started;
          LOG.info("MCP server on http://{}:{}{}", settings.host(), started.actualPort(), PATH);
        });
  }

  @Override
  public Future<?> stop() {
    if (mcp != null) {
      mcp.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void post(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (!authorised(ctx.request().getHeader("Authorization"), ctx.request().getHeader(WORKTREE_HEADER),
        ctx.request().getHeader(TASK_HEADER))) {
      response.setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end("a bearer token is required");
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !origin.matches("https?://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?")) {
      response.setStatusCode(403).end("requests from " + origin + " are not accepted");
      return;
    }
    McpStatelessServerHandler handler = transport.handler;
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(transport.mapper, ctx.body().asString());
    } catch (Exception e) {
      // JSON-RPC answers a message it cannot read with id null, which the SDK's response type does not allow.
      response.setStatusCode(400).putHeader("Content-Type", "application/json").end(new io.vertx.core.json.JsonObject()
          .put("jsonrpc", "2.0").putNull("id").put("error", new io.vertx.core.json.JsonObject()
              .put("code", McpSchema.ErrorCodes.PARSE_ERROR).put("message", "not a JSON-RPC message: " + e.getMessage()))
          .encode());
      return;
    }
    Map<String, Object> values = new HashMap<>();
    String worktreeHeader = ctx.request().getHeader(WORKTREE_HEADER);
    if (worktreeHeader != null && !worktreeHeader.isBlank()) {
      Optional<Path> worktree = allowedWorktree(worktreeHeader);
      if (worktree.isEmpty()) {
        response.setStatusCode(400).end(WORKTREE_HEADER + ": " + worktreeHeader
            + " is not a folder inside the project or orch's worktree folder");
        return;
      }
      values.put(BuildTools.WORKTREE_KEY, worktree.get());
    }
    String task = ctx.request().getHeader(TASK_HEADER);
    if (task != null && !task.isBlank()) {
      values.put(BuildTools.TASK_KEY, task);
    }
    McpTransportContext context = McpTransportContext.create(values);
    Context vertxContext = vertx.getOrCreateContext();
    if (message instanceof McpSchema.JSONRPCRequest request) {
      // Deferred so that even the handler's eager work (input validation, then the blocking tool) runs off the event loop.
      Mono.defer(() -> handler.handleRequest(context, request)).subscribeOn(Schedulers.boundedElastic()).subscribe(
          answer -> vertxContext.runOnContext(v -> respond(response, 200, answer)),
          failure -> vertxContext.runOnContext(v -> respond(response, 500, McpSchema.JSONRPCResponse.error(request.id(),
              new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR,
                  String.valueOf(failure.getMessage()))))));
    } else if (message instanceof McpSchema.JSONRPCNotification notification) {
      Mono.defer(() -> handler.handleNotification(context, notification)).subscribeOn(Schedulers.boundedElastic()).subscribe(
          null, failure -> vertxContext.runOnContext(v -> response.setStatusCode(500).end(String.valueOf(failure.getMessage()))),
          () -> vertxContext.runOnContext(v -> response.setStatusCode(202).end()));
    } else {
      response.setStatusCode(202).end();
    }
  }

  private void respond(HttpServerResponse response, int status, McpSchema.JSONRPCResponse answer) {
    if (response.ended() || response.closed()) {
      return;
    }
    try {
      response.setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(transport.mapper.writeValueAsString(answer));
    } catch (IOException e) {
      response.setStatusCode(500).end("cannot encode the answer: " + e.getMessage());
    }
  }

  /**
   * orch's own secret (kept owner-only in the state folder), or the token of one run, which is good only together with
   * that run's worktree and task headers.
   */
  private boolean authorised(String header, String worktree, String task) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    String presented = header.substring("Bearer ".length()).strip();
    return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
        settings.token().getBytes(StandardCharsets.UTF_8))
        || McpRunToken.matches(settings.token(), worktree, task, presented);
  }

  /** The worktree, when it is a folder under one of the allowed roots (after following links). */
  private Optional<Path> allowedWorktree(String header) {
    Path real;
    try {
      Path candidate = Path.of(header);
      if (!candidate.isAbsolute() || !Files.isDirectory(candidate)) {
        return Optional.empty();
      }
      real = candidate.toRealPath();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return roots.stream().anyMatch(real::startsWith) ? Optional.of(real) : Optional.empty();
  }

  private static Path realPath(String folder) {
    Path path = Path.of(folder).toAbsolutePath().normalize();
    try {
      return Files.exists(path) ? path.toRealPath() : path;
    } catch (IOException e) {
      return path;
    }
  }

  static String version() {
    String version = McpHttpVerticle.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** The SDK's side of the transport: it hands us its handler; Vert.x Web does the HTTP. */
  private static final class Transport implements McpStatelessServerTransport {
    volatile McpStatelessServerHandler handler;
    volatile McpJsonMapper mapper;

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
      this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.empty();
    }
  }
}
