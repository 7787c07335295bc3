package dev.orch.contract;

/** A failure that carries its {@link ErrorCode} across the bus and up to the user unchanged. */
public class OrchException extends RuntimeException {
  private final ErrorCode code;

  public OrchException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static OrchException badRequest(String message) {
    return new OrchException(ErrorCode.BAD_REQUEST, message);
  }

  public static OrchException notFound(String message) {
    return new OrchException(ErrorCode.NOT_FOUND, message);
  }

  public static OrchException forbidden(String message) {
    return new OrchException(ErrorCode.FORBIDDEN, message);
  }

  public static OrchException conflict(String message) {
    return new OrchException(ErrorCode.CONFLICT, message);
  }

  /** Something orch depends on is away or failing for now (a forge's 5xx, a peer not answering): try again later. */
  public static OrchException unavailable(String message) {
    return new OrchException(ErrorCode.TRANSIENT, message);
  }
}
