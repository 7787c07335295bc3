package dev.orch.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a person's own files are, as their shell says: {@code $HOME} (Java's {@code user.home} comes from the account
 * database, which ignores {@code HOME=/x orch ...} and is {@code ?} in containers whose user has no entry), and
 * {@code $XDG_CONFIG_HOME} for what the reference keeps under {@code ~/.config}.
 */
public record UserDirs(Path home, Path configHome) {
  public UserDirs {
    home = home.toAbsolutePath().normalize();
    configHome = configHome.toAbsolutePath().normalize();
  }

  /** From the process's environment. */
  public static UserDirs fromEnvironment() {
    return of(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * {@code HOME} when set, else {@code fallbackHome}; {@code XDG_CONFIG_HOME} when set to an absolute path (the XDG spec
   * says to ignore a relative one), else {@code home/.config}.
   */
  public static UserDirs of(Map<String, String> env, Path fallbackHome) {
    String homeValue = env.get("HOME");
    Path home = homeValue != null && !homeValue.isBlank() ? Path.of(homeValue) : fallbackHome;
    String configValue = env.get("XDG_CONFIG_HOME");
    Path configHome = configValue != null && !configValue.isBlank() && Path.of(configValue).isAbsolute()
        ? Path.of(configValue) : home.resolve(".config");
    return new UserDirs(home, configHome);
  }

  /** {@code ~}, {@code ~/x} and {@code ~/.config/x} as the person means them; anything else unchanged. */
  public String expand(String text) {
    if (text.equals("~")) {
      return home.toString();
    }
    if (text.equals("~/.config") || text.startsWith("~/.config/")) {
      return configHome.resolve(text.substring("~/.config".length()).replaceFirst("^/", "")).toString();
    }
    if (text.startsWith("~/")) {
      return home.resolve(text.substring(2)).toString();
    }
    return text;
  }

  /** The config file read when neither {@code --config} nor a project file names one. */
  public Path userConfigFile() {
    return configHome.resolve("claude-plan-orchestrator/config.toml");
  }
}
