package dev.orch.contract;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failure codes every command handler answers with, so a caller (CLI, web, shell, MCP)
 * can tell a bad request from a passing fault without parsing messages.
 */
public enum ErrorCode {
  BAD_REQUEST(400, false),
  /** The sender could not prove who it is (an unsealed, stale or replayed message from the cluster). */
  FORBIDDEN(403, false),
  NOT_FOUND(404, false),
  CONFLICT(409, false),
  TRANSIENT(503, true),
  TERMINAL(500, false);

  private final int code;
  private final boolean retryable;

  ErrorCode(int code, boolean retryable) {
    this.code = code;
    this.retryable = retryable;
  }

  public int code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  /** Maps any failure a bus request can end with onto a code; timeouts and missing handlers are transient. */
  public static ErrorCode of(Throwable failure) {
    if (failure instanceof OrchException oe) {
      return oe.code();
    }
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.TIMEOUT || re.failureType() == ReplyFailure.NO_HANDLERS) {
        return TRANSIENT;
      }
      for (ErrorCode candidate : values()) {
        if (candidate.code == re.failureCode()) {
          return candidate;
        }
      }
    }
    return TERMINAL;
  }
}
