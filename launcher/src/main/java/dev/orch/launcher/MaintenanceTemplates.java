package dev.orch.launcher;

import dev.orch.contract.OrchException;
import dev.orch.config.PromptFolders;
import dev.orch.executor.PromptLibrary;
import dev.orch.executor.template.PromptTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The maintenance templates of {@code orch maintain}: the built-in seven, and any {@code maintenance/*.md} in the
 * prompt override folders ({@link PromptFolders}), where a file with a built-in's name replaces it. Each has YAML
 * frontmatter ({@code id}, {@code name}, {@code description}, {@code scopes}) and a body that may use
 * {@code {{.Scope}}}, {@code {{.Module}}} and {@code {{.Package}}}. {@value #WRAPPER}, as in the reference project, is
 * no template of its own: when an override folder has one, it wraps every template's rendered body
 * ({@code {{.Prompt}}}), and the result is the task's plan.
 */
final class MaintenanceTemplates {
  static final List<String> BUILT_IN = List.of("refactor", "cleanup", "optimize", "docs", "tests", "security", "lint");
  static final Set<String> VARIABLES = Set.of("Scope", "Module", "Package");
  static final String WRAPPER = "wrapper.md";
  static final Set<String> WRAPPER_VARIABLES = Set.of("Prompt", "Scope", "Module", "Package");
  private static final String FOLDER = "maintenance";

  record Template(String id, String name, String description, List<String> scopes, String body, String origin) {
  }

  private final List<Path> overrideDirs;

  /** @param overrideDirs first match wins ({@link PromptFolders#of}) */
  MaintenanceTemplates(List<Path> overrideDirs) {
    this.overrideDirs = List.copyOf(overrideDirs);
  }

  /** Every template by id: overrides first, then the built-ins they do not replace. */
  Map<String, Template> all() {
    Map<String, Template> found = new LinkedHashMap<>();
    for (Path dir : overrideDirs) {
      Path folder = dir.resolve(FOLDER);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (var files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".md"))
            .filter(f -> !f.getFileName().toString().equals(WRAPPER)).sorted().toList()) {
          Template template = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
          found.putIfAbsent(template.id(), template);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + folder, e);
      }
    }
    for (String id : BUILT_IN) {
      if (!found.containsKey(id)) {
        found.put(id, parse(builtIn(id), "built-in maintenance/" + id + ".md"));
      }
    }
    return found;
  }

  Template get(String id) {
    Template template = all().get(id);
    if (template == null) {
      throw OrchException.notFound("no maintenance template '" + id + "' (one of " + String.join(", ", all().keySet()) + ")");
    }
    return template;
  }

  private static String builtIn(String id) {
    try (InputStream in = MaintenanceTemplates.class.getResourceAsStream("/dev/orch/prompts/" + FOLDER + "/" + id + ".md")) {
      if (in == null) {
        throw new IllegalStateException("the built-in maintenance template " + id + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Template parse(String text, String origin) {
    String normalized = text.replace("\r\n", "\n");
    if (!normalized.startsWith("---\n") || normalized.indexOf("\n---\n", 4) < 0) {
      throw OrchException.badRequest(origin + ": a maintenance template starts with YAML frontmatter between --- lines");
    }
    int end = normalized.indexOf("\n---\n", 4);
    Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(normalized.substring(4, end));
    if (!(loaded instanceof Map<?, ?> front)) {
      throw OrchException.badRequest(origin + ": the frontmatter must be a YAML mapping");
    }
    String id = field(front, "id", origin);
    String name = field(front, "name", origin);
    String description = field(front, "description", origin);
    if (!(front.get("scopes") instanceof List<?> scopes) || scopes.isEmpty()
        || !scopes.stream().allMatch(s -> List.of("module", "package", "all").contains(String.valueOf(s)))) {
      throw OrchException.badRequest(origin + ": field 'scopes' must list one or more of module, package, all");
    }
    String body = normalized.substring(end + 5);
    // Parsed now, so a bad variable is reported with the file and line before anything is written.
    PromptTemplate.parse(body, origin, VARIABLES);
    return new Template(id, name, description, scopes.stream().map(String::valueOf).toList(), body, origin);
  }

  private static String field(Map<?, ?> front, String key, String origin) {
    Object value = front.get(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw OrchException.badRequest(origin + ": field '" + key + "' is required");
    }
    return text.trim();
  }

  static String render(Template template, Map<String, String> values) {
    return PromptTemplate.parse(template.body(), template.origin(), VARIABLES).render(values);
  }

  /** The template's body, wrapped in the first override folder's {@value #WRAPPER} when there is one. */
  String prompt(Template template, Map<String, String> values) {
    String body = render(template, values);
    Optional<PromptLibrary.Source> wrapper = new PromptLibrary(overrideDirs).override(FOLDER + "/" + WRAPPER);
    if (wrapper.isEmpty()) {
      return body;
    }
    Map<String, String> wrapped = new HashMap<>(values);
    wrapped.put("Prompt", body);
    return PromptTemplate.parse(wrapper.get().text(), wrapper.get().origin(), WRAPPER_VARIABLES).render(wrapped);
  }
}
