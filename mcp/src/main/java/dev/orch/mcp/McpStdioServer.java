package dev.orch.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The build tools over stdio, the way Claude Code launches an MCP server: JSON-RPC on stdin and stdout, one client, for
 * the worktree the server was started in. Nothing else may write to stdout while it runs.
 */
public final class McpStdioServer {
  private McpStdioServer() {
  }

  /** Starts serving; the returned server runs until stdin ends (then {@link McpSyncServer#close()}). */
  public static McpSyncServer start(BuildTools tools, Path worktree, String taskId, InputStream in, OutputStream out) {
    McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    List<McpServerFeatures.SyncToolSpecification> specs = tools.tools().stream()
        .map(tool -> new McpServerFeatures.SyncToolSpecification(tool,
            (exchange, request) -> tools.call(request.name(), request.arguments(), worktree, taskId)))
        .toList();
    return McpServer.sync(new StdioServerTransportProvider(mapper, in, out)).jsonMapper(mapper)
        .serverInfo("orch", McpHttpVerticle.version())
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(specs).build();
  }
}
