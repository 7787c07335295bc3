package dev.orch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a large synthetic plan: {@code modules} folders of {@code perModule} task files each, with frontmatter,
 * acceptance criteria, a test-summary table, and random explicit dependencies on earlier modules (so no cycles).
 * Usage: PlanGenerator DIR [modules=50] [perModule=100] [seed=42]
 */
public final class PlanGenerator {
  private PlanGenerator() {
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    int modules = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int perModule = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
    int written = generate(root, modules, perModule, seed);
    System.out.println("wrote " + written + " plan files under " + root.resolve("docs/plans"));
  }

  public static int generate(Path root, int modules, int perModule, long seed) throws IOException {
    Random random = new Random(seed);
    Path plans = root.resolve("docs/plans");
    int written = 0;
    for (int m = 0; m < modules; m++) {
      String module = String.format("module-%02d", m);
      Path dir = Files.createDirectories(plans.resolve(module));
      Files.writeString(dir.resolve("README.md"), "# " + module + "\n\nContext for " + module + ".\n");
      for (int n = 1; n <= perModule; n++) {
        List<String> deps = new ArrayList<>();
        int count = m == 0 ? 0 : random.nextInt(3);
        for (int d = 0; d < count; d++) {
          deps.add(String.format("module-%02d/E%02d", random.nextInt(m), 1 + random.nextInt(perModule)));
        }
        Files.writeString(dir.resolve(String.format("epic-%02d-task-%d.md", n, n)), taskText(module, n, deps, random));
        written++;
      }
    }
    return written;
  }

  private static String taskText(String module, int number, List<String> deps, Random random) {
    StringBuilder text = new StringBuilder("---\n");
    text.append("module: ").append(module).append('\n');
    text.append("epic: ").append(number).append('\n');
    text.append("title: Task ").append(number).append(" of ").append(module).append('\n');
    text.append("priority: ").append(new String[] {"high", "medium", "low"}[random.nextInt(3)]).append('\n');
    if (!deps.isEmpty()) {
      text.append("depends_on:\n");
      deps.forEach(d -> text.append("  - ").append(d).append('\n'));
    }
    text.append("---\n\n# Epic ").append(number).append(": Task ").append(number).append("\n\n");
    text.append("Implement the behaviour described here, with tests, and keep the public API stable.\n\n");
    text.append("## Acceptance Criteria\n\n");
    for (int i = 0; i < 5; i++) {
      text.append("- [").append(random.nextInt(4) == 0 ? 'x' : ' ').append("] criterion ").append(i + 1).append('\n');
    }
    text.append("\n## Test Summary\n\n| Suite | Passed | Failed |\n|---|---|---|\n| unit | ")
        .append(random.nextInt(50)).append(" | 0 |\n\n## Notes\n\n");
    text.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(8)).append('\n');
    return text.toString();
  }
}
