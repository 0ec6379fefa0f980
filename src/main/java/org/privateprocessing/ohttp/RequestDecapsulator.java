package org.privateprocessing.ohttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/**
 * Gateway side of request decapsulation (RFC 9458 section 4.3). Immutable and thread-safe: each
 * call builds its own HPKE context.
 */
public final class RequestDecapsulator implements Destroyable {
  private final Map<Integer, OhttpKeyPair> byKeyId;
  private final List<KeyConfig> configs;
  private final ResponsePadding responsePadding;

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
    this.responsePadding = ResponsePadding.NONE;
  }

  private RequestDecapsulator(RequestDecapsulator keys, ResponsePadding responsePadding) {
    this.byKeyId = keys.byKeyId;
    this.configs = keys.configs;
    this.responsePadding = responsePadding;
  }

  /**
   * The same keys (shared, not copied: destroying either destroys both), with every response sealed
   * by {@link DecapsulatedRequest#sealer()} padded by {@code padding}. Only for content that allows
   * trailing zeros, as Binary HTTP does (RFC 9292 section 3.8).
   */
  public RequestDecapsulator withResponsePadding(ResponsePadding padding) {
    return new RequestDecapsulator(this, Objects.requireNonNull(padding, "padding"));
  }

  /** How the responses to these requests are padded ({@link ResponsePadding#NONE} unless set). */
  public ResponsePadding responsePadding() {
    return responsePadding;
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

  /** The key with this id, or null ({@link ChunkedRequestDecapsulator} looks keys up here). */
  OhttpKeyPair keyPair(int keyId) {
    return byKeyId.get(keyId);
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
    RequestHeader header = RequestHeader.read(in);
    OhttpKeyPair key = byKeyId.get(header.keyId());
    if (key == null) {
      throw new OhttpException(
          OhttpException.Reason.UNKNOWN_KEY_ID, "no key with id " + header.keyId());
    }
    KeyConfig config = key.config();
    header.requireMatches(config);
    SymmetricSuite suite = header.suite();
    int nenc = Hpke.encLength(header.kemId());
    if (in.length < RequestHeader.LENGTH + nenc + Hpke.NT) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "encapsulated key or ciphertext is cut short");
    }
    byte[] enc = Arrays.copyOfRange(in, RequestHeader.LENGTH, RequestHeader.LENGTH + nenc);
    byte[] ct = Arrays.copyOfRange(in, RequestHeader.LENGTH + nenc, in.length);
    Hpke.Context ctx =
        Hpke.setupBaseR(
            suite.kdfId(),
            suite.aeadId(),
            key.hpkeKeyPair(),
            enc,
            Encapsulation.info(requestLabel, header.encode()));
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
        pt, config, suite, new ResponseSealer(ctx, enc, suite, responseLabel, responsePadding));
  }

  /**
   * Zeroes every private key of this set ({@link OhttpKeyPair#destroy()}); all of them are tried
   * even when one fails. Callers must make sure no decapsulation is running.
   */
  @Override
  public void destroy() throws DestroyFailedException {
    DestroyFailedException first = null;
    for (OhttpKeyPair k : byKeyId.values()) {
      try {
        k.destroy();
      } catch (DestroyFailedException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Whether every private key of this set is zeroed. */
  @Override
  public boolean isDestroyed() {
    return byKeyId.values().stream().allMatch(OhttpKeyPair::isDestroyed);
  }

  @Override
  public String toString() {
    return "RequestDecapsulator" + configs;
  }
}
