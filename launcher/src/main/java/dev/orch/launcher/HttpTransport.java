package dev.orch.launcher;

import dev.orch.contract.Addresses;
import dev.orch.contract.CommandAction;
import dev.orch.contract.CommandTransport;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Commands to a running orch over its HTTP API, for CLI processes. Plain {@link HttpURLConnection}, one request at a
 * time: a command line answers sooner without starting an event loop (Vert.x's client) or the TLS stack the JDK's
 * {@code HttpClient} sets up even for plain HTTP (measured in docs/benchmarks.md).
 */
final class HttpTransport implements CommandTransport {
  private final OrchInstance.Running instance;

  HttpTransport(OrchInstance.Running instance) {
    this.instance = instance;
  }

  @Override
  public Future<Object> request(String address, CommandAction action, JsonObject body, Duration timeout) {
    String owner = Addresses.remoteCommandAddresses().entrySet().stream()
        .filter(e -> e.getValue().equals(address)).map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new OrchException(ErrorCode.TERMINAL, address + " is not reachable over the API"));
    URI uri = URI.create(instance.baseUrl() + "/api/cmd/" + owner + "/" + action.wireName());
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      connection.setRequestProperty("Authorization", "Bearer " + instance.token());
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setDoOutput(true);
      try (OutputStream out = connection.getOutputStream()) {
        out.write((body == null ? new JsonObject() : body).encode().getBytes(StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      return decode(status, text);
    } catch (IOException e) {
      return Future.failedFuture(new OrchException(ErrorCode.TRANSIENT,
          "orch at " + instance.baseUrl() + " did not answer: " + e.getMessage()));
    }
  }

  private static Future<Object> decode(int status, String text) {
    if (status == 200) {
      return Future.succeededFuture(text == null || text.isBlank() || text.equals("null") ? null : Json.decodeValue(text));
    }
    String message = text;
    try {
      message = new JsonObject(text).getString("error", text);
    } catch (RuntimeException e) {
      // not JSON: keep the raw text
    }
    ErrorCode code = switch (status) {
      case 400, 401 -> ErrorCode.BAD_REQUEST;
      case 404 -> ErrorCode.NOT_FOUND;
      case 409 -> ErrorCode.CONFLICT;
      case 503 -> ErrorCode.TRANSIENT;
      default -> ErrorCode.TERMINAL;
    };
    return Future.failedFuture(new OrchException(code, message));
  }
}
