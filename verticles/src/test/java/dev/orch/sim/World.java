package dev.orch.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
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
final class World implements AutoCloseable {
  /** An agent process: it works for a while, then commits to its branch and exits, or dies without a commit. */
  final class Agent {
    final long id;
    final String taskId;
    final long runId;
    final String branch;
    final boolean dies;
    boolean alive = true;
    boolean committed;
    /** The orch life that follows this process, told when it exits; null while no orch follows it. */
    Consumer<Agent> onExit;

    Agent(long id, String taskId, long runId, String branch, boolean dies) {
      this.id = id;
      this.taskId = taskId;
      this.runId = runId;
      this.branch = branch;
      this.dies = dies;
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

  World(Path dir, VirtualTime time, Random random, Set<Long> agentsToKill) throws Exception {
    this.time = time;
    this.random = random;
    this.agentsToKill = agentsToKill;
    this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").setBare(true).call().getRepository();
    ObjectId first = commit(null, Map.of("README.md", "the project\n"), "initial commit");
    setRef(Constants.R_HEADS + "main", first);
  }

  /** Starts an agent for a run; the pidfile the executor writes at spawn is the run id it can find it by. */
  Agent spawn(String taskId, long runId, String branch, Duration workFor) {
    for (Agent other : agents.values()) {
      if (other.alive && other.taskId.equals(taskId)) {
        violations.add("two live agents for " + taskId + " (runs " + other.runId + " and " + runId + ") at "
            + time.now());
      }
    }
    long id = nextAgent++;
    agentsSpawned++;
    Agent agent = new Agent(id, taskId, runId, branch, agentsToKill.contains(id));
    agents.put(id, agent);
    time.after(workFor, null, () -> exit(agent));
    return agent;
  }

  Agent agentOfRun(long runId) {
    return agents.values().stream().filter(a -> a.runId == runId).findFirst().orElse(null);
  }

  long liveAgents() {
    return agents.values().stream().filter(a -> a.alive).count();
  }

  void kill(Agent agent) {
    if (agent.alive) {
      agent.alive = false;
      tell(agent);
    }
  }

  private void exit(Agent agent) {
    if (!agent.alive) {
      return;
    }
    if (!agent.dies) {
      try {
        ObjectId base = head(agent.branch);
        ObjectId onto = base != null ? base : head(Constants.R_HEADS + "main");
        ObjectId made = commit(onto, Map.of(fileOf(agent.taskId), "written by run " + agent.runId + "\n"),
            agent.taskId + ": work of run " + agent.runId);
        setRef(agent.branch, made);
        agentCommits.add(made);
        agent.committed = true;
      } catch (IOException e) {
        violations.add("agent of " + agent.taskId + " could not commit: " + e);
      }
    }
    agent.alive = false;
    tell(agent);
  }

  private void tell(Agent agent) {
    if (agent.onExit != null) {
      agent.onExit.accept(agent);
    }
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
