package org.privateprocessing.ohttp;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * One implementation of the HPKE operations behind {@link Hpke}. {@link Hpke} has already checked
 * algorithm identifiers and lengths when these methods run, so a backend only does the
 * cryptography; both backends must give byte-identical results for the same inputs (checked by the
 * RFC 9180, RFC 9458 and X-Wing vector tests and by a cross-check test, over both backends).
 */
interface HpkeBackend {
  /** Short name for logs and tests: {@code libsodium} or {@code bouncycastle}. */
  String name();

  /** Imports an Nsk-byte private key and derives its public key. */
  Hpke.KeyPair keyPairFromPrivateKey(int kemId, byte[] privateKey);

  /**
   * Checks the encoding of an Npk-byte public key.
   *
   * @throws RuntimeException when the KEM would refuse it
   */
  void checkPublicKey(int kemId, byte[] publicKey);

  /**
   * SetupBaseS (RFC 9180 section 5.1.1) with the ephemeral private key (X25519) or eseed (X-Wing).
   *
   * @throws IllegalStateException when the KEM rejects {@code pkR}
   */
  Hpke.Sender setupBaseS(
      int kemId, int kdfId, int aeadId, byte[] pkR, byte[] info, byte[] ephemeral);

  /**
   * SetupBaseR (RFC 9180 section 5.1.1) with a key pair of this backend.
   *
   * @throws RuntimeException when the KEM rejects {@code enc}
   */
  Hpke.Context setupBaseR(int kdfId, int aeadId, Hpke.KeyPair skR, byte[] enc, byte[] info);

  /** HKDF-SHA256 Extract (RFC 5869 section 2.2). */
  byte[] extract(byte[] salt, byte[] ikm);

  /** HKDF-SHA256 Expand (RFC 5869 section 2.3). */
  byte[] expand(byte[] prk, byte[] info, int length);

  /** AEAD seal with an explicit key and nonce; returns ciphertext and tag. */
  byte[] aeadSeal(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext);

  /** AEAD open; returns null when authentication fails. */
  byte[] aeadOpen(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext);

  /** The backend chosen for this JVM and the one log line that says which and why. */
  record Choice(HpkeBackend backend, String message, boolean warning) {}

  /**
   * Chooses the backend from the value of {@link Hpke#BACKEND_PROPERTY} ({@code null} when unset).
   * {@code loadLibsodium} either returns the libsodium backend or throws with the reason it cannot
   * load; it is not called when the property forces BouncyCastle.
   */
  static Choice choose(String property, Supplier<HpkeBackend> loadLibsodium) {
    String wanted = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
    String prefix = "HPKE backend: ";
    if (wanted.equals("bouncycastle")) {
      return new Choice(
          new BouncyCastleHpke(),
          prefix + "BouncyCastle (" + Hpke.BACKEND_PROPERTY + "=bouncycastle)",
          false);
    }
    String note =
        wanted.equals("auto") || wanted.equals("libsodium")
            ? ""
            : "; "
                + Hpke.BACKEND_PROPERTY
                + "="
                + property
                + " is not one of auto, libsodium, bouncycastle, so auto";
    try {
      HpkeBackend fast = loadLibsodium.get();
      return new Choice(fast, prefix + fast + note, !note.isEmpty());
    } catch (RuntimeException | LinkageError e) {
      // A missing library is normal on other platforms: BouncyCastle computes the same bytes.
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Choice(
          new BouncyCastleHpke(),
          prefix + "BouncyCastle, because libsodium did not load: " + firstLine(reason) + note,
          wanted.equals("libsodium") || !note.isEmpty());
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
