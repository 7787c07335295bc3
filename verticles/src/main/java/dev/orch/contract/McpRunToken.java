package dev.orch.contract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer token one agent run gets for orch's MCP endpoint: an HMAC of orch's MCP secret over the run's worktree
 * and task. An agent never holds the secret itself, so a token it leaks (to a program squatting the endpoint's port
 * after orch died, or through a prompt-injected tool call) opens the build tools for its own worktree and nothing
 * else, and no agent can ask for builds in another task's worktree. Derived, not stored: agents that outlive a restart
 * keep working, because the secret persists with the port.
 */
public final class McpRunToken {
  private static final String ALGORITHM = "HmacSHA256";

  private McpRunToken() {
  }

  public static String of(String secret, String worktree, String taskId) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      // The NUL cannot occur in a path or a task id, so no two (worktree, task) pairs share an input.
      return HexFormat.of().formatHex(mac.doFinal((worktree + '\0' + taskId).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }

  /** Whether {@code presented} is the token of this worktree and task, compared in constant time. */
  public static boolean matches(String secret, String worktree, String taskId, String presented) {
    if (worktree == null || worktree.isEmpty() || taskId == null || taskId.isEmpty() || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(of(secret, worktree, taskId).getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }
}
