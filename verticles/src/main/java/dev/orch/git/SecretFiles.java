package dev.orch.git;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises files that, by their name, usually hold credentials: dotenv files, private keys and key stores, cloud and
 * package-registry credentials. Examples and public halves ({@code .env.example}, {@code id_rsa.pub}) are not secrets.
 * Names only: a secret pasted into {@code App.java} is review routing's job (its patterns), not this class's.
 */
public final class SecretFiles {
  private record Kind(Pattern name, String what) {
  }

  private static final Pattern EXAMPLE = Pattern.compile(
      "(.*[._-])?(example|examples|sample|samples|template|templates|tmpl|dist|defaults?|schema)([._-].*)?|.+\\.pub");

  private static final List<Kind> KINDS = List.of(
      new Kind(Pattern.compile("\\.env(\\..+)?|.+\\.env"), "an environment file"),
      new Kind(Pattern.compile(".+\\.(pem|key|p12|pfx|jks|keystore|ppk|p8)"), "a private key or key store"),
      new Kind(Pattern.compile("id_(rsa|dsa|ecdsa|ed25519)(_.*)?"), "an SSH private key"),
      new Kind(Pattern.compile("(credentials|client_secrets?|service[-_]account)([-_.].*)?\\.json"), "a credentials file"),
      new Kind(Pattern.compile("credentials"), "a credentials file"),
      new Kind(Pattern.compile("\\.(npmrc|pypirc|netrc|git-credentials|htpasswd|dockercfg|pgpass|s3cfg)|_netrc"),
          "a file that holds registry or login credentials"),
      new Kind(Pattern.compile(".+\\.tfvars(\\.json)?"), "a Terraform variables file"));

  private SecretFiles() {
  }

  /** Why {@code path} (relative, with '/') looks like it holds a secret, or empty when it does not. */
  public static Optional<String> reason(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (EXAMPLE.matcher(name).matches()) {
      return Optional.empty();
    }
    for (Kind kind : KINDS) {
      if (kind.name().matcher(name).matches()) {
        return Optional.of(kind.what());
      }
    }
    if (path.toLowerCase(Locale.ROOT).matches("(.*/)?\\.(aws|ssh|gnupg|docker)/.+")) {
      return Optional.of("a file from a credentials folder");
    }
    return Optional.empty();
  }

  public static boolean looksSecret(String path) {
    return reason(path).isPresent();
  }
}
