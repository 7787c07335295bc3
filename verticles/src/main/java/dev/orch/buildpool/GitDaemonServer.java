package dev.orch.buildpool;

import dev.orch.contract.GitRefs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.LsRefsV2Request;
import org.eclipse.jgit.transport.ProtocolV2Hook;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;

/**
 * JGit's git daemon serving the project repository read-only (upload-pack only, no push) as {@code git://host:port/project},
 * so build agents fetch the commits their jobs name. It shows none of the repository's own refs (branches, snapshots
 * with untracked files): only one made-up ref per job handed to an agent, {@code refs/orch/jobs/<128 random bits>},
 * while that job runs, and only what is reachable from those. A client must name such a ref to see it: listing every
 * ref (protocol v2's ls-refs without a prefix) is refused. It listens on 127.0.0.1 unless configured otherwise
 * (build_pool.git_daemon_listen_addr; see README).
 */
final class GitDaemonServer {
  static final String NAME = "project";
  static final String JOB_REFS = GitRefs.JOBS;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Daemon daemon;
  private final Repository repository;
  private final Map<String, Ref> live;

  private GitDaemonServer(Daemon daemon, Repository repository, Map<String, Ref> live) {
    this.daemon = daemon;
    this.repository = repository;
    this.live = live;
  }

  /** A ref only this job's agent knows, pointing at its commit, served until {@link #withdraw}. */
  String expose(String commit) {
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    String name = JOB_REFS + HexFormat.of().formatHex(token);
    live.put(name, new ObjectIdRef.PeeledNonTag(Ref.Storage.LOOSE, name, ObjectId.fromString(commit)));
    return name;
  }

  void withdraw(String ref) {
    if (ref != null) {
      live.remove(ref);
    }
  }

  static GitDaemonServer start(Path projectRoot, String host, int port) {
    try {
      Repository repository = new FileRepositoryBuilder().findGitDir(projectRoot.toFile()).setMustExist(true).build();
      InetSocketAddress address = host == null || host.isBlank() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
      Daemon daemon = new Daemon(address);
      daemon.getService("git-receive-pack").setEnabled(false);
      daemon.getService("git-upload-pack").setEnabled(true);
      daemon.setRepositoryResolver((request, name) -> {
        String clean = name.replaceAll("^/+", "").replaceAll("\\.git$", "");
        if (!clean.equals(NAME)) {
          throw new RepositoryNotFoundException(name);
        }
        repository.incrementOpen();
        return repository;
      });
      Map<String, Ref> live = new ConcurrentHashMap<>();
      daemon.setUploadPackFactory((request, db) -> {
        UploadPack pack = new UploadPack(db);
        pack.setAdvertisedRefs(Map.copyOf(live));
        pack.setRequestPolicy(UploadPack.RequestPolicy.REACHABLE_COMMIT);
        pack.setProtocolV2Hook(new ProtocolV2Hook() {
          @Override
          public void onLsRefs(LsRefsV2Request ls) throws ServiceMayNotContinueException {
            if (ls.getRefPrefixes().isEmpty()
                || ls.getRefPrefixes().stream().anyMatch(prefix -> !prefix.matches(".*refs/orch/jobs/[0-9a-f]{32}(/HEAD)?"))) {
              throw new ServiceMayNotContinueException("name the job's ref: listing refs is not served");
            }
          }
        });
        return pack;
      });
      daemon.start();
      return new GitDaemonServer(daemon, repository, live);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the git daemon on " + host + ":" + port, e);
    }
  }

  int port() {
    return daemon.getAddress().getPort();
  }

  String address() {
    return daemon.getAddress().toString();
  }

  void stop() {
    daemon.stop();
    repository.close();
  }
}
