package dev.orch.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SSH host key: made once with the JDK's keytool (an EC key in a PKCS#12 file, which is what Vert.x Shell reads)
 * and kept, so clients see the same host key after every restart. The file is readable by its owner only; its
 * password guards nothing the file permissions do not already.
 */
final class HostKey {
  static final String PASSWORD = "orch-ssh-host-key";

  private HostKey() {
  }

  /** Blocking. */
  static void ensure(Path file) {
    if (Files.isRegularFile(file)) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path partial = file.resolveSibling(file.getFileName() + ".new");
      Files.deleteIfExists(partial);
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "orch-ssh", "-keyalg", "EC",
          "-groupname", "secp256r1", "-dname", "CN=orch shell", "-validity", "36500", "-storetype", "PKCS12",
          "-keystore", partial.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool could not make the SSH host key " + file + ": " + output.strip());
      }
      try {
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the folder's own protection is all there is.
      }
      Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the SSH host key " + file, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the SSH host key", e);
    }
  }
}
