package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;

/**
 * The acknowledgements of the protocol. Nobody acts on their content (a failed request is what matters), so they are
 * sent as records and never parsed strictly.
 */
public final class AgentReply {
  private AgentReply() {
  }

  /** To a heartbeat or a leave. */
  public record Ok(boolean ok) implements BusMessage {
    public static final Ok YES = new Ok(true);
  }

  /** To worker-output, worker-done and run: false when the job is not (or no longer) the sender's. */
  public record Accepted(boolean accepted) implements BusMessage {
  }

  /** To a cancel: whether the agent was running the job. */
  public record Cancelled(boolean cancelled) implements BusMessage {
  }

  /** To a ping. */
  public record Pong(String workerId) implements BusMessage {
  }
}
