package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtagCacheTest {
  @Test
  void l8_pollingThousandsOfCommitsKeepsOnlyTheMostRecentlyUsedEntries() {
    EtagCache cache = new EtagCache(3);
    cache.put("/repos/o/r/pulls/1", "\"a\"", "pr 1");
    for (int commit = 0; commit < 5_000; commit++) {
      cache.get("/repos/o/r/pulls/1");
      cache.put("/repos/o/r/commits/" + commit + "/check-runs", "\"e" + commit + "\"", "runs " + commit);
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get("/repos/o/r/pulls/1")).map(EtagCache.Entry::body).contains("pr 1");
    assertThat(cache.get("/repos/o/r/commits/4999/check-runs")).map(EtagCache.Entry::etag).contains("\"e4999\"");
    assertThat(cache.get("/repos/o/r/commits/0/check-runs")).isEmpty();
  }
}
