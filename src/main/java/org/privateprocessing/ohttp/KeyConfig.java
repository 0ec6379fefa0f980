package org.privateprocessing.ohttp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An Oblivious HTTP key configuration, RFC 9458 section 3.1:
 *
 * <pre>
 * HPKE Symmetric Algorithms { HPKE KDF ID (16), HPKE AEAD ID (16) }
 * Key Config {
 *   Key Identifier (8),
 *   HPKE KEM ID (16),
 *   HPKE Public Key (Npk * 8),
 *   HPKE Symmetric Algorithms Length (16) = 4..65532,
 *   HPKE Symmetric Algorithms (32) ...,
 * }
 * </pre>
 *
 * <p>Immutable: the public key is copied in and out. Configurations with KEMs this package does not
 * implement can be constructed (a key list may carry them) but never parsed, because their key
 * length is unknown.
 */
public record KeyConfig(int keyId, int kemId, byte[] publicKey, List<SymmetricSuite> suites) {
  private static final int MAX_SUITES = 0xFFFC / 4;

  public KeyConfig {
    if (keyId < 0 || keyId > 0xFF) {
      throw new IllegalArgumentException("key id is an 8-bit value");
    }
    if (kemId < 0 || kemId > 0xFFFF) {
      throw new IllegalArgumentException("KEM id is a 16-bit value");
    }
    Objects.requireNonNull(publicKey, "publicKey");
    if (Hpke.isSupportedKem(kemId)) {
      if (publicKey.length != Hpke.publicKeyLength(kemId)) {
        throw new IllegalArgumentException(
            "public key for "
                + HpkeIds.kemName(kemId)
                + " must be "
                + Hpke.publicKeyLength(kemId)
                + " bytes");
      }
    } else if (publicKey.length == 0) {
      throw new IllegalArgumentException("public key must not be empty");
    }
    publicKey = publicKey.clone();
    suites = List.copyOf(suites);
    if (suites.isEmpty() || suites.size() > MAX_SUITES) {
      throw new IllegalArgumentException(
          "a key configuration lists 1.." + MAX_SUITES + " symmetric suites");
    }
  }

  /** The public key bytes (a copy). */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Parses exactly one key configuration; every byte of {@code bytes} must belong to it. */
  public static KeyConfig parse(byte[] bytes) throws OhttpException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 3) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "key configuration header needs 3 bytes");
    }
    int keyId = bytes[0] & 0xFF;
    int kemId = u16(bytes, 1);
    if (!Hpke.isSupportedKem(kemId)) {
      throw new OhttpException(
          OhttpException.Reason.UNSUPPORTED_KEM,
          "key configuration uses " + HpkeIds.kemName(kemId));
    }
    int npk = Hpke.publicKeyLength(kemId);
    int pos = 3;
    if (bytes.length < pos + npk + 2) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "key configuration public key or suite length missing");
    }
    byte[] pk = Arrays.copyOfRange(bytes, pos, pos + npk);
    pos += npk;
    int suitesLength = u16(bytes, pos);
    pos += 2;
    if (suitesLength == 0 || suitesLength % 4 != 0) {
      throw new OhttpException(
          OhttpException.Reason.MALFORMED,
          "symmetric algorithms length must be a non-zero multiple of 4");
    }
    int remaining = bytes.length - pos;
    if (remaining < suitesLength) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "symmetric algorithms list is cut short");
    }
    if (remaining > suitesLength) {
      throw new OhttpException(
          OhttpException.Reason.MALFORMED, "bytes follow the key configuration");
    }
    List<SymmetricSuite> suites = new ArrayList<>(suitesLength / 4);
    for (int end = pos + suitesLength; pos < end; pos += 4) {
      suites.add(new SymmetricSuite(u16(bytes, pos), u16(bytes, pos + 2)));
    }
    try {
      Hpke.checkPublicKey(kemId, pk);
    } catch (RuntimeException e) {
      throw new OhttpException(OhttpException.Reason.MALFORMED, "public key rejected by the KEM");
    }
    return new KeyConfig(keyId, kemId, pk, suites);
  }

  /** The wire encoding of RFC 9458 section 3.1 (without the RFC 9540 length prefix). */
  public byte[] encode() {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(3 + publicKey.length + 2 + 4 * suites.size());
    out.write(keyId);
    writeU16(out, kemId);
    out.writeBytes(publicKey);
    writeU16(out, 4 * suites.size());
    for (SymmetricSuite s : suites) {
      writeU16(out, s.kdfId());
      writeU16(out, s.aeadId());
    }
    return out.toByteArray();
  }

  /** Whether this configuration offers {@code suite}. */
  public boolean offers(SymmetricSuite suite) {
    return suites.contains(suite);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyConfig k
        && keyId == k.keyId
        && kemId == k.kemId
        && Arrays.equals(publicKey, k.publicKey)
        && suites.equals(k.suites);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, kemId, Arrays.hashCode(publicKey), suites);
  }

  @Override
  public String toString() {
    String pk = HexFormat.of().formatHex(publicKey, 0, Math.min(8, publicKey.length));
    return "KeyConfig[keyId="
        + keyId
        + ", kem="
        + HpkeIds.kemName(kemId)
        + ", publicKey="
        + pk
        + (publicKey.length > 8 ? "...(" + publicKey.length + " bytes)" : "")
        + ", suites="
        + suites
        + "]";
  }

  static int u16(byte[] b, int pos) {
    return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
  }

  static void writeU16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}
