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
import dev.orch.executor.SupervisedRuns;
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
    final long startedAt;
    final Promise<Integer> exit = Promise.promise();
    boolean alive = true;
    boolean committed;

    Agent(long id, String taskId, String branch, Path worktree, Path log, boolean dies) {
      this.id = id;
      this.taskId = taskId;
      this.branch = branch;
      this.worktree = worktree;
      this.log = log;
      this.dies = dies;
      this.startedAt = time.now();
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

  final VirtualTime time;
  final Random random;
  final Repository git;
  private final Map<Long, Agent> agents = new LinkedHashMap<>();
  private final Set<ObjectId> agentCommits = new LinkedHashSet<>();
  final List<String> violations = new ArrayList<>();
  private long nextAgent = 1;
  private final Set<Long> agentsToKill;
  /** The forge answers 5xx (or 409) to merges until then. */
  long forgeDownUntil;
  int agentsSpawned;
  /** The executor polls its agents' logs; the simulation has it look whenever one exits. */
  Runnable onAnyExit = () -> { };

  World(Path dir, VirtualTime time, Random random, Set<Long> agentsToKill) throws Exception {
    this.time = time;
    this.random = random;
    this.agentsToKill = agentsToKill;
    this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").setBare(true).call().getRepository();
    ObjectId first = commit(null, Map.of("README.md", "the project\n"), "initial commit");
    setRef(Constants.R_HEADS + "main", first);
  }

  @Override
  public SupervisedRuns.Agent spawn(String taskId, String branch, Path worktree, Path log) {
    for (Agent other : agents.values()) {
      if (other.alive && other.taskId.equals(taskId)) {
        violations.add("two live agents for " + taskId + " (pids " + other.id + " and " + nextAgent + ") at minute "
            + (time.now() - VirtualTime.START) / 60_000);
      }
    }
    long id = nextAgent++;
    agentsSpawned++;
    Agent agent = new Agent(id, taskId, branch, worktree, log, agentsToKill.contains(id));
    agents.put(id, agent);
    time.after(Duration.ofMinutes(2 + random.nextInt(9)), null, () -> exit(agent));
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
      ObjectId base = head(agent.branch);
      ObjectId onto = base != null ? base : head(Constants.R_HEADS + "main");
      ObjectId made = commit(onto, Map.of(fileOf(agent.taskId), "written by agent " + agent.id + "\n"),
          agent.taskId + ": work of agent " + agent.id);
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

  // ---- the forge's side of git

  /** A squash of the branch onto main, as the forge does it; its message names the task and the pull request. */
  void squash(String branch, String taskId, int number) throws IOException {
    ObjectId tip = head(branch);
    ObjectId main = head(Constants.R_HEADS + "main");
    ObjectId made = commit(main, Map.of(fileOf(taskId), read(tip, fileOf(taskId))), squashMessage(taskId, number));
    setRef(Constants.R_HEADS + "main", made);
  }

  static String squashMessage(String taskId, int number) {
    return taskId + " (#" + number + ")";
  }

  /** How many squashes of this task main holds. */
  int squashesOnMain(String taskId) throws IOException {
    int count = 0;
    try (RevWalk walk = new RevWalk(git)) {
      walk.markStart(walk.parseCommit(head(Constants.R_HEADS + "main")));
      for (RevCommit commit : walk) {
        if (commit.getShortMessage().startsWith(taskId + " (#")) {
          count++;
        }
      }
    }
    return count;
  }

  List<String> unreachableAgentCommits() throws IOException {
    Set<ObjectId> reachable = new LinkedHashSet<>();
    try (RevWalk walk = new RevWalk(git)) {
      for (Ref ref : git.getRefDatabase().getRefs()) {
        walk.markStart(walk.parseCommit(ref.getObjectId()));
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
      return entry == null ? "" : new String(reader.open(entry.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  private ObjectId commit(ObjectId parent, Map<String, String> files, String message) throws IOException {
    try (ObjectInserter inserter = git.newObjectInserter(); ObjectReader reader = git.newObjectReader();
        RevWalk walk = new RevWalk(git)) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      if (parent != null) {
        builder.addTree(new byte[0], 0, reader, walk.parseCommit(parent).getTree());
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
      if (parent != null) {
        commit.setParentId(parent);
      }
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
}
