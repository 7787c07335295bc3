package dev.orch.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names this server answers to, as a request's {@code Host} header or an {@code Origin} must spell them: the
 * configured {@code web.host}, 127.0.0.1, localhost and [::1], each with the port it really listens on, plus the
 * names in {@code web.allowed_hosts} (any port, or the one given as {@code name:port}). Compared exactly: a DNS
 * rebinding page's {@code 127.attacker.example} is a name like any other, not loopback. IP literals are compared as
 * addresses ({@code [0:0:0:0:0:0:0:1]} is {@code [::1]}); no name is ever resolved.
 */
final class AllowedHosts {
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "[::]", "::");

  /** One allowed name; {@code port} 0 means any port. */
  private record Entry(String host, int port) {
  }

  private final List<Entry> entries;

  /**
   * {@code webHost}: the configured listen address; {@code port}: the port it really listens on; {@code extra}: the
   * {@code web.allowed_hosts} entries; {@code localAddresses}: this machine's interface addresses, which are allowed
   * when {@code webHost} is a wildcard (0.0.0.0), so {@code http://192.0.2.7:PORT} reaches it.
   */
  AllowedHosts(String webHost, int port, List<String> extra, List<String> localAddresses) {
    Set<Entry> all = new LinkedHashSet<>();
    List<String> names = new ArrayList<>(List.of("127.0.0.1", "localhost", "[::1]"));
    if (WILDCARDS.contains(webHost)) {
      names.addAll(localAddresses);
    } else {
      names.add(webHost);
    }
    for (String name : names) {
      normalise(bracketed(name)).ifPresent(host -> all.add(new Entry(host, port)));
    }
    for (String entry : extra) {
      Authority parsed = Authority.parse(entry).orElseThrow(() -> new IllegalArgumentException(
          "web.allowed_hosts: '" + entry + "' is not a host name or IP address (with an optional :port)"));
      all.add(new Entry(parsed.host(), parsed.port()));
    }
    this.entries = List.copyOf(all);
  }

  /** Checks one {@code web.allowed_hosts} entry; the message names the key. */
  static Optional<String> invalid(String entry) {
    return Authority.parse(entry).isPresent() ? Optional.empty() : Optional.of("web.allowed_hosts: '" + entry
        + "' is not a host name or IP address (with an optional :port)");
  }

  /** Whether a request's {@code Host} header (without a port: port 80) names this server. */
  boolean permitsHost(String header) {
    return header != null && Authority.parse(header).map(a -> permits(a.host(), a.port() == 0 ? 80 : a.port()))
        .orElse(false);
  }

  /** Whether an {@code Origin} header is one of this server's own pages: http(s), an allowed host, the right port. */
  boolean permitsOrigin(String origin) {
    if (origin == null) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null
          || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
        return false;
      }
      return Authority.parse(uri.getRawAuthority())
          .map(a -> permits(a.host(), a.port() != 0 ? a.port() : scheme.equals("https") ? 443 : 80)).orElse(false);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private boolean permits(String host, int port) {
    return entries.stream().anyMatch(e -> e.host().equals(host) && (e.port() == 0 || e.port() == port));
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * A host in canonical form: an IPv4 literal as dotted quad, an IPv6 literal as {@code [addr]} in Java's long form,
   * a name in lower case; empty when it is none of these.
   */
  static Optional<String> normalise(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (IPV4.matcher(lower).matches()) {
      return literal(lower).map(InetAddress::getHostAddress);
    }
    if (lower.startsWith("[") && lower.endsWith("]")) {
      String inner = lower.substring(1, lower.length() - 1);
      return IPV6.matcher(inner).matches() && inner.contains(":")
          ? literal(inner).map(a -> "[" + a.getHostAddress() + "]") : Optional.empty();
    }
    return NAME.matcher(lower).matches() && lower.length() <= 253 ? Optional.of(lower) : Optional.empty();
  }

  /** Only called on strings that are literals by the patterns above, so no name lookup happens. */
  private static Optional<InetAddress> literal(String text) {
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** {@code host[:port]} as a Host header or an allow-list entry spells it; port 0 when absent. */
  record Authority(String host, int port) {
    static Optional<Authority> parse(String text) {
      if (text == null || text.isEmpty() || text.length() > 300) {
        return Optional.empty();
      }
      String host = text;
      String port = null;
      if (text.startsWith("[")) {
        int close = text.indexOf(']');
        if (close < 0) {
          return Optional.empty();
        }
        host = text.substring(0, close + 1);
        String rest = text.substring(close + 1);
        if (!rest.isEmpty()) {
          if (!rest.startsWith(":")) {
            return Optional.empty();
          }
          port = rest.substring(1);
        }
      } else {
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
          host = text.substring(0, colon);
          port = text.substring(colon + 1);
        }
      }
      int number = 0;
      if (port != null) {
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
          return Optional.empty();
        }
        number = Integer.parseInt(port);
      }
      int portNumber = number;
      return normalise(host).map(h -> new Authority(h, portNumber));
    }
  }
}
