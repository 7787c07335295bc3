package dev.orch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PKCS#12 key and trust stores made with the JDK's keytool the way README's build pool section says: a certificate
 * authority, and per node a key pair it signed. For event-bus TLS in tests.
 */
public final class TestCerts {
  public static final String PASSWORD = "test-secret";

  private final Path dir;

  private TestCerts(Path dir) {
    this.dir = dir;
  }

  /** A new authority in {@code dir}: {@code ca.p12}, and {@code trust.p12} holding its certificate. */
  public static TestCerts authority(Path dir) {
    TestCerts certs = new TestCerts(dir);
    keytool("-genkeypair", "-alias", "ca", "-dname", "CN=orch-test-ca", "-ext", "bc:c", "-keyalg", "EC", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", certs.ca().toString(), "-storepass", PASSWORD);
    keytool("-exportcert", "-alias", "ca", "-keystore", certs.ca().toString(), "-storepass", PASSWORD, "-rfc", "-file",
        dir.resolve("ca.pem").toString());
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(), "-storetype", "PKCS12",
        "-keystore", certs.trustStore().toString(), "-storepass", PASSWORD);
    return certs;
  }

  private Path ca() {
    return dir.resolve("ca.p12");
  }

  public Path trustStore() {
    return dir.resolve("trust.p12");
  }

  /** A key pair for a node on 127.0.0.1, signed by this authority: {@code <name>.p12}. */
  public Stores node(String name) {
    Path keyStore = dir.resolve(name + ".p12");
    Path request = dir.resolve(name + ".csr");
    Path signed = dir.resolve(name + ".pem");
    keytool("-genkeypair", "-alias", "node", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-keyalg", "EC",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
    keytool("-certreq", "-alias", "node", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", request.toString());
    keytool("-gencert", "-alias", "ca", "-keystore", ca().toString(), "-storepass", PASSWORD, "-ext", "SAN=ip:127.0.0.1",
        "-validity", "2", "-rfc", "-infile", request.toString(), "-outfile", signed.toString());
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(), "-keystore",
        keyStore.toString(), "-storepass", PASSWORD);
    keytool("-importcert", "-alias", "node", "-file", signed.toString(), "-keystore", keyStore.toString(), "-storepass",
        PASSWORD);
    return new Stores(keyStore, trustStore());
  }

  /** A key pair nobody signed, with this authority's trust store: it knows whom to trust but is trusted by nobody. */
  public Stores stranger(String name) {
    Path keyStore = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", "node", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-keyalg", "EC",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
    return new Stores(keyStore, trustStore());
  }

  public record Stores(Path keyStore, Path trustStore) {
  }

  private static void keytool(String... args) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(Path.of(args[java.util.Arrays.asList(args).indexOf("-keystore") + 1]).getParent());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
