package dev.orch.buildpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.UploadPack;

/**
 * JGit's git daemon serving the project repository read-only (upload-pack only, no push) as {@code git://host:port/project},
 * so build agents fetch the commits their jobs name, snapshot refs included. It has no authentication: it listens on
 * 127.0.0.1 unless configured otherwise (build_pool.git_daemon_listen_addr; see README).
 */
final class GitDaemonServer {
  static final String NAME = "project";

  private final Daemon daemon;
  private final Repository repository;

  private GitDaemonServer(Daemon daemon, Repository repository) {
    this.daemon = daemon;
    this.repository = repository;
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
      daemon.setUploadPackFactory((request, db) -> {
        UploadPack pack = new UploadPack(db);
        pack.setRequestPolicy(UploadPack.RequestPolicy.REACHABLE_COMMIT);
        return pack;
      });
      daemon.start();
      return new GitDaemonServer(daemon, repository);
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
