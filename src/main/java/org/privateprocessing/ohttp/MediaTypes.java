package org.privateprocessing.ohttp;

/**
 * Media types, HPKE labels and resource paths of Oblivious HTTP (RFC 9458) and its key discovery
 * (RFC 9540).
 */
public final class MediaTypes {
  /** Encapsulated request, RFC 9458 section 9.2. */
  public static final String OHTTP_REQUEST = "message/ohttp-req";

  /** Encapsulated response, RFC 9458 section 9.3. */
  public static final String OHTTP_RESPONSE = "message/ohttp-res";

  /** List of length-prefixed key configurations, RFC 9458 section 3.2 / RFC 9540 section 4. */
  public static final String OHTTP_KEYS = "application/ohttp-keys";

  /**
   * The well-known path where a gateway is found and serves its key configurations ({@link
   * #OHTTP_KEYS}), RFC 9540 sections 4 and 5. This project's relays serve the same path, fetching
   * the keys from their gateway, so a client never shows its address to the gateway.
   */
  public static final String WELL_KNOWN_GATEWAY_PATH = "/.well-known/ohttp-gateway";

  /**
   * Where this project's gateways take encapsulated requests (the Oblivious Gateway Resource, RFC
   * 9458 section 2; the RFC leaves its URI to the deployment).
   */
  public static final String GATEWAY_REQUEST_PATH = "/ohttp";

  /**
   * Where this project's relays take encapsulated requests (the Oblivious Relay Resource, RFC 9458
   * section 2): the relay's root.
   */
  public static final String RELAY_REQUEST_PATH = "/";

  /** HPKE info prefix for requests carrying Binary HTTP, RFC 9458 section 4.3. */
  public static final String BHTTP_REQUEST_LABEL = "message/bhttp request";

  /** Exporter context for responses carrying Binary HTTP, RFC 9458 section 4.4. */
  public static final String BHTTP_RESPONSE_LABEL = "message/bhttp response";

  /** Chunked encapsulated request, draft-ietf-ohai-chunked-ohttp-08 section 8.1. */
  public static final String OHTTP_CHUNKED_REQUEST = "message/ohttp-chunked-req";

  /** Chunked encapsulated response, draft-ietf-ohai-chunked-ohttp-08 section 8.2. */
  public static final String OHTTP_CHUNKED_RESPONSE = "message/ohttp-chunked-res";

  /** HPKE info prefix of chunked requests, draft-ietf-ohai-chunked-ohttp-08 section 6.1. */
  public static final String BHTTP_CHUNKED_REQUEST_LABEL = "message/bhttp chunked request";

  /** Exporter context of chunked responses, draft-ietf-ohai-chunked-ohttp-08 section 6.2. */
  public static final String BHTTP_CHUNKED_RESPONSE_LABEL = "message/bhttp chunked response";

  private MediaTypes() {}

  /**
   * The essence of a {@code Content-Type} value (RFC 9110 section 8.3.1): type/subtype,
   * lower-cased, parameters dropped; "" for a missing header. Both layers compare media types this
   * way.
   */
  public static String essence(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(java.util.Locale.ROOT);
  }
}
