package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as a process on plan trees in temp git repositories. */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class OrchCliIT {
  @TempDir
  Path tmp;
  Path home;
  PlanTree tree;
  OrchProcess orch;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(tmp.resolve("home"));
    tree = PlanTree.create(tmp.resolve("repo"));
    orch = new OrchProcess(home, Map.of());
  }

  private void writeGoodPlan() {
    tree.plan("core/README.md", "# Core\n\nContext for the core module.\n")
        .plan("core/epic-01-setup.md", PlanTree.task("Setup", "priority: high", "status: complete"))
        .plan("core/epic-02-api.md", PlanTree.task("API"))
        .plan("core/epic-04-gap.md", PlanTree.task("After a gap"))
        .plan("cli-impl/epic-cli-01-args.md", "# Parse args\n")
        .plan("cli-impl/epic-cli-02-help.md", "# Help text\n\n- [x] one\n- [ ] two\n")
        .plan("web/05-epic-pages.md", PlanTree.task("Pages", "depends_on: [core/E02, cli-impl/CLI02]"))
        .plan("notes/ideas.md", "# Not a task\n");
  }

  private void writeBadInputs() throws IOException {
    tree.plan("bad/epic-01-yaml.md", "---\ntitle: ok\npriority: [high\n---\n# Y\n")
        .plan("bad/epic-02-unterminated.md", "---\ntitle: never closed\n# U\n")
        .plan("bad/epic-03-unknown.md", PlanTree.task("Unknown dep", "depends_on:", "  - nowhere/E07"))
        .plan("bad/epic-04-self.md", PlanTree.task("Self", "depends_on: [bad/E04]"))
        .plan("loop/epic-01-a.md", PlanTree.task("Loop A", "depends_on: [loop/E03]"))
        .plan("loop/epic-02-b.md", PlanTree.task("Loop B"))
        .plan("loop/epic-03-c.md", PlanTree.task("Loop C"))
        .plan("dup/epic-01-first.md", PlanTree.task("First"))
        .plan("dup/01-epic-second.md", PlanTree.task("Second"))
        .writeBytes("docs/plans/enc/epic-01-latin1.md", "# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1))
        .writeBytes("docs/plans/enc/epic-02-binary.md", new byte[] {'#', ' ', 0, 1, 2, 3})
        .writeBytes("docs/plans/enc/epic-03-crlf-bom.md",
            ("\uFEFF---\r\ntitle: Windows file\r\ndepends_on:\r\n  - core/E01\r\n---\r\n# W\r\n").getBytes(StandardCharsets.UTF_8));
    try (RandomAccessFile huge = new RandomAccessFile(tree.plans().resolve("enc/epic-04-huge.md").toFile(), "rw")) {
      huge.setLength(10L * 1024 * 1024);
    }
  }

  private Map<String, JsonObject> listJson() throws Exception {
    OrchProcess.Result list = orch.run(tree.root(), "list", "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    return new JsonArray(list.out()).stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(o -> o.getString("id"), Function.identity()));
  }

  @Test
  void syncReportsEveryBadInputWithFileAndLineAndSyncsTheRest() throws Exception {
    writeGoodPlan();
    writeBadInputs();
    OrchProcess.Result sync = orch.run(tree.root(), "sync");
    assertThat(sync.exit()).as(sync.toString()).isEqualTo(1);
    assertThat(sync.err()).contains(
        "docs/plans/bad/epic-01-yaml.md:", "malformed YAML",
        "docs/plans/bad/epic-02-unterminated.md:1: frontmatter opened with '---' on line 1 is never closed",
        "docs/plans/bad/epic-03-unknown.md:3: depends on unknown task nowhere/E07",
        "docs/plans/bad/epic-04-self.md:2: bad/E04 depends on itself",
        "dependency cycle: loop/E01 -> loop/E03 -> loop/E02 -> loop/E01",
        "task id dup/E01 is also claimed by docs/plans/dup/epic-01-first.md",
        "docs/plans/enc/epic-01-latin1.md:1: not UTF-8",
        "docs/plans/enc/epic-02-binary.md:1: binary file",
        "docs/plans/enc/epic-04-huge.md: file is 10.0 MB");

    Map<String, JsonObject> tasks = listJson();
    JsonObject web = tasks.get("web/E05");
    assertThat(web.fieldNames()).contains("id", "module", "epic", "title", "status", "priority", "depends_on", "ready",
        "blocked_reason", "file");
    assertThat(web.getString("module")).isEqualTo("web");
    assertThat(web.getInteger("epic")).isEqualTo(5);
    assertThat(web.getJsonArray("depends_on")).containsExactly("core/E02", "cli-impl/CLI02");
    assertThat(web.getString("file")).isEqualTo("docs/plans/web/05-epic-pages.md");
    assertThat(tasks.get("core/E04").getJsonArray("depends_on")).containsExactly("core/E02");
    assertThat(tasks.get("core/E02").getBoolean("ready")).isTrue();
    assertThat(tasks.get("core/E01").getString("status")).isEqualTo("complete");
    assertThat(tasks.get("cli-impl/CLI01").getBoolean("ready")).isTrue();
    assertThat(tasks.get("enc/E03").getString("title")).isEqualTo("Windows file");
    assertThat(tasks.get("enc/E03").getValue("blocked_reason")).isNull();
    assertThat(tasks.get("enc/E03").getBoolean("ready")).isTrue();
    for (String blocked : new String[] {"bad/E01", "bad/E02", "bad/E03", "bad/E04", "loop/E01", "loop/E02", "loop/E03", "dup/E01"}) {
      assertThat(tasks.get(blocked).getString("status")).as(blocked).isEqualTo("blocked");
      assertThat(tasks.get(blocked).getString("blocked_reason")).as(blocked).isNotBlank();
    }
    assertThat(tasks).doesNotContainKeys("notes/E00");

    OrchProcess.Result again = orch.run(tree.root(), "sync", "--json");
    JsonObject report = new JsonObject(again.out());
    assertThat(report.getInteger("inserted")).isZero();
    assertThat(report.getInteger("updated")).isZero();
  }

  @Test
  void statusShowsCountsReadyAndBlockedReasons() throws Exception {
    writeGoodPlan();
    tree.plan("loop/epic-01-a.md", PlanTree.task("Loop A", "depends_on: [loop/E02]"))
        .plan("loop/epic-02-b.md", PlanTree.task("Loop B"));
    OrchProcess.Result status = orch.run(tree.root(), "status");
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out()).contains("Tasks: 8   ready: 2   blocked: 2", "complete", "loop/E01",
        "dependency cycle: loop/E01 -> loop/E02 -> loop/E01");
    JsonObject json = new JsonObject(orch.run(tree.root(), "status", "--json").out());
    assertThat(json.getInteger("ready")).isEqualTo(2);
    assertThat(json.getJsonObject("counts").getInteger("blocked")).isEqualTo(2);
  }

  @Test
  void listFiltersByModuleStatusAndReadiness() throws Exception {
    writeGoodPlan();
    OrchProcess.Result table = orch.run(tree.root(), "list", "--module", "core");
    assertThat(table.exit()).isZero();
    assertThat(table.out()).contains("ID", "core/E01", "core/E04").doesNotContain("web/E05");
    OrchProcess.Result ready = orch.run(tree.root(), "list", "--ready", "--json");
    assertThat(new JsonArray(ready.out()).stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly("cli-impl/CLI01", "core/E02");
    OrchProcess.Result complete = orch.run(tree.root(), "list", "--status", "complete", "--json");
    assertThat(new JsonArray(complete.out()).size()).isEqualTo(1);
  }

  @Test
  void graphPrintsDotAndMermaid() throws Exception {
    writeGoodPlan();
    OrchProcess.Result dot = orch.run(tree.root(), "graph");
    assertThat(dot.exit()).isZero();
    assertThat(dot.out()).startsWith("digraph plan {").contains("\"core/E02\" -> \"web/E05\";");
    OrchProcess.Result mermaid = orch.run(tree.root(), "graph", "--format", "mermaid");
    assertThat(mermaid.out()).startsWith("graph LR").contains("core_E02 --> web_E05", "classDef complete");
  }

  @Test
  void badConfigValueExitsTwoNamingKeyFileAndLine() throws Exception {
    writeGoodPlan();
    Path config = tree.root().resolve(".claude-orchestrator.toml");
    Files.writeString(config, "[general]\nmax_parallel_agents = 0\n\n[web]\nprot = 80\n");
    OrchProcess.Result result = orch.run(tree.root(), "status");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains("warning: " + config.toRealPath() + ":5: unknown key 'web.prot' (ignored); did you mean 'web.port'?")
        .contains("error: " + config.toRealPath() + ":2: 'general.max_parallel_agents' must be an integer from 1 to 256, got 0");
  }

  @Test
  void aWebPortInUseExitsNonZeroNamingTheKeyAndPort() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        OrchHarness harness = new OrchHarness(Files.createDirectories(tmp.resolve("busy")), new ScriptBook(),
            Map.of("web.host", "\"127.0.0.1\"", "web.port", String.valueOf(taken.getLocalPort())))) {
      OrchProcess.Result result = harness.orch("run");
      assertThat(result.exit()).as(result.toString()).isNotZero();
      assertThat(result.err()).contains("web.port").contains("127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void environmentOverridesAKey() throws Exception {
    tree.write("elsewhere/mod/epic-01-x.md", "# Elsewhere\n");
    OrchProcess withEnv = new OrchProcess(home, Map.of("ORCH_GENERAL__PLANS_DIR", "elsewhere"));
    OrchProcess.Result result = withEnv.run(tree.root(), "list", "--json");
    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out()).contains("mod/E01");
  }

  /** Java's own idea of home comes from the account database; a person's HOME and XDG_CONFIG_HOME are what count. */
  @Test
  void theScheduleAndUserConfigAreFoundUnderHomeAndXdgConfigHome() throws Exception {
    writeGoodPlan();
    Path schedule = Files.createDirectories(home.resolve(".config/claude-plan-orchestrator")).resolve("schedule.toml");
    Files.writeString(schedule, "[[batch]]\nname = \"nightly-from-home\"\ncron = \"0 3 * * *\"\nmax_tasks = 2\n");
    OrchProcess.Result list = orch.run(tree.root(), "batch", "list");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("nightly-from-home");

    Path xdg = Files.createDirectories(tmp.resolve("xdg/claude-plan-orchestrator"));
    Files.writeString(xdg.resolve("schedule.toml"), "[[batch]]\nname = \"nightly-from-xdg\"\ncron = \"0 4 * * *\"\n");
    OrchProcess withXdg = new OrchProcess(home, Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString()));
    OrchProcess.Result xdgList = withXdg.run(tree.root(), "batch", "list");
    assertThat(xdgList.exit()).as(xdgList.toString()).isZero();
    assertThat(xdgList.out()).contains("nightly-from-xdg").doesNotContain("nightly-from-home");
  }

  @Test
  void twoProjectsConfiguredWithOneStoreAreRefusedAndTheFirstKeepsItsTasks() throws Exception {
    writeGoodPlan();
    Path shared = tmp.resolve("shared/orch.db");
    Files.writeString(tree.root().resolve(".claude-orchestrator.toml"), "[general]\ndatabase_path = \"" + shared + "\"\n");
    OrchProcess.Result first = orch.run(tree.root(), "sync");
    assertThat(first.exit()).as(first.toString()).isZero();

    PlanTree other = PlanTree.create(tmp.resolve("other"));
    other.plan("solo/epic-01-only.md", PlanTree.task("Only"));
    other.write(".claude-orchestrator.toml", "[general]\ndatabase_path = \"" + shared + "\"\n");
    OrchProcess.Result second = orch.run(other.root(), "sync");
    assertThat(second.exit()).as(second.toString()).isNotZero();
    assertThat(second.err()).contains("general.database_path", "another project", tree.root().toString());

    OrchProcess.Result list = orch.run(tree.root(), "list", "--json");
    assertThat(list.out()).contains("core/E01").doesNotContain("\"removed\"");
  }

  /** The reference project's config points general.database_path at its own database: orch must not touch it. */
  @Test
  void theReferenceProjectsDatabaseIsRefusedNamingTheKeyAndLeftAsItWas() throws Exception {
    writeGoodPlan();
    Path reference = Files.createDirectories(home.resolve(".claude-plan-orchestrator")).resolve("orchestrator.db");
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + reference);
        var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE schema_migrations (version INTEGER NOT NULL, dirty INTEGER NOT NULL)");
      statement.execute("CREATE TABLE tasks (id TEXT PRIMARY KEY, module TEXT, status TEXT)");
      statement.execute("INSERT INTO tasks VALUES ('technical/E05', 'technical', 'in_progress')");
    }
    byte[] before = Files.readAllBytes(reference);
    Files.writeString(tree.root().resolve(".claude-orchestrator.toml"),
        "[general]\ndatabase_path = \"~/.claude-plan-orchestrator/orchestrator.db\"\n");

    OrchProcess.Result sync = orch.run(tree.root(), "sync");

    assertThat(sync.exit()).as(sync.toString()).isNotZero();
    assertThat(sync.err()).contains("another program's database", "general.database_path");
    assertThat(Files.readAllBytes(reference)).as("not one byte changed").isEqualTo(before);
  }

  @Test
  void outsideAGitRepositoryWithoutConfigExitsTwo() throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    OrchProcess.Result result = orch.run(plain, "status");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("not inside a git repository");
  }

  @Test
  void badUsageExitsTwo() throws Exception {
    OrchProcess.Result result = orch.run(tree.root(), "list", "--status", "sleeping");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("unknown status 'sleeping'");
    assertThat(orch.run(tree.root(), "frobnicate").exit()).isEqualTo(2);
  }

  @Test
  void versionAndHelp() throws Exception {
    assertThat(orch.run(tree.root(), "--version").out()).startsWith("orch ");
    OrchProcess.Result help = orch.run(tree.root(), "help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("sync", "status", "list", "graph", "demo");
  }

  @Test
  void demoBuildsASamplePlanAndShowsIt() throws Exception {
    OrchProcess.Result demo = orch.run(tmp, "demo");
    assertThat(demo.exit()).as(demo.toString()).isZero();
    assertThat(demo.out()).contains("Synced 4 tasks", "stand-in agent", "pull request #4 merged", "Hello, world!\nGoodbye!",
        "All tasks complete.");
  }
}
