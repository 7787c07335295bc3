package dev.orch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host and Origin allow-list alone: exact names with the real port, never a prefix (C1). */
class AllowedHostsTest {
  private final AllowedHosts loopback = new AllowedHosts("127.0.0.1", 8080, List.of(), List.of());

  @Test
  void c1_host_with_loopback_prefix_is_refused() {
    assertThat(loopback.permitsHost("127.attacker.example:8080")).isFalse();
    assertThat(loopback.permitsHost("127.0.0.1.evil.example:8080")).isFalse();
    assertThat(loopback.permitsHost("127.0.0.1.:8080")).isFalse();
    assertThat(loopback.permitsHost("localhost.evil.example:8080")).isFalse();
    assertThat(loopback.permitsHost("127.0.0.2:8080")).as("only the names it serves, not all of 127/8").isFalse();
  }

  @Test
  void c1_loopback_names_with_the_real_port_are_allowed() {
    assertThat(loopback.permitsHost("127.0.0.1:8080")).isTrue();
    assertThat(loopback.permitsHost("localhost:8080")).isTrue();
    assertThat(loopback.permitsHost("LOCALHOST:8080")).isTrue();
    assertThat(loopback.permitsHost("[::1]:8080")).isTrue();
    assertThat(loopback.permitsHost("[0:0:0:0:0:0:0:1]:8080")).as("an IP literal compared as an address").isTrue();
  }

  @Test
  void c1_another_port_or_no_port_is_refused() {
    assertThat(loopback.permitsHost("127.0.0.1:8081")).isFalse();
    assertThat(loopback.permitsHost("127.0.0.1")).as("no port means 80").isFalse();
    assertThat(new AllowedHosts("127.0.0.1", 80, List.of(), List.of()).permitsHost("localhost")).isTrue();
  }

  @Test
  void c1_malformed_hosts_are_refused() {
    assertThat(loopback.permitsHost(null)).isFalse();
    assertThat(loopback.permitsHost("")).isFalse();
    assertThat(loopback.permitsHost("127.0.0.1:0")).isFalse();
    assertThat(loopback.permitsHost("127.0.0.1:99999")).isFalse();
    assertThat(loopback.permitsHost("[::1")).isFalse();
    assertThat(loopback.permitsHost("user@127.0.0.1:8080")).isFalse();
    assertThat(loopback.permitsHost("127.0.0.1:8080/x")).isFalse();
  }

  @Test
  void c1_origin_must_be_this_server() {
    assertThat(loopback.permitsOrigin("http://127.0.0.1:8080")).isTrue();
    assertThat(loopback.permitsOrigin("http://localhost:8080")).isTrue();
    assertThat(loopback.permitsOrigin("http://127.attacker.example:8080")).isFalse();
    assertThat(loopback.permitsOrigin("http://evil.example")).isFalse();
    assertThat(loopback.permitsOrigin("http://127.0.0.1:9999")).isFalse();
    assertThat(loopback.permitsOrigin("null")).isFalse();
    assertThat(loopback.permitsOrigin("file://")).isFalse();
    assertThat(loopback.permitsOrigin("ftp://127.0.0.1:8080")).isFalse();
    assertThat(loopback.permitsOrigin(null)).isFalse();
  }

  @Test
  void c1_extra_names_admit_a_proxy_on_any_port_or_the_one_given() {
    AllowedHosts proxied = new AllowedHosts("127.0.0.1", 8080, List.of("orch.example.com", "build-1:9000"), List.of());
    assertThat(proxied.permitsHost("orch.example.com")).isTrue();
    assertThat(proxied.permitsHost("ORCH.example.com:443")).isTrue();
    assertThat(proxied.permitsOrigin("https://orch.example.com")).isTrue();
    assertThat(proxied.permitsHost("build-1:9000")).isTrue();
    assertThat(proxied.permitsHost("build-1:9001")).isFalse();
    assertThat(proxied.permitsHost("orch.example.com.evil.example")).isFalse();
  }

  @Test
  void c1_a_wildcard_host_allows_the_machines_own_addresses_but_no_names() {
    AllowedHosts wide = new AllowedHosts("0.0.0.0", 8080, List.of(), List.of("192.0.2.7", "fe80::1"));
    assertThat(wide.permitsHost("192.0.2.7:8080")).isTrue();
    assertThat(wide.permitsHost("[fe80::1]:8080")).isTrue();
    assertThat(wide.permitsHost("0.0.0.0:8080")).isFalse();
    assertThat(wide.permitsHost("attacker.example:8080")).isFalse();
  }

  @Test
  void c1_a_configured_host_is_allowed_with_the_port() {
    AllowedHosts lan = new AllowedHosts("192.0.2.7", 8080, List.of(), List.of());
    assertThat(lan.permitsHost("192.0.2.7:8080")).isTrue();
    assertThat(lan.permitsHost("192.0.2.7.evil.example:8080")).isFalse();
  }

  @Test
  void c1_bad_allow_list_entries_are_named() {
    assertThat(AllowedHosts.invalid("orch.example.com")).isEmpty();
    assertThat(AllowedHosts.invalid("http://orch.example.com")).get().asString()
        .contains("web.allowed_hosts", "'http://orch.example.com'");
    assertThatThrownBy(() -> new AllowedHosts("127.0.0.1", 8080, List.of("a b"), List.of()))
        .hasMessageContaining("web.allowed_hosts: 'a b'");
  }
}
