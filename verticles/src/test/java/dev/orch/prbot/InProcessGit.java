package dev.orch.prbot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
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
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * Git done in process with JGit on the simulation's real repository: the same objects, refs and three-way merges as
 * the git command line, without a process per command (the simulation walks a few hundred schedules, each with
 * hundreds of git steps). Blocking, and quick.
 */
final class InProcessGit {
  static final String MAIN = "main";
  static final String MAIN_REF = Constants.R_HEADS + MAIN;

  final Repository repo;
  private final java.time.Clock clock;

  InProcessGit(Repository repo, java.time.Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  ObjectId tip(String ref) throws IOException {
    Ref found = repo.exactRef(ref);
    return found == null ? null : found.getObjectId();
  }

  /** Moves {@code ref} to {@code to} if it is still at {@code from} (null: wherever it is). */
  boolean move(String ref, ObjectId from, ObjectId to) throws IOException {
    RefUpdate update = repo.updateRef(ref);
    if (from != null) {
      update.setExpectedOldObjectId(from);
    }
    update.setNewObjectId(to);
    update.setForceUpdate(from == null);
    RefUpdate.Result result = update.update();
    return result == RefUpdate.Result.NEW || result == RefUpdate.Result.FAST_FORWARD
        || result == RefUpdate.Result.FORCED || result == RefUpdate.Result.NO_CHANGE;
  }

  boolean isAncestor(ObjectId ancestor, ObjectId of) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(of));
    }
  }

  ObjectId mergeBase(ObjectId a, ObjectId b) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setRevFilter(RevFilter.MERGE_BASE);
      walk.markStart(walk.parseCommit(a));
      walk.markStart(walk.parseCommit(b));
      RevCommit base = walk.next();
      return base == null ? null : base.copy();
    }
  }

  /** Commits on {@code head} that {@code base} lacks, oldest first. */
  List<RevCommit> commitsBetween(ObjectId base, ObjectId head) throws IOException {
    List<RevCommit> out = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(head));
      walk.markUninteresting(walk.parseCommit(base));
      walk.sort(org.eclipse.jgit.revwalk.RevSort.TOPO, true);
      walk.sort(org.eclipse.jgit.revwalk.RevSort.REVERSE, true);
      for (RevCommit commit : walk) {
        out.add(commit);
      }
    }
    return out;
  }

  RevCommit parse(ObjectId commit) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit parsed = walk.parseCommit(commit);
      for (RevCommit parent : parsed.getParents()) {
        walk.parseHeaders(parent);
      }
      return parsed;
    }
  }

  /** The change from {@code base} to {@code head} the way {@code git diff base...head --unified=0 -M} prints it. */
  String diff(ObjectId base, ObjectId head) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DiffFormatter format = new DiffFormatter(out); RevWalk walk = new RevWalk(repo)) {
      format.setRepository(repo);
      format.setContext(0);
      format.setDetectRenames(true);
      format.format(walk.parseCommit(base).getTree(), walk.parseCommit(head).getTree());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  List<DiffEntry> changes(ObjectId base, ObjectId head) throws IOException {
    try (DiffFormatter format = new DiffFormatter(org.eclipse.jgit.util.io.DisabledOutputStream.INSTANCE);
        RevWalk walk = new RevWalk(repo)) {
      format.setRepository(repo);
      return format.scan(walk.parseCommit(base).getTree(), walk.parseCommit(head).getTree());
    }
  }

  /** Lines added and removed from {@code base} to {@code head}. */
  int[] lines(ObjectId base, ObjectId head) throws IOException {
    int[] counts = new int[2];
    try (DiffFormatter format = new DiffFormatter(org.eclipse.jgit.util.io.DisabledOutputStream.INSTANCE);
        RevWalk walk = new RevWalk(repo)) {
      format.setRepository(repo);
      for (DiffEntry entry : format.scan(walk.parseCommit(base).getTree(), walk.parseCommit(head).getTree())) {
        for (org.eclipse.jgit.diff.Edit edit : format.toFileHeader(entry).toEditList()) {
          counts[0] += edit.getLengthB();
          counts[1] += edit.getLengthA();
        }
      }
    }
    return counts;
  }

  String read(ObjectId commit, String path) throws IOException {
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
      var entry = org.eclipse.jgit.treewalk.TreeWalk.forPath(reader, path, walk.parseCommit(commit).getTree());
      return entry == null ? null : new String(reader.open(entry.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code tree} with {@code files} written over it (a null content removes the file). */
  ObjectId overlay(ObjectId tree, Map<String, String> files) throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      if (tree != null) {
        builder.addTree(new byte[0], 0, reader, tree);
      }
      builder.finish();
      DirCacheBuilder edit = index.builder();
      for (int i = 0; i < index.getEntryCount(); i++) {
        if (!files.containsKey(index.getEntry(i).getPathString())) {
          edit.add(index.getEntry(i));
        }
      }
      for (Map.Entry<String, String> file : files.entrySet()) {
        if (file.getValue() != null) {
          DirCacheEntry entry = new DirCacheEntry(file.getKey());
          entry.setFileMode(FileMode.REGULAR_FILE);
          entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
          edit.add(entry);
        }
      }
      edit.finish();
      ObjectId written = index.writeTree(inserter);
      inserter.flush();
      return written;
    }
  }

  ObjectId treeOf(ObjectId commit) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(commit).getTree().copy();
    }
  }

  ObjectId commit(ObjectId tree, String message, String who, ObjectId... parents) throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentIds(parents);
      PersonIdent ident = new PersonIdent(who, who + "@orch.invalid", new java.util.Date(clock.millis()),
          java.util.TimeZone.getTimeZone("UTC"));
      commit.setAuthor(ident);
      commit.setCommitter(ident);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  /** A three-way merge in memory: the merged tree, or the conflicting paths. */
  record Merged(ObjectId tree, List<String> conflicts) {
    boolean clean() {
      return conflicts.isEmpty();
    }
  }

  /** Merges {@code theirs} into {@code ours}; {@code base} null for their merge base. */
  Merged merge(ObjectId ours, ObjectId theirs, ObjectId base) throws IOException {
    org.eclipse.jgit.merge.ResolveMerger merger = (org.eclipse.jgit.merge.ResolveMerger)
        org.eclipse.jgit.merge.MergeStrategy.RECURSIVE.newMerger(repo, true);
    if (base != null) {
      merger.setBase(base);
    }
    if (merger.merge(ours, theirs)) {
      return new Merged(merger.getResultTreeId(), List.of());
    }
    List<String> conflicts = new ArrayList<>(merger.getUnmergedPaths());
    if (merger.getFailingPaths() != null) {
      conflicts.addAll(merger.getFailingPaths().keySet());
    }
    return new Merged(null, conflicts.isEmpty() ? List.of("(the merge failed)") : conflicts);
  }
}
