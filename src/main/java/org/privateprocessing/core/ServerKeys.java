package org.privateprocessing.core;

import java.security.SecureRandom;
import java.util.List;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.ohttp.SymmetricSuite;

/**
 * The key set every OHTTP endpoint of this system offers (gateway outer layer, enclave inner
 * layer): X-Wing first, so clients that support it seal post-quantum, then X25519 for those that do
 * not; each with AES-128-GCM and ChaCha20-Poly1305. Generated in memory, or restored from a key
 * file ({@link #fromPrivateKey}, for the gateway's durable keys).
 */
public final class ServerKeys {
  /** Key id of the post-quantum hybrid (X-Wing) key config. */
  public static final int XWING_KEY_ID = 1;

  /** Key id of the classical X25519 key config. */
  public static final int X25519_KEY_ID = 0;

  private static final List<SymmetricSuite> SUITES =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);

  private ServerKeys() {}

  /** Length of a private key (X25519 scalar or X-Wing seed) of either KEM of this set. */
  public static final int PRIVATE_KEY_LENGTH = 32;

  /**
   * One key of this set from its private key ({@value #PRIVATE_KEY_LENGTH} uniformly random bytes:
   * both KEMs take any such string), with this set's suites.
   */
  public static OhttpKeyPair fromPrivateKey(int keyId, int kemId, byte[] privateKey) {
    return OhttpKeyPair.fromPrivateKey(keyId, kemId, privateKey, SUITES);
  }

  /** The key set with the usual ids ({@value #XWING_KEY_ID}, {@value #X25519_KEY_ID}). */
  public static RequestDecapsulator generate(SecureRandom random) {
    return generate(XWING_KEY_ID, X25519_KEY_ID, random);
  }

  /**
   * The key set with the given key ids, for a holder that rotates its keys and so must give each
   * generation ids that no live key has (an OHTTP key id is one byte).
   */
  public static RequestDecapsulator generate(int xwingKeyId, int x25519KeyId, SecureRandom random) {
    return RequestDecapsulator.of(
        OhttpKeyPair.generate(xwingKeyId, HpkeIds.KEM_X_WING, SUITES, random),
        OhttpKeyPair.generate(x25519KeyId, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, random));
  }
}
