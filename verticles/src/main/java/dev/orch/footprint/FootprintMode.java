package dev.orch.footprint;

import java.util.Locale;

/** {@code scheduler.footprint}: how far the scheduler keeps tasks that may touch the same files apart. */
public enum FootprintMode {
  /** Never run two tasks whose footprints overlap, however the footprints are known. */
  STRICT,
  /** Start tasks that overlap nothing running first; never run two whose declared footprints overlap. */
  PREFER,
  /** Ignore footprints. */
  OFF;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a config value names, or null when it names none. */
  public static FootprintMode fromWire(String value) {
    for (FootprintMode mode : values()) {
      if (mode.wire().equals(value)) {
        return mode;
      }
    }
    return null;
  }
}
