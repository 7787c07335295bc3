package dev.orch.git;

/** A git command failed; the message holds the command and what git said. */
public final class GitException extends RuntimeException {
  private final int exitCode;
  private final String stderr;

  public GitException(String command, int exitCode, String stderr) {
    super("git " + command + " failed (exit " + exitCode + "): " + stderr.strip(), null, false, false);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }
}
