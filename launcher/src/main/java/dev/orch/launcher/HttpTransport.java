package dev.orch.launcher;

import dev.orch.contract.Addresses;
import dev.orch.contract.CommandAction;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.CommandTransport;
import dev.orch.contract.OrchException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;

/** Commands to a running orch over its HTTP API, for CLI processes. */
final class HttpTransport implements CommandTransport {
  private final WebClient client;
  private final OrchInstance.Running instance;

  HttpTransport(WebClient client, OrchInstance.Running instance) {
    this.client = client;
    this.instance = instance;
  }

  @Override
  public Future<Object> request(String address, CommandAction action, JsonObject body, Duration timeout) {
    String owner = Addresses.remoteCommandAddresses().entrySet().stream()
        .filter(e -> e.getValue().equals(address)).map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new OrchException(ErrorCode.TERMINAL, address + " is not reachable over the API"));
    return client.postAbs(instance.baseUrl() + "/api/cmd/" + owner + "/" + action.wireName())
        .bearerTokenAuthentication(instance.token())
        .timeout(timeout.toMillis())
        .sendBuffer(Buffer.buffer((body == null ? new JsonObject() : body).encode()))
        .recover(e -> Future.failedFuture(new OrchException(ErrorCode.TRANSIENT,
            "orch at " + instance.baseUrl() + " did not answer: " + e.getMessage())))
        .compose(HttpTransport::decode);
  }

  private static Future<Object> decode(HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    if (response.statusCode() == 200) {
      return Future.succeededFuture(text == null || text.isBlank() || text.equals("null") ? null : Json.decodeValue(text));
    }
    String message = text;
    try {
      message = new JsonObject(text).getString("error", text);
    } catch (RuntimeException e) {
      // not JSON: keep the raw text
    }
    ErrorCode code = switch (response.statusCode()) {
      case 400, 401 -> ErrorCode.BAD_REQUEST;
      case 404 -> ErrorCode.NOT_FOUND;
      case 409 -> ErrorCode.CONFLICT;
      case 503 -> ErrorCode.TRANSIENT;
      default -> ErrorCode.TERMINAL;
    };
    return Future.failedFuture(new OrchException(code, message));
  }
}
