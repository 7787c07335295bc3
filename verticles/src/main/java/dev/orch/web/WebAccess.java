package dev.orch.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the dashboard, the API and the bridge. Every request must name this server as its Host
 * ({@link AllowedHosts}: no DNS rebinding). Requests that change state (any method but GET, HEAD and OPTIONS) and
 * websocket upgrades must come from this server's own pages, by their {@code Origin}, or carry a bearer token (the
 * CLI, curl); a foreign Origin is refused on every request. On a loopback address that is all (as with a desktop
 * tool); on any other address, or with {@code web.require_token}, every request also needs a token, as a bearer
 * header or as the cookie {@code /?token=} sets.
 */
final class WebAccess {
  static final String COOKIE = "orch_token";
  private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "::1", "[::1]");
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  /** Why a request is turned away; each is answered with its status and a message saying what to do. */
  enum Refusal {
    HOST_NOT_ALLOWED(403, "forbidden", "this server answers only requests addressed to one of its own names"
        + " (127.0.0.1, localhost, [::1], web.host with its port, or web.allowed_hosts)"),
    ORIGIN_MISSING(403, "forbidden", "requests that change something need an Origin header naming this server"
        + " (browsers send it; curl: -H 'Origin: http://127.0.0.1:PORT') or Authorization: Bearer TOKEN"),
    ORIGIN_FOREIGN(403, "forbidden", "requests from other sites are refused: the Origin is not this server"),
    TOKEN_REQUIRED(401, "unauthorized", "a token is required: open /?token=TOKEN once, or send"
        + " Authorization: Bearer TOKEN");

    final int status;
    final String code;
    final String message;

    Refusal(int status, String code, String message) {
      this.status = status;
      this.code = code;
      this.message = message;
    }
  }

  private final boolean requireToken;
  private final List<byte[]> tokens;
  private volatile AllowedHosts hosts;

  /** {@code tokens}: the ones that open the dashboard; blanks are ignored. */
  WebAccess(String host, boolean requireToken, List<String> tokens) {
    this.requireToken = requireToken || !isLoopback(host);
    this.tokens = tokens.stream().filter(Objects::nonNull).filter(t -> !t.isBlank())
        .map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Set once the server listens and so knows its real port; until then every request is refused. */
  void allow(AllowedHosts hosts) {
    this.hosts = hosts;
  }

  static boolean isLoopback(String host) {
    return host != null && LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT));
  }

  boolean tokenRequired() {
    return requireToken;
  }

  /**
   * The checks every request passes before any route: its Host, and its Origin where one is needed. A valid bearer
   * token ({@code bearer}: this one or the instance's) stands in for a missing Origin.
   */
  Optional<Refusal> screen(HttpServerRequest request, boolean bearer) {
    AllowedHosts allowed = hosts;
    String host = request.authority() == null ? null : request.authority().toString();
    if (allowed == null || !allowed.permitsHost(host)) {
      return Optional.of(Refusal.HOST_NOT_ALLOWED);
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null) {
      return allowed.permitsOrigin(origin) ? Optional.empty() : Optional.of(Refusal.ORIGIN_FOREIGN);
    }
    boolean needsOrigin = !SAFE.contains(request.method()) || isUpgrade(request);
    return needsOrigin && !bearer ? Optional.of(Refusal.ORIGIN_MISSING) : Optional.empty();
  }

  /** The token check for the dashboard, its API and the bridge. */
  Optional<Refusal> admit(RoutingContext ctx) {
    return tokenRequired() && !carriesToken(ctx) ? Optional.of(Refusal.TOKEN_REQUIRED) : Optional.empty();
  }

  private static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    return upgrade != null || request.path().contains("/websocket");
  }

  boolean carriesBearer(RoutingContext ctx) {
    return bearer(ctx).map(this::matches).orElse(false);
  }

  static Optional<String> bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    return header != null && header.startsWith("Bearer ") ? Optional.of(header.substring("Bearer ".length()))
        : Optional.empty();
  }

  private boolean carriesToken(RoutingContext ctx) {
    if (carriesBearer(ctx)) {
      return true;
    }
    Cookie cookie = ctx.request().getCookie(COOKIE);
    return cookie != null && matches(cookie.getValue());
  }

  /** {@code /?token=T}: a right token becomes a cookie and the token leaves the address bar; a wrong one is refused. */
  boolean login(RoutingContext ctx) {
    String token = ctx.request().getParam("token");
    if (token == null) {
      return false;
    }
    if (!matches(token)) {
      ctx.response().setStatusCode(401).putHeader("content-type", "text/plain; charset=utf-8").end("wrong token\n");
      return true;
    }
    ctx.response().addCookie(Cookie.cookie(COOKIE, token).setHttpOnly(true).setPath("/")
        .setSameSite(CookieSameSite.STRICT));
    ctx.response().setStatusCode(302).putHeader("location", "/").end();
    return true;
  }

  boolean matches(String candidate) {
    return matchesAny(candidate, tokens);
  }

  static boolean matchesAny(String candidate, List<byte[]> tokens) {
    byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
    boolean found = false;
    for (byte[] token : tokens) {
      found |= MessageDigest.isEqual(given, token);
    }
    return found;
  }
}
