package dev.orch.launcher;

import dev.orch.db.OwnerOnly;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The token of orch's MCP endpoint and the port it last listened on, kept in the state folder (owner-only), so agents
 * still running after orch restarts keep reaching their build tools with the config they were started with.
 */
final class McpAccessFile {
  static final String FILE = "mcp.json";

  private McpAccessFile() {
  }

  static Wiring.McpAccess load(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      if (Files.isRegularFile(file)) {
        JsonObject saved = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        String token = saved.getString("token", "");
        if (token.length() >= 32) {
          return new Wiring.McpAccess(saved.getInteger("port", 0), token);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable or not JSON: start over with a new token
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    Wiring.McpAccess fresh = new Wiring.McpAccess(0, HexFormat.of().formatHex(bytes));
    save(stateDir, fresh);
    return fresh;
  }

  static void save(Path stateDir, Wiring.McpAccess access) {
    Path file = stateDir.resolve(FILE);
    try {
      OwnerOnly.createDirectories(stateDir);
      Path temp = stateDir.resolve(FILE + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(temp, OwnerOnly.fileAttributes());
      Files.writeString(temp, new JsonObject().put("port", access.port()).put("token", access.token()).encodePrettily(),
          StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
