package dev.orch.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import dev.orch.contract.GitRefs;
import dev.orch.executor.SupervisedRuns;
import dev.orch.prbot.SimulatedPrbot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * What outlives orch: the git repository, the agent processes (a kill -9 of orch does not kill them), and what the
 * forge and people do. It also watches the invariants that must hold at every moment.
 */
final class World implements AutoCloseable, SupervisedRuns.Agents {
  /**
   * An agent process: it works for a while, then commits to its branch, writes a successful result to its log and
   * exits 0; or dies without either. Its pid is its number, its start time the virtual time it was spawned.
   */
  final class Agent implements SupervisedRuns.Agent {
    final long id;
    final String taskId;
    final String branch;
    final Path worktree;
    final Path log;
    final boolean dies;
    /** Started while the model API refuses: it stops within seconds with the CLI's limit result, having done nothing. */
    final boolean refused;
    /** The follow-up it was asked (a prbot template), or null for a fresh run. */
    final String asked;
    final long startedAt;
    /** The main branch when its worktree was made: a fresh branch starts there, not where main is when it commits. */
    final ObjectId mainAtStart;
    final Promise<Integer> exit = Promise.promise();
    boolean alive = true;
    boolean committed;

    Agent(long id, String taskId, String branch, Path worktree, Path log, boolean dies, String asked) {
      this.asked = asked;
      this.id = id;
      this.taskId = taskId;
      this.branch = branch;
      this.worktree = worktree;
      this.log = log;
      this.dies = dies;
      this.startedAt = time.now();
      this.refused = startedAt >= refusingFrom && startedAt < refusingUntil;
      try {
        this.mainAtStart = head(MAIN);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public long pid() {
      return id;
    }

    @Override
    public long startedAt() {
      return startedAt;
    }

    @Override
    public boolean alive() {
      return alive;
    }

    @Override
    public Future<Integer> exit() {
      return exit.future();
    }

    @Override
    public void kill(boolean force) {
      if (alive) {
        alive = false;
        ended(this, 143);
      }
    }
  }

  static final String MAIN = Constants.R_HEADS + "main";
  /** The file two tasks with no dependency between them both change, on the same line. */
  static final String SHARED = "src/shared.txt";

  final VirtualTime time;
  final Random random;
  final Repository git;
  private final Map<Long, Agent> agents = new LinkedHashMap<>();
  private final Set<ObjectId> agentCommits = new LinkedHashSet<>();
  final List<String> violations = new ArrayList<>();
  /** What the walk went through: prbot's events ("flagged", "fixing conflict", ...). */
  final Set<String> walked = new java.util.TreeSet<>();
  /** Every pull request flagged for a person, as "task: reason". */
  final Set<String> flagged = new LinkedHashSet<>();
  private long nextAgent = 1;
  private final Set<Long> agentsToKill;
  /** The forge answers 5xx (or 409) to merges until then. */
  long forgeDownUntil;
  /** The model API refuses every agent that starts in [refusingFrom, refusingUntil) for a rate limit. */
  long refusingFrom;
  long refusingUntil;
  int agentsSpawned;
  /** Agents started while the model API refused: the governor should keep these to a handful. */
  int agentsRefused;

  /** The executor polls its agents' logs; the simulation has it look whenever one exits. */
  Runnable onAnyExit = () -> { };

  World(Path dir, VirtualTime time, Random random, Set<Long> agentsToKill) throws Exception {
    this.time = time;
    this.random = random;
    this.agentsToKill = agentsToKill;
    this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").setBare(true).call().getRepository();
    // An empty packed-refs file and pack folder, as git gc would leave them: without them JGit looks for both on
    // nearly every ref and object read, and each miss costs it an exception and a regular expression.
    Files.createDirectories(dir.resolve("objects").resolve("pack"));
    if (!Files.exists(dir.resolve("packed-refs"))) {
      Files.writeString(dir.resolve("packed-refs"), "# pack-refs with: peeled fully-peeled sorted \n");
    }
    ObjectId first = commit(null, Map.of("README.md", "the project\n", SHARED, "shared by two tasks\nsetting = none\n"
        + "the end\n"), "initial commit");
    setRef(MAIN, first);
  }

  @Override
  public SupervisedRuns.Agent spawn(String taskId, String branch, Path worktree, Path log, String asked) {
    for (Agent other : agents.values()) {
      if (other.alive && other.taskId.equals(taskId)) {
        violations.add("two live agents for " + taskId + " (pids " + other.id + " and " + nextAgent + ") at minute "
            + (time.now() - VirtualTime.START) / 60_000);
      }
    }
    long id = nextAgent++;
    agentsSpawned++;
    Agent agent = new Agent(id, taskId, branch, worktree, log, agentsToKill.contains(id), asked);
    agents.put(id, agent);
    if (agent.refused) {
      agentsRefused++;
      walked.add("refused by the model API");
      time.after(Duration.ofSeconds(2), null, () -> refuse(agent));
    } else {
      time.after(Duration.ofMinutes(2 + random.nextInt(9)), null, () -> exit(agent));
    }
    return agent;
  }

  @Override
  public Optional<SupervisedRuns.Agent> find(long pid, long startedAt) {
    Agent agent = agents.get(pid);
    return agent != null && agent.alive && agent.startedAt == startedAt ? Optional.of(agent) : Optional.empty();
  }

  @Override
  public List<SupervisedRuns.Agent> workingIn(Path dir) {
    return agents.values().stream().filter(a -> a.alive && a.worktree.startsWith(dir))
        .map(a -> (SupervisedRuns.Agent) a).toList();
  }

  long liveAgents() {
    return agents.values().stream().filter(a -> a.alive).count();
  }

  /** The CLI's own lines for a request the API refused with 429: a typed result, exit status 1. */
  private void refuse(Agent agent) {
    if (!agent.alive) {
      return;
    }
    agent.alive = false;
    try {
      Files.writeString(agent.log, "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
          + "\"terminal_reason\":\"api_error\",\"api_error_status\":429,\"api_error_type\":\"rate_limit_error\","
          + "\"result\":\"API Error: 429\",\"session_id\":\"s" + agent.id + "\",\"num_turns\":1,\"total_cost_usd\":0}\n",
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      violations.add("agent of " + agent.taskId + " could not write its result: " + e);
    }
    ended(agent, 1);
  }

  private void exit(Agent agent) {
    if (!agent.alive) {
      return;
    }
    agent.alive = false;
    if (agent.dies) {
      ended(agent, 1);
      return;
    }
    try {
      ObjectId made = work(agent);
      setRef(agent.branch, made);
      agentCommits.add(made);
      agent.committed = true;
      Files.writeString(agent.log, "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
          + "\"result\":\"done\",\"session_id\":\"s" + agent.id + "\",\"num_turns\":1,\"total_cost_usd\":0.01}\n",
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      violations.add("agent of " + agent.taskId + " could not finish its work: " + e);
    }
    ended(agent, 0);
  }

  /**
   * An agent's commit on its branch: a line in its task's own file ("fix" in a fix round, which turns its checks
   * green), and for the tasks that share a file, its value added at the end of that file's shared line. Asked to
   * resolve a conflict, it merges the main branch in and keeps both values on the shared line.
   */
  private ObjectId work(Agent agent) throws IOException {
    ObjectId main = head(MAIN);
    ObjectId tip = head(agent.branch);
    ObjectId base = tip != null ? tip : agent.mainAtStart;
    String own = fileOf(agent.taskId);
    String before = read(base, own);
    String what = SimulatedPrbot.CHECKS_FAILED.equals(agent.asked) || SimulatedPrbot.REJECTED.equals(agent.asked)
        ? "a fix" : SimulatedPrbot.CONFLICT.equals(agent.asked)
        ? "the conflict resolved" : "work";
    Map<String, String> files = new LinkedHashMap<>();
    files.put(own, (before == null ? "" : before) + "agent " + agent.id + ": " + what + "\n");
    if (SimulatedPrbot.CONFLICT.equals(agent.asked) && tip != null && !isAncestor(main, tip)) {
      String[] lines = read(main, SHARED).split("\n", -1);
      lines[1] = lines[1] + ", " + agent.taskId;
      files.put(SHARED, String.join("\n", lines));
      return commit(main, files, agent.taskId + ": agent " + agent.id + " merges main, resolving the conflict", tip, main);
    }
    if (Simulation.SHARING.contains(agent.taskId)) {
      String[] lines = read(base, SHARED).split("\n", -1);
      if (!lines[1].contains(agent.taskId)) {
        lines[1] = lines[1] + ", " + agent.taskId;
      }
      files.put(SHARED, String.join("\n", lines));
    }
    return commit(base, files, agent.taskId + ": " + what + " of agent " + agent.id, base);
  }

  private void ended(Agent agent, int code) {
    agent.exit.tryComplete(code);
    onAnyExit.run();
  }

  /** The branch the executor names for a task, as a ref. */
  static String branchOf(String taskId) {
    return "refs/heads/orch/" + taskId.replace('/', '-');
  }

  static String fileOf(String taskId) {
    return "src/" + taskId.replace('/', '-') + ".txt";
  }

  // ---- what the forge and the executor do to the repository, and what is checked in it

  /** The forge's answer to a merge now (as {@link SimulatedPrbot.Surroundings#forgeRefuses}): 5xx and 409 in turn. */
  int forgeRefuses() {
    return time.now() >= forgeDownUntil ? 0 : (int) (1 + (time.now() / 30_000) % 2);
  }

  /** The checks are red for the tasks that need a fix round until their branch holds one. */
  boolean checksPass(Path worktree) {
    String taskId = taskOf(worktree);
    if (!Simulation.RED_ONCE.contains(taskId)) {
      return true;
    }
    try {
      ObjectId tip = head(branchOf(taskId));
      String own = tip == null ? null : read(tip, fileOf(taskId));
      return own != null && own.contains(": a fix");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String taskOf(Path worktree) {
    String name = worktree.getFileName().toString();
    int dash = name.lastIndexOf('-');
    return name.substring(0, dash) + "/" + name.substring(dash + 1);
  }

  @Override
  public List<String> removeWorktree(String taskId, String branch, Path worktree, String label) throws IOException {
    List<String> saved = new ArrayList<>();
    String slug = taskId.replace('/', '-');
    ObjectId tip = head(branch);
    if (tip != null) {
      ObjectId merged = head(GitRefs.MERGED + slug);
      if (!isAncestor(tip, head(MAIN)) && !tip.equals(merged)) {
        setRef(GitRefs.ARCHIVE + slug + "/" + label, tip);
        saved.add(GitRefs.ARCHIVE + slug + "/" + label);
      }
      RefUpdate delete = git.updateRef(branch);
      delete.setForceUpdate(true);
      delete.delete();
    }
    if (Files.exists(worktree)) {
      try (var paths = Files.walk(worktree)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    return saved;
  }

  /** How many commits on main's first-parent line carry this task's change (orch's Orch-Task trailer). */
  int squashesOnMain(String taskId) throws IOException {
    int count = 0;
    try (RevWalk walk = new RevWalk(git)) {
      walk.setFirstParent(true);
      walk.markStart(walk.parseCommit(head(MAIN)));
      for (RevCommit commit : walk) {
        if (commit.getFooterLines("Orch-Task").contains(taskId)) {
          count++;
        }
      }
    }
    return count;
  }

  /** The file as main has it now. */
  String onMain(String path) throws IOException {
    String content = read(head(MAIN), path);
    return content == null ? "" : content;
  }

  boolean isAncestor(ObjectId ancestor, ObjectId of) throws IOException {
    try (RevWalk walk = new RevWalk(git)) {
      return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(of));
    }
  }

  List<String> unreachableAgentCommits() throws IOException {
    Set<ObjectId> reachable = new LinkedHashSet<>();
    try (RevWalk walk = new RevWalk(git)) {
      for (Ref ref : git.getRefDatabase().getRefs()) {
        String name = ref.getName();
        if (name.startsWith(Constants.R_HEADS) || name.startsWith(GitRefs.ARCHIVE) || name.startsWith(GitRefs.MERGED)
            || name.startsWith(GitRefs.JOBS)) {
          walk.markStart(walk.parseCommit(ref.getObjectId()));
        }
      }
      for (RevCommit commit : walk) {
        reachable.add(commit.copy());
      }
    }
    return agentCommits.stream().filter(c -> !reachable.contains(c)).map(ObjectId::name).toList();
  }

  ObjectId head(String ref) throws IOException {
    Ref found = git.exactRef(ref);
    return found == null ? null : found.getObjectId();
  }

  void setRef(String ref, ObjectId to) throws IOException {
    RefUpdate update = git.updateRef(ref);
    update.setNewObjectId(to);
    update.setForceUpdate(true);
    update.update();
  }

  private String read(ObjectId commit, String path) throws IOException {
    try (RevWalk walk = new RevWalk(git); ObjectReader reader = git.newObjectReader()) {
      var tree = walk.parseCommit(commit).getTree();
      var entry = org.eclipse.jgit.treewalk.TreeWalk.forPath(reader, path, tree);
      return entry == null ? null : new String(reader.open(entry.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A commit of {@code treeOf}'s tree with {@code files} written over it, on {@code parents}. */
  private ObjectId commit(ObjectId treeOf, Map<String, String> files, String message, ObjectId... parents)
      throws IOException {
    try (ObjectInserter inserter = git.newObjectInserter(); ObjectReader reader = git.newObjectReader();
        RevWalk walk = new RevWalk(git)) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      if (treeOf != null) {
        builder.addTree(new byte[0], 0, reader, walk.parseCommit(treeOf).getTree());
      }
      builder.finish();
      DirCacheBuilder edit = index.builder();
      for (int i = 0; i < index.getEntryCount(); i++) {
        if (!files.containsKey(index.getEntry(i).getPathString())) {
          edit.add(index.getEntry(i));
        }
      }
      files.forEach((path, content) -> {
        try {
          DirCacheEntry entry = new DirCacheEntry(path);
          entry.setFileMode(FileMode.REGULAR_FILE);
          entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
          edit.add(entry);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      edit.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setParentIds(parents);
      PersonIdent who = new PersonIdent("sim", "sim@orch.invalid", new java.util.Date(time.now()),
          java.util.TimeZone.getTimeZone("UTC"));
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  @Override
  public void close() {
    git.close();
  }

  /**
   * Until closed, JGit reads no git configuration of the machine or the user: every schedule's repository behaves the
   * same wherever it runs, and JGit stops checking on nearly every ref and object access whether those files (most of
   * them missing) changed, each missing one costing it a thrown exception.
   */
  static AutoCloseable withoutMachineConfig() {
    org.eclipse.jgit.util.SystemReader previous = org.eclipse.jgit.util.SystemReader.getInstance();
    org.eclipse.jgit.util.SystemReader.setInstance(new org.eclipse.jgit.util.SystemReader.Delegate(previous) {
      private final org.eclipse.jgit.lib.StoredConfig none = new org.eclipse.jgit.lib.StoredConfig() {
        @Override
        public void load() {
        }

        @Override
        public void save() {
        }
      };

      @Override
      public org.eclipse.jgit.lib.StoredConfig getUserConfig() {
        return none;
      }

      @Override
      public org.eclipse.jgit.lib.StoredConfig getSystemConfig() {
        return none;
      }

      @Override
      public org.eclipse.jgit.lib.StoredConfig getJGitConfig() {
        return none;
      }
    });
    return () -> org.eclipse.jgit.util.SystemReader.setInstance(previous);
  }
}
