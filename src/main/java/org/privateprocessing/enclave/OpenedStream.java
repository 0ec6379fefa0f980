package org.privateprocessing.enclave;

import org.privateprocessing.ohttp.ChunkedResponseSealer;

/**
 * A chunked inner request, opened: its Binary HTTP plaintext (the caller wipes it) and the sealer
 * of the one chunked response that answers it.
 */
public record OpenedStream(byte[] content, ChunkedResponseSealer sealer) {
  @Override
  public String toString() {
    return "OpenedStream[" + content.length + " bytes]";
  }
}
