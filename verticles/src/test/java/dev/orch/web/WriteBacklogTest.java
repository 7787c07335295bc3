package dev.orch.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-connection backlog alone: bounded, and freed as writes complete (M3). */
class WriteBacklogTest {
  @Test
  void m3_a_consumer_that_never_reads_is_refused_past_the_cap() {
    WriteBacklog backlog = new WriteBacklog(1000);
    assertThat(backlog.admit(600, false)).isTrue();
    assertThat(backlog.admit(400, false)).isTrue();
    assertThat(backlog.admit(1, false)).isFalse();
    assertThat(backlog.pending()).isEqualTo(1000);
    assertThat(backlog.reason(1)).contains("1000 bytes still unsent", "1000-byte cap");
  }

  @Test
  void m3_completed_writes_make_room_again() {
    WriteBacklog backlog = new WriteBacklog(1000);
    assertThat(backlog.admit(900, false)).isTrue();
    backlog.written(900);
    assertThat(backlog.pending()).isZero();
    assertThat(backlog.admit(1000, false)).isTrue();
  }

  @Test
  void m3_a_transport_that_reports_its_queue_full_is_refused() {
    WriteBacklog backlog = new WriteBacklog(1000);
    assertThat(backlog.admit(1, true)).isFalse();
    assertThat(backlog.pending()).isZero();
  }

  @Test
  void m3_the_default_cap_is_two_mib() {
    assertThat(WriteBacklog.CAP).isEqualTo(2 * 1024 * 1024);
  }
}
