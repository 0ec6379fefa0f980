package org.privateprocessing.ohttp;

/**
 * The result of gateway-side decapsulation (RFC 9458 section 4.3): the inner request and the
 * single-use {@link ResponseSealer} bound to it.
 */
public final class DecapsulatedRequest {
  private final byte[] content;
  private final KeyConfig keyConfig;
  private final SymmetricSuite suite;
  private final ResponseSealer sealer;

  DecapsulatedRequest(
      byte[] content, KeyConfig keyConfig, SymmetricSuite suite, ResponseSealer sealer) {
    this.content = content;
    this.keyConfig = keyConfig;
    this.suite = suite;
    this.sealer = sealer;
  }

  /** The decrypted request (normally Binary HTTP); a copy. */
  public byte[] content() {
    return content.clone();
  }

  /** The key configuration the client used. */
  public KeyConfig keyConfig() {
    return keyConfig;
  }

  /** The symmetric suite the client chose. */
  public SymmetricSuite suite() {
    return suite;
  }

  /** The sealer for the one response to this request. */
  public ResponseSealer sealer() {
    return sealer;
  }

  @Override
  public String toString() {
    return "DecapsulatedRequest[keyId="
        + keyConfig.keyId()
        + ", suite="
        + suite
        + ", "
        + content.length
        + " bytes]";
  }
}
