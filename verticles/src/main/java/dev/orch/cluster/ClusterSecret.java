package dev.orch.cluster;

import dev.orch.db.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The secret that build agents prove on every message ({@link AgentSeal}). There is always one: the configured
 * {@code build_pool.cluster_secret}, else {@code .orch/cluster-secret}, made on first use from 32 random bytes and
 * readable by its owner only. Blocking.
 */
public final class ClusterSecret {
  public static final int MIN_LENGTH = 16;
  public static final String FILE_NAME = "cluster-secret";

  /** The secret, and the file it lives in when it is not in the config (the one to copy to build agents). */
  public record Resolved(String secret, Optional<Path> file, boolean generated) {
    @Override
    public String toString() {
      return "ClusterSecret[" + file.map(Path::toString).orElse("configured") + (generated ? ", generated" : "") + "]";
    }
  }

  private ClusterSecret() {
  }

  /** Why a configured secret cannot be used, or empty when it can (an empty one means "generate"). */
  public static Optional<String> problem(String configured, String key) {
    if (configured != null && !configured.isEmpty() && configured.strip().length() < MIN_LENGTH) {
      return Optional.of(key + " must be at least " + MIN_LENGTH + " characters");
    }
    return Optional.empty();
  }

  public static Resolved resolve(String configured, Path stateDir) throws IOException {
    if (configured != null && !configured.isEmpty()) {
      problem(configured, "build_pool.cluster_secret").ifPresent(p -> {
        throw new IllegalArgumentException(p);
      });
      return new Resolved(configured.strip(), Optional.empty(), false);
    }
    Path file = stateDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      OwnerOnly.restrictFile(file);
      return new Resolved(read(file), Optional.of(file), false);
    }
    OwnerOnly.createDirectories(stateDir);
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try {
      Files.createFile(file, OwnerOnly.fileAttributes());
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      return new Resolved(secret, Optional.of(file), true);
    } catch (FileAlreadyExistsException e) {
      // Another orch made it at the same moment: use theirs.
      return new Resolved(read(file), Optional.of(file), false);
    }
  }

  /** A secret file as written by orch or by a person (one line; surrounding whitespace is not part of it). */
  public static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such secret file");
    }
    String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (secret.length() < MIN_LENGTH) {
      throw new IOException(file + ": the cluster secret in it must be at least " + MIN_LENGTH + " characters");
    }
    return secret;
  }
}
