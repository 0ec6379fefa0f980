package org.privateprocessing.ohttp.bhttp;

import java.util.List;

/** An interim (1xx) response preceding the final one (RFC 9292 section 3.5.1). */
public record InformationalResponse(int status, List<Field> headers) {
  public InformationalResponse {
    if (status < 100 || status > 199) {
      throw new IllegalArgumentException("informational status must be 100..199");
    }
    headers = List.copyOf(headers);
    if (headers.size() > Codec.MAX_FIELDS) {
      throw new IllegalArgumentException("more than " + Codec.MAX_FIELDS + " fields");
    }
  }
}
