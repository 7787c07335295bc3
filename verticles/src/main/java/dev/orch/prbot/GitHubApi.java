package dev.orch.prbot;

import dev.orch.contract.OrchException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub's REST API through the Vert.x Web Client, kept inside the rate limit: GETs are conditional (ETag and
 * If-None-Match; a 304 costs nothing against the limit), a 403 or 429 that says it is a rate limit stops every request
 * until Retry-After or X-RateLimit-Reset, and a 5xx is retried with backoff. The token is sent, never logged.
 */
final class GitHubApi {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubApi.class);
  private static final int MAX_TRIES = 4;

  /** An answer: its status and decoded body (a JsonObject, a JsonArray, or null); {@code cached} for a 304. */
  record Response(int status, Object body, boolean cached) {
    JsonObject object() {
      return body instanceof JsonObject o ? o : new JsonObject();
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }

    String message() {
      return object().getString("message", "HTTP " + status);
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final String base;
  private final String token;
  private final EtagCache etags = new EtagCache(EtagCache.DEFAULT_CAPACITY);
  private long notBefore;
  /** Every request sent, and those GitHub counts against the rate limit (all but 304s). */
  final AtomicLong requests = new AtomicLong();
  final AtomicLong counted = new AtomicLong();

  GitHubApi(Vertx vertx, String apiUrl, String token) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    this.token = token;
  }

  Future<Response> get(String path) {
    return send(HttpMethod.GET, path, null);
  }

  Future<Response> send(HttpMethod method, String path, JsonObject body) {
    Promise<Response> promise = Promise.promise();
    attempt(method, path, body, 1, promise);
    return promise.future();
  }

  private void attempt(HttpMethod method, String path, JsonObject body, int tries, Promise<Response> promise) {
    long wait = notBefore - System.currentTimeMillis();
    if (wait > 0) {
      vertx.setTimer(wait, id -> attempt(method, path, body, tries, promise));
      return;
    }
    HttpRequest<Buffer> request = client.requestAbs(method, base + path)
        .putHeader("Accept", "application/vnd.github+json")
        .putHeader("X-GitHub-Api-Version", "2022-11-28")
        .putHeader("User-Agent", "orch")
        .timeout(30_000);
    if (!token.isBlank()) {
      request.bearerTokenAuthentication(token);
    }
    EtagCache.Entry cached = method == HttpMethod.GET ? etags.get(path).orElse(null) : null;
    if (cached != null) {
      request.putHeader("If-None-Match", cached.etag());
    }
    requests.incrementAndGet();
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body.encode()));
    sent.onComplete(done -> {
      if (done.failed()) {
        retryOrFail(method, path, body, tries, promise, "cannot reach GitHub: " + done.cause().getMessage());
        return;
      }
      HttpResponse<Buffer> response = done.result();
      int status = response.statusCode();
      if (status != 304) {
        counted.incrementAndGet();
      }
      if (status == 304 && cached != null) {
        promise.complete(new Response(200, cached.body(), true));
        return;
      }
      long backOffUntil = rateLimitedUntil(response);
      if (backOffUntil > 0) {
        notBefore = Math.max(notBefore, backOffUntil);
        LOG.warn("GitHub rate limit: waiting {} s before the next request", (backOffUntil - System.currentTimeMillis()) / 1000);
        if (tries < MAX_TRIES) {
          attempt(method, path, body, tries + 1, promise);
        } else {
          promise.complete(new Response(status, decode(response), false));
        }
        return;
      }
      if (status >= 500) {
        retryOrFail(method, path, body, tries, promise, "GitHub answered " + status);
        return;
      }
      Object decoded = decode(response);
      String etag = response.getHeader("ETag");
      if (method == HttpMethod.GET && status == 200 && etag != null) {
        etags.put(path, etag, decoded);
      }
      promise.complete(new Response(status, decoded, false));
    });
  }

  private void retryOrFail(HttpMethod method, String path, JsonObject body, int tries, Promise<Response> promise,
      String why) {
    if (tries >= MAX_TRIES) {
      // Typed as passing: a forge that is down is waited out, never a reason to hand the pull request to a person.
      promise.fail(OrchException.unavailable(why + " (" + method + " " + path + ", " + tries + " tries)"));
      return;
    }
    long delay = 500L << (tries - 1);
    LOG.info("{}; trying {} {} again in {} ms", why, method, path, delay);
    vertx.setTimer(delay, id -> attempt(method, path, body, tries + 1, promise));
  }

  /** When a 403 or 429 is a rate limit, the time to wait until; else 0. */
  private static long rateLimitedUntil(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status != 403 && status != 429) {
      return 0;
    }
    String retryAfter = response.getHeader("Retry-After");
    if (retryAfter != null && retryAfter.matches("\\d+")) {
      return System.currentTimeMillis() + Long.parseLong(retryAfter) * 1000;
    }
    String remaining = response.getHeader("X-RateLimit-Remaining");
    String reset = response.getHeader("X-RateLimit-Reset");
    if ("0".equals(remaining) && reset != null && reset.matches("\\d+")) {
      return Math.max(System.currentTimeMillis() + 1000, Long.parseLong(reset) * 1000);
    }
    return status == 429 ? System.currentTimeMillis() + 60_000 : 0;
  }

  private static Object decode(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return Json.decodeValue(body);
    } catch (RuntimeException e) {
      return new JsonObject().put("message", body.toString());
    }
  }

  void close() {
    client.close();
  }
}
