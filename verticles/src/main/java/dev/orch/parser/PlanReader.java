package dev.orch.parser;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads a whole plan folder into a {@link PlanSnapshot}: every {@code *.md} below it (hidden folders skipped),
 * parsed in parallel, resolved together, with README status tables applied where frontmatter says nothing.
 * A file whose bytes are the same as at the last read is not parsed again: its earlier result is reused (a file's
 * parse depends only on its path and bytes; resolution across files is always redone). Blocking: call it off the
 * event loop; one read at a time.
 */
public final class PlanReader {
  private final Path projectRoot;
  private final Path plansDir;
  /**
   * The last parse of each file with the bytes it came from. The bytes themselves, not a hash of them: comparing is
   * exact and cheaper than hashing again, and a plan of 5,000 tasks is 4 MB.
   */
  private final Map<Path, Parsed> parsedBefore = new ConcurrentHashMap<>();

  private record Parsed(byte[] bytes, ParsedFile file) {
  }

  public PlanReader(Path projectRoot, Path plansDir) {
    this.projectRoot = projectRoot.toAbsolutePath().normalize();
    this.plansDir = plansDir.toAbsolutePath().normalize();
  }

  public PlanSnapshot read() {
    long started = System.nanoTime();
    String plansRel = relative(plansDir);
    if (!Files.isDirectory(plansDir)) {
      return new PlanSnapshot(plansRel, List.of(),
          List.of(PlanIssue.of(plansRel, 0, "plans folder not found (create it, or set general.plans_dir)")),
          Map.of(), 0, elapsedMillis(started));
    }
    List<Path> files = markdownFiles();
    List<ParsedFile> parsed = files.parallelStream().map(this::parseFile).toList();
    parsedBefore.keySet().retainAll(Set.copyOf(files));

    List<PlanIssue> issues = new ArrayList<>();
    List<ParsedFile> tasks = new ArrayList<>();
    Map<String, String> contexts = new TreeMap<>();
    for (ParsedFile file : parsed) {
      switch (file.kind()) {
        case TASK -> tasks.add(file);
        case BROKEN -> issues.addAll(file.issues());
        case MODULE_CONTEXT -> contexts.merge(moduleOf(file.file()), file.file(), PlanReader::preferReadme);
        case OTHER -> { }
      }
    }
    DependencyResolver.Resolution resolution = DependencyResolver.resolve(tasks);
    issues.addAll(resolution.issues());
    StatusTable.Statuses statuses = readStatusTables(files, resolution.tasks());
    List<TaskSpec> specs = resolution.tasks().stream()
        .map(t -> t.planStatus() != null ? t
            : statuses.lookup(t.file(), t.taskId()).map(t::withPlanStatus).orElse(t))
        .toList();
    issues.sort(Comparator.comparing(PlanIssue::file).thenComparingInt(PlanIssue::line));
    return new PlanSnapshot(plansRel, specs, issues, contexts, files.size(), elapsedMillis(started));
  }

  private List<Path> markdownFiles() {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(plansDir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(plansDir) && dir.getFileName().toString().startsWith(".")
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String name = file.getFileName().toString();
          if (attrs.isRegularFile() && !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".md")) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot walk " + plansDir, e);
    }
    files.sort(Comparator.naturalOrder());
    return files;
  }

  private ParsedFile parseFile(Path path) {
    String file = relative(path);
    try {
      long size = Files.size(path);
      if (size > PlanText.MAX_BYTES) {
        parsedBefore.remove(path);
        return ParsedFile.broken(file, List.of(PlanIssue.of(file, 0, PlanText.tooLarge(size))));
      }
      byte[] bytes = Files.readAllBytes(path);
      Parsed before = parsedBefore.get(path);
      if (before != null && Arrays.equals(before.bytes(), bytes)) {
        return before.file();
      }
      ParsedFile parsed = parseBytes(path, file, bytes);
      parsedBefore.put(path, new Parsed(bytes, parsed));
      return parsed;
    } catch (IOException e) {
      parsedBefore.remove(path);
      return ParsedFile.broken(file, List.of(PlanIssue.of(file, 0, "cannot read: " + e.getMessage())));
    }
  }

  private ParsedFile parseBytes(Path path, String file, byte[] bytes) {
    try {
      PlanText.Decoded decoded = PlanText.decode(bytes);
      if (!decoded.ok()) {
        return ParsedFile.broken(file, List.of(PlanIssue.of(file, decoded.line(), decoded.problem())));
      }
      Path parent = path.getParent();
      String folder = parent.equals(plansDir) ? null : parent.getFileName().toString();
      return PlanFileParser.parse(file, folder, path.getFileName().toString(), decoded.text());
    } catch (RuntimeException e) {
      return ParsedFile.broken(file, List.of(PlanIssue.of(file, 0, "cannot parse: " + e)));
    }
  }

  private StatusTable.Statuses readStatusTables(List<Path> files, List<TaskSpec> tasks) {
    Set<String> modules = tasks.stream().map(TaskSpec::module).collect(Collectors.toSet());
    List<Path> readmes = new ArrayList<>();
    files.stream().filter(f -> f.getFileName().toString().equalsIgnoreCase("README.md")).forEach(readmes::add);
    readmes.add(projectRoot.resolve("README.md"));
    StatusTable.Statuses all = StatusTable.Statuses.empty();
    for (Path readme : readmes) {
      if (!Files.isRegularFile(readme)) {
        continue;
      }
      try {
        PlanText.Decoded decoded = PlanText.decode(Files.readAllBytes(readme));
        if (decoded.ok()) {
          Path parent = readme.getParent();
          String folderModule = parent.startsWith(plansDir) && !parent.equals(plansDir)
              ? PlanFileParser.moduleOfFolder(parent.getFileName().toString()) : null;
          all = all.merge(StatusTable.read(relative(readme), decoded.text(), folderModule, modules));
        }
      } catch (IOException e) {
        // An unreadable README only loses its status hints; the tasks themselves still sync.
      }
    }
    return all;
  }

  private String moduleOf(String file) {
    Path parent = Path.of(file).getParent();
    return PlanFileParser.moduleOfFolder(parent.getFileName().toString());
  }

  private static String preferReadme(String existing, String candidate) {
    return existing.toLowerCase(Locale.ROOT).endsWith("readme.md") ? existing : candidate;
  }

  private String relative(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path rel = abs.startsWith(projectRoot) ? projectRoot.relativize(abs) : abs;
    String text = rel.toString().replace('\\', '/');
    return text.isEmpty() ? "." : text;
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
