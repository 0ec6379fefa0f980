package org.privateprocessing.enclave;

import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.ohttp.ResponseSealer;

/**
 * A model's answer in the clear (an encoded Binary HTTP response) with the single-use sealer that
 * encrypts it for the one client that asked. Travels only inside {@link LocalOnly}.
 */
record PlainResponse(byte[] binaryHttp, ResponseSealer sealer) {
  @Override
  public String toString() {
    return "PlainResponse[" + binaryHttp.length + " bytes]";
  }
}
