package org.privateprocessing.ohttp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code application/ohttp-keys} format (RFC 9458 section 3.2, served per RFC 9540 section 4):
 * a concatenation of key configurations, each prefixed by a 2-byte length.
 */
public final class KeyConfigs {
  private KeyConfigs() {}

  /**
   * Parses a key list. Entries whose KEM this package does not implement are skipped, as RFC 9458
   * section 3.2 has clients ignore configurations they do not support (the length prefix lets us
   * step over them). Any encoding error fails the whole list: clients that recover partial lists
   * differently could be told apart (RFC 9458 section 3.2).
   *
   * @return the supported configurations, possibly empty if none is supported
   */
  public static List<KeyConfig> parse(byte[] bytes) throws OhttpException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new OhttpException(OhttpException.Reason.MALFORMED, "key list is empty");
    }
    List<KeyConfig> out = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      if (bytes.length - pos < 2) {
        throw new OhttpException(
            OhttpException.Reason.TRUNCATED, "key configuration length prefix is cut short");
      }
      int length = KeyConfig.u16(bytes, pos);
      pos += 2;
      if (length == 0) {
        throw new OhttpException(OhttpException.Reason.MALFORMED, "zero-length key configuration");
      }
      if (bytes.length - pos < length) {
        throw new OhttpException(OhttpException.Reason.TRUNCATED, "key configuration is cut short");
      }
      byte[] one = Arrays.copyOfRange(bytes, pos, pos + length);
      pos += length;
      try {
        out.add(KeyConfig.parse(one));
      } catch (OhttpException e) {
        if (e.reason() != OhttpException.Reason.UNSUPPORTED_KEM) {
          throw e;
        }
      }
    }
    return List.copyOf(out);
  }

  /** Encodes configurations as a length-prefixed list. */
  public static byte[] encode(List<KeyConfig> configs) {
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("a key list holds at least one configuration");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (KeyConfig c : configs) {
      byte[] one = c.encode();
      if (one.length > 0xFFFF) {
        throw new IllegalArgumentException("key configuration longer than 65535 bytes");
      }
      KeyConfig.writeU16(out, one.length);
      out.writeBytes(one);
    }
    return out.toByteArray();
  }

  /**
   * Client preference: post-quantum X-Wing first, then X25519; configs with unknown KEMs or no
   * supported suite skipped. Among equals, list order wins.
   */
  public static Optional<KeyConfig> preferred(List<KeyConfig> configs) {
    return configs.stream()
        .filter(c -> Hpke.isSupportedKem(c.kemId()) && preferredSuite(c).isPresent())
        .min(Comparator.comparingInt(c -> c.kemId() == HpkeIds.KEM_X_WING ? 0 : 1));
  }

  /**
   * Client suite preference within a config: AES-128-GCM then ChaCha20-Poly1305, HKDF-SHA256 only.
   */
  public static Optional<SymmetricSuite> preferredSuite(KeyConfig config) {
    if (config.offers(SymmetricSuite.HKDF_SHA256_AES_128_GCM)) {
      return Optional.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    }
    if (config.offers(SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305)) {
      return Optional.of(SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);
    }
    return Optional.empty();
  }
}
