package dev.orch.mcp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shell command behind each build tool for a project: from the project's config ({@code build_pool.commands.*},
 * with {@code {filter}} and {@code {package}} filled in, shell-quoted) or else from a preset for its build system, named
 * in {@code build_pool.preset} or recognised from the files at the top of the checkout.
 */
public final class BuildCommands {
  /** What a tool asks for. */
  public enum Kind {
    BUILD, TEST, LINT;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Preset {
    MAVEN("pom.xml"), GRADLE("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradlew"),
    CARGO("Cargo.toml"), NPM("package.json"), GO("go.mod"), MAKE("Makefile", "makefile", "GNUmakefile");

    private final List<String> markers;

    Preset(String... markers) {
      this.markers = List.of(markers);
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String preset;
  private final Map<String, String> custom;

  /** {@code preset} is "auto" or a preset's name; {@code custom} maps build, test, lint to commands (blank: none). */
  public BuildCommands(String preset, Map<String, String> custom) {
    this.preset = preset == null || preset.isBlank() ? "auto" : preset.toLowerCase(Locale.ROOT);
    this.custom = custom == null ? Map.of() : Map.copyOf(custom);
    if (!this.preset.equals("auto")) {
      presetNamed(this.preset);
    }
  }

  /** The command for {@code kind} in the checkout at {@code dir}; {@code filter} and {@code pkg} may be null. */
  public String command(Kind kind, Path dir, String filter, String pkg) {
    String configured = custom.getOrDefault(kind.wire(), "");
    if (!configured.isBlank()) {
      return configured.replace("{filter}", filter == null || filter.isBlank() ? "" : quote(filter))
          .replace("{package}", pkg == null || pkg.isBlank() ? "" : quote(pkg)).strip();
    }
    Preset chosen = preset.equals("auto") ? detect(dir) : presetNamed(preset);
    return command(chosen, kind, dir, blankToNull(filter), blankToNull(pkg));
  }

  /** The preset whose marker file is at the top of {@code dir}. */
  public static Preset detect(Path dir) {
    for (Preset candidate : Preset.values()) {
      for (String marker : candidate.markers) {
        if (Files.exists(dir.resolve(marker))) {
          return candidate;
        }
      }
    }
    throw new IllegalArgumentException("no build preset fits " + dir + " (no pom.xml, build.gradle, Cargo.toml, package.json,"
        + " go.mod or Makefile at its top): set build_pool.preset or build_pool.commands.build/test/lint");
  }

  private static Preset presetNamed(String name) {
    for (Preset candidate : Preset.values()) {
      if (candidate.wire().equals(name)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("build_pool.preset: unknown preset '" + name + "' (auto, maven, gradle, cargo, npm, go, make)");
  }

  static String command(Preset preset, Kind kind, Path dir, String filter, String pkg) {
    return switch (preset) {
      case MAVEN -> maven(kind, filter, pkg);
      case GRADLE -> gradle(kind, Files.exists(dir.resolve("gradlew")) ? "./gradlew" : "gradle", filter, pkg);
      case CARGO -> switch (kind) {
        case BUILD -> "cargo build" + opt(" -p ", pkg);
        case TEST -> "cargo test" + opt(" -p ", pkg) + opt(" ", filter);
        case LINT -> "cargo clippy --all-targets" + opt(" -p ", pkg) + " -- -D warnings";
      };
      case NPM -> switch (kind) {
        case BUILD -> "npm run build" + opt(" -w ", pkg);
        case TEST -> "npm test" + opt(" -w ", pkg) + opt(" -- ", filter);
        case LINT -> "npm run lint" + opt(" -w ", pkg);
      };
      case GO -> {
        String packages = pkg == null ? "./..." : quote("./" + pkg.replaceAll("^\\./", "").replaceAll("/\\.\\.\\.$", "") + "/...");
        yield switch (kind) {
          case BUILD -> "go build " + packages;
          case TEST -> "go test" + opt(" -run ", filter) + " " + packages;
          case LINT -> "go vet " + packages;
        };
      }
      case MAKE -> switch (kind) {
        case BUILD -> "make";
        case TEST -> (filter == null ? "" : "FILTER=" + quote(filter) + " ") + "make test";
        case LINT -> "make lint";
      };
    };
  }

  private static String maven(Kind kind, String filter, String pkg) {
    String modules = pkg == null ? "" : " -pl " + quote(pkg) + " -am";
    return switch (kind) {
      case BUILD -> "mvn -B -DskipTests package" + modules;
      case TEST -> "mvn -B test" + modules + (filter == null ? ""
          : " -Dtest=" + quote(filter) + " -Dsurefire.failIfNoSpecifiedTests=false");
      case LINT -> "mvn -B -DskipTests verify" + modules;
    };
  }

  private static String gradle(Kind kind, String runner, String filter, String pkg) {
    String prefix = pkg == null ? "" : ":" + pkg.replaceAll("^:", "") + ":";
    return switch (kind) {
      case BUILD -> runner + " " + quote(prefix + "assemble");
      case TEST -> runner + " " + quote(prefix + "test") + opt(" --tests ", filter);
      case LINT -> runner + " " + quote(prefix + "check") + " -x test";
    };
  }

  private static String opt(String flag, String value) {
    return value == null ? "" : flag + quote(value);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  /** Single-quoted for sh, so a filter from the model is one word and never code. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
