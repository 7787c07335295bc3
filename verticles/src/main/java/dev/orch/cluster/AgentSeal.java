package dev.orch.cluster;

import dev.orch.contract.OrchException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals every message that crosses hosts between orch and its build agents. Hazelcast hands the cluster name to
 * whoever asks, and any node with a trusted certificate may join; what proves a sender is that it knows the cluster
 * secret. A sealed message is encrypted (AES-CTR, so job commands and output stay private from other members) and
 * authenticated (HMAC-SHA256 over the version, time, nonce and ciphertext, with a key of its own), carries its
 * action inside the seal (a header could be changed), is refused outside a 2-minute window of this clock, and is
 * refused when its nonce was already seen (a replay). Thread-safe.
 */
public final class AgentSeal {
  static final Duration WINDOW = Duration.ofMinutes(2);
  private static final String VERSION = "orch-seal-1";
  private static final int NONCE_BYTES = 16;
  /** More nonces than an agent fleet sends in two minutes; past it, messages are refused rather than memory grown. */
  private static final int MAX_SEEN = 500_000;

  /** What a seal held: the action and its body. */
  public record Opened(String action, JsonObject body) {
  }

  private final SecretKeySpec cipherKey;
  private final SecretKeySpec macKey;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /** Nonce to the time it stops being accepted anyway, oldest first. */
  private final Map<String, Long> seen = new LinkedHashMap<>();

  private AgentSeal(byte[] secret, Clock clock) {
    this.cipherKey = new SecretKeySpec(derive(secret, "cipher"), "AES");
    this.macKey = new SecretKeySpec(derive(secret, "mac"), "HmacSHA256");
    this.clock = clock;
  }

  public static AgentSeal of(String secret, Clock clock) {
    if (secret == null || secret.length() < ClusterSecret.MIN_LENGTH) {
      throw new IllegalArgumentException("the cluster secret must be at least " + ClusterSecret.MIN_LENGTH + " characters");
    }
    return new AgentSeal(secret.getBytes(StandardCharsets.UTF_8), clock);
  }

  public JsonObject seal(String action, JsonObject body) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    long time = clock.millis();
    byte[] plain = new JsonObject().put("a", action).put("b", body == null ? new JsonObject() : body).encode()
        .getBytes(StandardCharsets.UTF_8);
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, cipherKey, new IvParameterSpec(nonce));
      byte[] sealed = cipher.doFinal(plain);
      Base64.Encoder b64 = Base64.getEncoder();
      return new JsonObject().put("v", VERSION).put("t", time).put("n", b64.encodeToString(nonce))
          .put("c", b64.encodeToString(sealed)).put("m", b64.encodeToString(mac(time, nonce, sealed)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a message", e);
    }
  }

  /** The action and body, or {@link dev.orch.contract.ErrorCode#FORBIDDEN} for anything not sealed by a secret holder. */
  public Opened open(Object message) {
    if (!(message instanceof JsonObject sealed) || !VERSION.equals(sealed.getValue("v"))
        || !(sealed.getValue("t") instanceof Number t) || !(sealed.getValue("n") instanceof String n)
        || !(sealed.getValue("c") instanceof String c) || !(sealed.getValue("m") instanceof String m)) {
      throw OrchException.forbidden("not a sealed message: cluster members must prove the cluster secret");
    }
    byte[] nonce;
    byte[] cipherText;
    byte[] mac;
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      nonce = b64.decode(n);
      cipherText = b64.decode(c);
      mac = b64.decode(m);
    } catch (IllegalArgumentException e) {
      throw OrchException.forbidden("a sealed message that is not base64");
    }
    long time = t.longValue();
    if (nonce.length != NONCE_BYTES || !MessageDigest.isEqual(mac, mac(time, nonce, cipherText))) {
      throw OrchException.forbidden("a message not sealed with this cluster's secret");
    }
    long now = clock.millis();
    if (Math.abs(now - time) > WINDOW.toMillis()) {
      throw OrchException.forbidden("a sealed message from " + (now - time) / 1000 + " s ago (outside the "
          + WINDOW.toSeconds() + " s window; are the clocks in sync?)");
    }
    remember(n, time + WINDOW.toMillis(), now);
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, cipherKey, new IvParameterSpec(nonce));
      JsonObject plain = new JsonObject(new String(cipher.doFinal(cipherText), StandardCharsets.UTF_8));
      if (!(plain.getValue("a") instanceof String action) || !(plain.getValue("b") instanceof JsonObject body)) {
        throw OrchException.forbidden("a sealed message without an action and a body");
      }
      return new Opened(action, body);
    } catch (GeneralSecurityException | DecodeException e) {
      throw OrchException.forbidden("a sealed message that does not decrypt to JSON");
    }
  }

  private synchronized void remember(String nonce, long expires, long now) {
    for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next() >= now) {
        break;
      }
      it.remove();
    }
    if (seen.containsKey(nonce)) {
      throw OrchException.forbidden("a sealed message seen before (a replay)");
    }
    if (seen.size() >= MAX_SEEN) {
      throw OrchException.forbidden("too many sealed messages in the last " + WINDOW.toSeconds() + " s");
    }
    seen.put(nonce, expires);
  }

  private byte[] mac(long time, byte[] nonce, byte[] cipherText) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(macKey);
      hmac.update((VERSION + "|" + time + "|").getBytes(StandardCharsets.UTF_8));
      hmac.update(nonce);
      hmac.update(cipherText);
      return hmac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key of its own for each use, so the cipher key and the MAC key never coincide. */
  private static byte[] derive(byte[] secret, String use) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return hmac.doFinal((VERSION + " " + use).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
