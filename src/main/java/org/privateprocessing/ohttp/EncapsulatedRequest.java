package org.privateprocessing.ohttp;

/**
 * Client-side result of request encapsulation (RFC 9458 section 4.3): the bytes to send ({@code
 * message/ohttp-req}) and the single-use opener for the matching response.
 */
public final class EncapsulatedRequest {
  private final byte[] bytes;
  private final ResponseOpener opener;

  EncapsulatedRequest(byte[] bytes, ResponseOpener opener) {
    this.bytes = bytes;
    this.opener = opener;
  }

  /** hdr || enc || ct; a copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The opener for the one response to this request (always the same instance). */
  public ResponseOpener opener() {
    return opener;
  }

  @Override
  public String toString() {
    return "EncapsulatedRequest[" + bytes.length + " bytes]";
  }
}
