package dev.orch.cluster;

import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.OrchException;
import dev.orch.contract.buildagent.AgentProtocol;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The shapes of messages that cross hosts, checked after they are unsealed and before anything acts on them: each is
 * read as its record of the build agent protocol ({@link AgentProtocol}), which gives every field its type and a size
 * limit and refuses unknown fields, so even a secret holder gone wrong cannot hand the coordinator or an agent more than
 * it expects. Each refusal names the message and the field.
 */
public final class MessageGuard {
  public static final Pattern WORKER_ID = AgentProtocol.WORKER_ID;

  private MessageGuard() {
  }

  public static AgentAction agentAction(String wire) {
    for (AgentAction action : AgentAction.values()) {
      if (action.wireName().equals(wire)) {
        return action;
      }
    }
    throw OrchException.forbidden("'" + wire + "' is not a build agent action");
  }

  public static BuildWorker.Action workerAction(String wire) {
    for (BuildWorker.Action action : BuildWorker.Action.values()) {
      if (action.wireName().equals(wire)) {
        return action;
      }
    }
    throw OrchException.forbidden("'" + wire + "' is not a build agent command");
  }

  /** What the coordinator accepts from an agent. */
  public static Record checkAgent(AgentAction action, JsonObject body) {
    return AgentProtocol.read(body, AgentProtocol.messageOf(action));
  }

  /** What an agent accepts from the coordinator. */
  public static Record checkWorker(BuildWorker.Action action, JsonObject body) {
    return AgentProtocol.read(body, AgentProtocol.messageOf(action));
  }
}
