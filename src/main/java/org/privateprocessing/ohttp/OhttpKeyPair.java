package org.privateprocessing.ohttp;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/**
 * A gateway key: its public {@link KeyConfig} plus the private key, held in memory only.
 *
 * <p>Nothing here exports the private key: it stays inside the HPKE backend objects and {@link
 * #toString()} shows only the public configuration. {@link #destroy()} zeroes the private key in
 * place when it is retired (see {@link KeyErasure} for what that cannot reach).
 */
public final class OhttpKeyPair implements Destroyable {
  private final KeyConfig config;
  private final Hpke.KeyPair keyPair;

  private OhttpKeyPair(int keyId, List<SymmetricSuite> suites, Hpke.KeyPair keyPair) {
    requireRunnableSuites(suites);
    this.keyPair = keyPair;
    this.config = new KeyConfig(keyId, keyPair.kemId, keyPair.publicKey(), suites);
  }

  /** Generates a fresh key pair for {@code kemId} from {@code random}. */
  public static OhttpKeyPair generate(
      int keyId, int kemId, List<SymmetricSuite> suites, SecureRandom random) {
    Objects.requireNonNull(random, "random");
    requireKem(kemId);
    return new OhttpKeyPair(keyId, suites, Hpke.generateKeyPair(kemId, random));
  }

  /**
   * Imports a private key: the X25519 scalar (32 bytes, as in RFC 9458 Appendix A) or the X-Wing
   * 32-byte seed. Meant for test vectors and for keys restored from a sealed store.
   */
  public static OhttpKeyPair fromPrivateKey(
      int keyId, int kemId, byte[] privateKey, List<SymmetricSuite> suites) {
    Objects.requireNonNull(privateKey, "privateKey");
    requireKem(kemId);
    return new OhttpKeyPair(keyId, suites, Hpke.keyPairFromPrivateKey(kemId, privateKey));
  }

  /** The public key configuration to publish. */
  public KeyConfig config() {
    return config;
  }

  Hpke.KeyPair hpkeKeyPair() {
    return keyPair;
  }

  /**
   * Zeroes the private key where the HPKE backend holds it; the key opens nothing afterwards.
   * Callers must make sure no decapsulation with this key is running.
   *
   * @throws DestroyFailedException when the backend's objects cannot be reached to clear them
   */
  @Override
  public void destroy() throws DestroyFailedException {
    keyPair.destroy();
  }

  /** Whether every private key byte this pair holds is zero. */
  @Override
  public boolean isDestroyed() {
    return keyPair.isDestroyed();
  }

  @Override
  public String toString() {
    return "OhttpKeyPair[" + config + ", privateKey=<hidden>]";
  }

  private static void requireKem(int kemId) {
    if (!Hpke.isSupportedKem(kemId)) {
      throw new IllegalArgumentException("unsupported KEM " + HpkeIds.kemName(kemId));
    }
  }

  // A gateway must be able to honour every suite it advertises.
  private static void requireRunnableSuites(List<SymmetricSuite> suites) {
    Objects.requireNonNull(suites, "suites");
    for (SymmetricSuite s : suites) {
      if (!s.isSupported()) {
        throw new IllegalArgumentException("unsupported symmetric suite " + s);
      }
    }
  }
}
