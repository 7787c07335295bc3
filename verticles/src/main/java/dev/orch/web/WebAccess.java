package dev.orch.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who may use the dashboard, the API and the bridge. On a loopback address anyone on this host may (as with a
 * desktop tool), but other sites the person has open may not: requests must name this server as their Host (no DNS
 * rebinding) and browser requests that change state, or open the bridge, must come from this server's own pages. On
 * any other address every request needs a token, as a bearer header or as the cookie {@code /?token=} sets.
 */
final class WebAccess {
  static final String COOKIE = "orch_token";
  static final String TOKEN_REQUIRED = "a token is required: open /?token=TOKEN once, or send Authorization: Bearer TOKEN";
  private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  private final boolean loopback;
  private final boolean requireToken;
  private final List<byte[]> tokens;

  /** {@code tokens}: the running instance's (the CLI's) and the configured {@code [web] token}; blanks are ignored. */
  WebAccess(String host, boolean requireToken, List<String> tokens) {
    this.loopback = isLoopback(host);
    this.requireToken = requireToken || !loopback;
    this.tokens = tokens.stream().filter(Objects::nonNull).filter(t -> !t.isBlank())
        .map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  static boolean isLoopback(String host) {
    return host != null && (LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT)) || host.startsWith("127."));
  }

  boolean tokenRequired() {
    return requireToken;
  }

  /** Whether the dashboard's endpoints and the bridge may answer this request; if not, why. */
  String refusal(RoutingContext ctx) {
    if (loopback && !hostIsLoopback(ctx)) {
      return "this server answers only requests addressed to 127.0.0.1 or localhost";
    }
    if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD && !sameOrigin(ctx)) {
      return "requests from other sites may not change anything";
    }
    if (tokenRequired() && !carriesToken(ctx)) {
      return TOKEN_REQUIRED;
    }
    return null;
  }

  /** The bridge is a WebSocket, which browsers open across sites freely: its origin must be this server. */
  String bridgeRefusal(RoutingContext ctx) {
    String refusal = refusal(ctx);
    if (refusal == null && !sameOrigin(ctx)) {
      return "the event bus bridge answers only this server's own pages";
    }
    return refusal;
  }

  boolean carriesBearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.startsWith("Bearer ") && matches(header.substring("Bearer ".length()));
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

  private boolean matches(String candidate) {
    byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
    boolean found = false;
    for (byte[] token : tokens) {
      found |= MessageDigest.isEqual(given, token);
    }
    return found;
  }

  private static boolean hostIsLoopback(RoutingContext ctx) {
    String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
    return host != null && isLoopback(host);
  }

  /** No Origin header (curl, the CLI) or one naming this very server. */
  private static boolean sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return true;
    }
    try {
      URI uri = URI.create(origin);
      String authority = ctx.request().authority() == null ? null : ctx.request().authority().toString();
      return uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(authority);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
