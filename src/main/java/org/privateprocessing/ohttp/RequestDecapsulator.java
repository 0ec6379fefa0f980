package org.privateprocessing.ohttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gateway side of request decapsulation (RFC 9458 section 4.3). Immutable and thread-safe: each
 * call builds its own HPKE context.
 */
public final class RequestDecapsulator {
  private final Map<Integer, OhttpKeyPair> byKeyId;
  private final List<KeyConfig> configs;

  /**
   * @throws IllegalArgumentException if two keys share a key id
   */
  public RequestDecapsulator(List<OhttpKeyPair> keys) {
    Objects.requireNonNull(keys, "keys");
    this.byKeyId =
        keys.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    k -> k.config().keyId(),
                    Function.identity(),
                    (a, b) -> {
                      throw new IllegalArgumentException("duplicate key id " + a.config().keyId());
                    }));
    List<KeyConfig> cs = new ArrayList<>(keys.size());
    keys.forEach(k -> cs.add(k.config()));
    this.configs = List.copyOf(cs);
  }

  public static RequestDecapsulator of(OhttpKeyPair... keys) {
    return new RequestDecapsulator(Arrays.asList(keys));
  }

  /** The public configurations, in the order given (for {@code application/ohttp-keys}). */
  public List<KeyConfig> configs() {
    return configs;
  }

  public boolean hasKeyId(int keyId) {
    return byKeyId.containsKey(keyId);
  }

  /** The key identifier of an encapsulated request: its first byte (RFC 9458 section 4.1). */
  public static int keyIdOf(byte[] encapsulatedRequest) throws OhttpException {
    Objects.requireNonNull(encapsulatedRequest, "encapsulatedRequest");
    if (encapsulatedRequest.length == 0) {
      throw new OhttpException(OhttpException.Reason.TRUNCATED, "encapsulated request is empty");
    }
    return encapsulatedRequest[0] & 0xFF;
  }

  /**
   * Decapsulates a request carrying Binary HTTP (label {@value MediaTypes#BHTTP_REQUEST_LABEL}).
   */
  public DecapsulatedRequest decapsulate(byte[] encapsulatedRequest) throws OhttpException {
    return decapsulate(
        encapsulatedRequest, MediaTypes.BHTTP_REQUEST_LABEL, MediaTypes.BHTTP_RESPONSE_LABEL);
  }

  /**
   * Decapsulates with a custom request label; the response uses {@value
   * MediaTypes#BHTTP_RESPONSE_LABEL}.
   */
  public DecapsulatedRequest decapsulate(byte[] encapsulatedRequest, String label)
      throws OhttpException {
    return decapsulate(encapsulatedRequest, label, MediaTypes.BHTTP_RESPONSE_LABEL);
  }

  /** Decapsulates with custom request and response labels (RFC 9458 section 4.3/4.4). */
  public DecapsulatedRequest decapsulate(
      byte[] encapsulatedRequest, String requestLabel, String responseLabel) throws OhttpException {
    Objects.requireNonNull(encapsulatedRequest, "encapsulatedRequest");
    Encapsulation.labelBytes(responseLabel);
    byte[] in = encapsulatedRequest;
    if (in.length < Encapsulation.HEADER_LENGTH) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "encapsulated request header needs 7 bytes");
    }
    int keyId = in[0] & 0xFF;
    OhttpKeyPair key = byKeyId.get(keyId);
    if (key == null) {
      throw new OhttpException(OhttpException.Reason.UNKNOWN_KEY_ID, "no key with id " + keyId);
    }
    KeyConfig config = key.config();
    int kemId = KeyConfig.u16(in, 1);
    if (kemId != config.kemId()) {
      throw new OhttpException(
          OhttpException.Reason.UNSUPPORTED_KEM,
          "request uses "
              + HpkeIds.kemName(kemId)
              + " but key "
              + keyId
              + " is "
              + HpkeIds.kemName(config.kemId()));
    }
    SymmetricSuite suite = new SymmetricSuite(KeyConfig.u16(in, 3), KeyConfig.u16(in, 5));
    if (!suite.isSupported() || !config.offers(suite)) {
      throw new OhttpException(
          OhttpException.Reason.UNSUPPORTED_SUITE,
          "suite " + suite + " not offered by key " + keyId);
    }
    int nenc = Hpke.encLength(kemId);
    if (in.length < Encapsulation.HEADER_LENGTH + nenc + Hpke.NT) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "encapsulated key or ciphertext is cut short");
    }
    byte[] header = Arrays.copyOfRange(in, 0, Encapsulation.HEADER_LENGTH);
    byte[] enc =
        Arrays.copyOfRange(in, Encapsulation.HEADER_LENGTH, Encapsulation.HEADER_LENGTH + nenc);
    byte[] ct = Arrays.copyOfRange(in, Encapsulation.HEADER_LENGTH + nenc, in.length);
    Hpke.Context ctx =
        Hpke.setupBaseR(
            suite.kdfId(),
            suite.aeadId(),
            key.hpkeKeyPair(),
            enc,
            Encapsulation.info(requestLabel, header));
    if (ctx == null) {
      throw new OhttpException(
          OhttpException.Reason.DECRYPTION_FAILED, "encapsulated key rejected");
    }
    byte[] pt = ctx.open(new byte[0], ct);
    if (pt == null) {
      throw new OhttpException(
          OhttpException.Reason.DECRYPTION_FAILED, "request authentication failed");
    }
    return new DecapsulatedRequest(
        pt, config, suite, new ResponseSealer(ctx, enc, suite, responseLabel));
  }

  @Override
  public String toString() {
    return "RequestDecapsulator" + configs;
  }
}
