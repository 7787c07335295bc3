package dev.orch.text;

/** Elapsed time the way orch prints it: 42s, 3m07s, 2h05m. */
public final class Durations {
  private Durations() {
  }

  public static String elapsed(long millis) {
    long seconds = Math.max(0, millis / 1000);
    return seconds < 60 ? seconds + "s" : seconds < 3600 ? (seconds / 60) + "m" + (seconds % 60) + "s"
        : (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m";
  }
}
