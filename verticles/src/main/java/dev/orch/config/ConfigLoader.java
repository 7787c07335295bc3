package dev.orch.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Finds and reads orch's TOML config: {@code --config FILE}, else {@value #PROJECT_FILE} in the current
 * directory or any parent, else {@code ~/.config/claude-plan-orchestrator/config.toml}, else defaults alone.
 * Environment variables {@code ORCH_<SECTION>__<KEY>} (dots become double underscores) override single keys.
 * Unknown keys are warnings; a wrong type or value is a {@link ConfigException} naming key, file and line.
 */
public final class ConfigLoader {
  public static final String PROJECT_FILE = ".claude-orchestrator.toml";
  public static final String CONFIG_ENV = "ORCH_CONFIG";
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private final Map<String, String> env;
  private final Path cwd;
  private final UserDirs dirs;

  /** {@code home}: the home folder when {@code env} has no {@code HOME}. */
  public ConfigLoader(Map<String, String> env, Path cwd, Path home) {
    this.env = Map.copyOf(env);
    this.cwd = cwd.toAbsolutePath().normalize();
    this.dirs = UserDirs.of(env, home);
  }

  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
  }

  /** The user config file under {@code home} when neither HOME nor XDG_CONFIG_HOME says otherwise. */
  public static Path userConfigFile(Path home) {
    return UserDirs.of(Map.of(), home).userConfigFile();
  }

  /** The config and the warnings found on the way. */
  public record Loaded(OrchConfig config, List<String> warnings) {
  }

  public Loaded load(Path explicitFile) {
    return read(locate(explicitFile), null);
  }

  /**
   * The config of a project with nothing written and nothing overridden: every key at its {@link ConfigSchema} default,
   * typed. For tests and tools that run verticles without a config file; nothing else spells a default.
   */
  public static OrchConfig defaults(Path projectRoot) {
    Path root = projectRoot.toAbsolutePath().normalize();
    return new ConfigLoader(Map.of(), root, UserDirs.fromEnvironment()).read(Optional.empty(), root).config();
  }

  private ConfigLoader(Map<String, String> env, Path cwd, UserDirs dirs) {
    this.env = Map.copyOf(env);
    this.cwd = cwd.toAbsolutePath().normalize();
    this.dirs = dirs;
  }

  private Loaded read(Optional<Path> file, Path givenRoot) {
    String where = file.map(Path::toString).orElse("(defaults)");
    String text = file.map(this::read).orElse("");
    JsonNode tree = parse(text, where);
    TomlKeyLines lines = new TomlKeyLines(text);
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, JsonNode> written = new HashMap<>();
    collect(tree, "", written, warnings, where, lines);

    Path baseDir = file.map(f -> f.toAbsolutePath().getParent()).orElse(cwd);
    Map<String, Object> values = new HashMap<>();
    Source source = new Source(where, lines, written);
    Object root = resolve(ConfigSchema.PROJECT_ROOT, source, baseDir, null, errors);
    Path projectRoot = root != null ? (Path) root : givenRoot != null ? givenRoot : gitTopLevel(cwd);
    if (projectRoot == null) {
      errors.add(where + ": " + ConfigSchema.PROJECT_ROOT.path() + " is not set and " + cwd + " is not inside a git repository"
          + " (set it in the config, or run orch inside your project)");
    }
    values.put(ConfigSchema.PROJECT_ROOT.path(), projectRoot);
    for (ConfigKey<?> key : ConfigSchema.keys()) {
      if (key.kind() == ConfigKey.Kind.RETIRED) {
        if (written.containsKey(key.path())) {
          warnings.add(locate(where, lines, key.path()) + ": '" + key.path() + "' is no longer used: " + key.note());
        }
      } else if (key != ConfigSchema.PROJECT_ROOT) {
        values.put(key.path(), resolve(key, source, projectRoot == null ? cwd : projectRoot, projectRoot, errors));
      }
    }
    warnUnknownEnv(warnings);
    if (errors.isEmpty()) {
      checkRelations(new ConfigValues(values), source, errors);
    }
    if (errors.isEmpty()) {
      checkForge(new ConfigValues(values), source, errors);
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors, warnings);
    }
    return new Loaded(OrchConfig.from(file, new ConfigValues(values), env, dirs), List.copyOf(warnings));
  }

  private record Source(String where, TomlKeyLines lines, Map<String, JsonNode> written) {
  }

  private Optional<Path> locate(Path explicitFile) {
    Path explicit = explicitFile != null ? explicitFile
        : env.containsKey(CONFIG_ENV) && !env.get(CONFIG_ENV).isBlank() ? Path.of(env.get(CONFIG_ENV)) : null;
    if (explicit != null) {
      Path resolved = cwd.resolve(expandHome(explicit.toString())).normalize();
      if (!Files.isRegularFile(resolved)) {
        throw new ConfigException(List.of(resolved + ": config file not found"));
      }
      return Optional.of(resolved);
    }
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(PROJECT_FILE);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    Path user = dirs.userConfigFile();
    return Files.isRegularFile(user) ? Optional.of(user) : Optional.empty();
  }

  private String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read config: " + e.getMessage()));
    }
  }

  private static JsonNode parse(String text, String where) {
    try {
      JsonNode tree = new TomlMapper().readTree(text);
      return tree == null ? new TomlMapper().createObjectNode() : tree;
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String line = at != null && at.getLineNr() > 0 ? ":" + at.getLineNr() : "";
      throw new ConfigException(List.of(where + line + ": not valid TOML: " + e.getOriginalMessage()));
    }
  }

  private static void collect(JsonNode node, String prefix, Map<String, JsonNode> written, List<String> warnings,
      String where, TomlKeyLines lines) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (ConfigSchema.key(path).isPresent()) {
        written.put(path, field.getValue());
      } else if (field.getValue().isObject() && ConfigSchema.isSection(path)) {
        collect(field.getValue(), path, written, warnings, where, lines);
      } else {
        warnings.add(locate(where, lines, path) + ": unknown key '" + path + "' (ignored)" + suggestion(path));
      }
    }
  }

  private static String suggestion(String path) {
    return ConfigSchema.keys().stream()
        .map(ConfigKey::path)
        .filter(k -> distance(k, path) <= 3)
        .min(Comparator.comparingInt(k -> distance(k, path)))
        .map(k -> "; did you mean '" + k + "'?")
        .orElse("");
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }

  private static String locate(String where, TomlKeyLines lines, String path) {
    int line = lines.lineOf(path);
    return where + (line > 0 ? ":" + line : "");
  }

  private Object resolve(ConfigKey<?> key, Source source, Path baseDir, Path projectRoot, List<String> errors) {
    String envValue = env.get(key.envName());
    try {
      if (envValue != null) {
        return fromText(key, envValue, cwd, projectRoot);
      }
      JsonNode node = source.written().get(key.path());
      if (node != null) {
        return fromToml(key, node, baseDir, projectRoot);
      }
      return defaultValue(key, projectRoot);
    } catch (IllegalArgumentException e) {
      String origin = envValue != null ? "environment variable " + key.envName()
          : locate(source.where(), source.lines(), key.path());
      errors.add(origin + ": '" + key.path() + "' " + (ConfigSchema.SECRET_KEYS.contains(key)
          ? "must be " + key.describeKind() + " (the value is not repeated here: it is a secret)" : e.getMessage()));
      return null;
    }
  }

  private Object defaultValue(ConfigKey<?> key, Path projectRoot) {
    if (key.kind() == ConfigKey.Kind.PATH) {
      String template = (String) key.defaultValue();
      boolean needsRoot = template != null && template.contains("${project_root}");
      return template == null || needsRoot && projectRoot == null ? null : toPath(template, cwd, projectRoot);
    }
    if (key.kind() == ConfigKey.Kind.DURATION) {
      return parseDuration((String) key.defaultValue());
    }
    return key.defaultValue();
  }

  private Object fromToml(ConfigKey<?> key, JsonNode node, Path baseDir, Path projectRoot) {
    return switch (key.kind()) {
      case STRING -> requireText(key, node);
      case PATH -> toPath(requireText(key, node), baseDir, projectRoot);
      case CHOICE -> checkChoice(key, requireText(key, node));
      case INT -> {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
          throw wrongType(key, node);
        }
        yield checkRange(key, node.asLong());
      }
      case DECIMAL -> {
        if (!node.isNumber()) {
          throw wrongType(key, node);
        }
        yield checkDecimal(key, node.asDouble());
      }
      case BOOL -> {
        if (!node.isBoolean()) {
          throw wrongType(key, node);
        }
        yield node.asBoolean();
      }
      case STRING_LIST, REGEX_LIST, GLOB_LIST -> {
        if (!node.isArray()) {
          throw wrongType(key, node);
        }
        List<String> out = new ArrayList<>();
        node.forEach(item -> out.add(requireText(key, item)));
        yield checkEntries(key, List.copyOf(out));
      }
      case DURATION -> node.isIntegralNumber() ? Duration.ofSeconds(node.asLong()) : parseDuration(requireText(key, node));
      case RETIRED -> null;
    };
  }

  private Object fromText(ConfigKey<?> key, String text, Path baseDir, Path projectRoot) {
    String trimmed = text.trim();
    return switch (key.kind()) {
      case STRING -> text;
      case PATH -> toPath(trimmed, baseDir, projectRoot);
      case CHOICE -> checkChoice(key, trimmed);
      case INT -> {
        try {
          yield checkRange(key, Long.parseLong(trimmed));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be " + key.describeKind() + ", got '" + text + "'");
        }
      }
      case DECIMAL -> {
        try {
          yield checkDecimal(key, Double.parseDouble(trimmed));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be " + key.describeKind() + ", got '" + text + "'");
        }
      }
      case BOOL -> switch (trimmed.toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException("must be true or false, got '" + text + "'");
      };
      case STRING_LIST, REGEX_LIST, GLOB_LIST -> checkEntries(key, trimmed.isEmpty() ? List.of()
          : List.of(trimmed.split("\\s*,\\s*")));
      case DURATION -> parseDuration(trimmed);
      case RETIRED -> null;
    };
  }

  private static String requireText(ConfigKey<?> key, JsonNode node) {
    if (!node.isTextual()) {
      throw wrongType(key, node);
    }
    return node.asText();
  }

  private static IllegalArgumentException wrongType(ConfigKey<?> key, JsonNode node) {
    String got = node.isTextual() ? "the string \"" + node.asText() + "\"" : node.isArray() ? "a list"
        : node.isObject() ? "a table" : node.toString();
    return new IllegalArgumentException("must be " + key.describeKind() + ", got " + got);
  }

  private static Integer checkRange(ConfigKey<?> key, long value) {
    if (value < key.min() || value > key.max()) {
      throw new IllegalArgumentException("must be " + key.describeKind() + ", got " + value);
    }
    return (int) value;
  }

  private static List<String> checkEntries(ConfigKey<?> key, List<String> entries) {
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      try {
        if (key.kind() == ConfigKey.Kind.REGEX_LIST) {
          java.util.regex.Pattern.compile(entry);
        } else if (key.kind() == ConfigKey.Kind.GLOB_LIST) {
          java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + entry);
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("entry " + (i + 1) + " (\"" + entry + "\") is not a valid "
            + (key.kind() == ConfigKey.Kind.REGEX_LIST ? "regular expression" : "glob") + ": "
            + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return entries;
  }

  private static Double checkDecimal(ConfigKey<?> key, double value) {
    if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("must be " + key.describeKind() + ", got " + value);
    }
    return value;
  }

  private static String checkChoice(ConfigKey<?> key, String value) {
    if (!key.choices().contains(value)) {
      throw new IllegalArgumentException("must be " + key.describeKind() + ", got \"" + value + "\"");
    }
    return value;
  }

  static Duration parseDuration(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(trimmed));
    }
    Matcher m = DURATION.matcher(trimmed);
    if (trimmed.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("must be a duration such as \"90s\", \"10m\", \"8h\" or \"1h30m\", got \"" + text + "\"");
    }
    long seconds = 0;
    seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
    seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
    seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    return Duration.ofSeconds(seconds);
  }

  private Path toPath(String raw, Path baseDir, Path projectRoot) {
    if (raw.isBlank()) {
      throw new IllegalArgumentException("must be a path, got an empty string");
    }
    String text = raw;
    if (text.contains("${project_root}")) {
      if (projectRoot == null) {
        throw new IllegalArgumentException("uses ${project_root}, which is not known");
      }
      text = text.replace("${project_root}", projectRoot.toString());
    }
    return baseDir.resolve(expandHome(text)).toAbsolutePath().normalize();
  }

  private String expandHome(String text) {
    return dirs.expand(text);
  }

  /**
   * The checkout {@code start} is in; inside a linked worktree (an agent's), the project's main checkout, so orch
   * commands run there (orch mcp, orch status) find the project's state.
   */
  private static Path gitTopLevel(Path start) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(start.toFile());
    if (builder.getGitDir() == null) {
      return null;
    }
    Path commonDirFile = builder.getGitDir().toPath().resolve("commondir");
    if (java.nio.file.Files.isRegularFile(commonDirFile)) {
      try {
        Path common = builder.getGitDir().toPath().resolve(java.nio.file.Files.readString(commonDirFile).strip()).normalize();
        if (common.getFileName() != null && common.getFileName().toString().equals(".git")) {
          return common.getParent().toAbsolutePath().normalize();
        }
      } catch (IOException e) {
        // fall through: treat it as a checkout of its own
      }
    }
    try {
      builder.setup();
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
    return builder.getWorkTree() == null ? null : builder.getWorkTree().toPath().toAbsolutePath().normalize();
  }

  /** A GitHub forge needs its repository and a token. */
  private void checkForge(ConfigValues values, Source source, List<String> errors) {
    if (!"github".equals(values.get(ConfigSchema.FORGE_KIND))) {
      return;
    }
    String kind = ConfigSchema.FORGE_KIND.path();
    for (ConfigKey<String> key : List.of(ConfigSchema.GITHUB_OWNER, ConfigSchema.GITHUB_REPO)) {
      if (values.get(key).isBlank()) {
        errors.add(locate(source.where(), source.lines(), kind) + ": " + kind + " is github, so '" + key.path()
            + "' must be set");
      }
    }
    if (values.get(ConfigSchema.GITHUB_TOKEN).isBlank() && !env.containsKey("GH_TOKEN") && !env.containsKey("GITHUB_TOKEN")) {
      errors.add(locate(source.where(), source.lines(), kind) + ": " + kind + " is github but there is no token:"
          + " set " + ConfigSchema.GITHUB_TOKEN.path() + ", GH_TOKEN or GITHUB_TOKEN");
    }
  }

  /** {@code executor.env} may not hand out what orch withholds from its children: tokens, ORCH_*, configured secrets. */
  private static void checkChildEnvironment(ConfigValues values, Source source, List<String> errors) {
    List<String> entries = values.get(ConfigSchema.EXECUTOR_ENV);
    String key = ConfigSchema.EXECUTOR_ENV.path();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String where = locate(source.where(), source.lines(), key) + ": '" + key + "' entry " + (i + 1);
      java.util.Optional<String> why = dev.orch.process.ChildEnvironment.forbidden(entry);
      if (why.isPresent()) {
        errors.add(where + ": " + why.get());
        continue;
      }
      int equals = entry.indexOf('=');
      String value = equals < 0 ? null : entry.substring(equals + 1);
      if (value != null && !value.isBlank() && ConfigSchema.SECRET_KEYS.stream().map(values::get)
          .anyMatch(value::equals)) {
        errors.add(where + ": sets " + entry.substring(0, equals) + " to the value of a secret setting (the value is not"
            + " repeated here); orch never gives its secrets to the processes it starts");
      }
    }
  }

  private void warnUnknownEnv(List<String> warnings) {
    env.keySet().stream()
        .filter(name -> name.startsWith(ConfigSchema.ENV_PREFIX) && name.contains("__"))
        .filter(name -> ConfigSchema.keys().stream().noneMatch(k -> k.envName().equals(name)))
        .sorted()
        .forEach(name -> warnings.add("environment variable " + name + " names no config key (ignored)"));
  }

  private static void checkRelations(ConfigValues values, Source source, List<String> errors) {
    checkChildEnvironment(values, source, errors);
    ConfigKey<Integer> intervalKey = ConfigSchema.BUILD_POOL_TIMEOUTS_HEARTBEAT_INTERVAL_SECS;
    ConfigKey<Integer> timeoutKey = ConfigSchema.BUILD_POOL_TIMEOUTS_HEARTBEAT_TIMEOUT_SECS;
    int interval = values.get(intervalKey);
    int timeout = values.get(timeoutKey);
    if (timeout <= interval) {
      errors.add(locate(source.where(), source.lines(), timeoutKey.path()) + ": '" + timeoutKey.path() + "' (" + timeout
          + ") must be greater than " + intervalKey.leaf() + " (" + interval + ")");
    }
    ConfigKey<Integer> jobDefaultKey = ConfigSchema.BUILD_POOL_TIMEOUTS_JOB_DEFAULT_SECS;
    ConfigKey<Integer> jobMaxKey = ConfigSchema.BUILD_POOL_TIMEOUTS_JOB_MAX_SECS;
    int jobDefault = values.get(jobDefaultKey);
    int jobMax = values.get(jobMaxKey);
    if (jobDefault > jobMax) {
      errors.add(locate(source.where(), source.lines(), jobDefaultKey.path()) + ": '" + jobDefaultKey.path() + "' ("
          + jobDefault + ") must not exceed " + jobMaxKey.leaf() + " (" + jobMax + ")");
    }
    String secret = ConfigSchema.BUILD_POOL_CLUSTER_SECRET.path();
    dev.orch.cluster.ClusterSecret.problem(values.get(ConfigSchema.BUILD_POOL_CLUSTER_SECRET), "'" + secret + "'")
        .ifPresent(p -> errors.add(locate(source.where(), source.lines(), secret) + ": " + p));
  }

}
