package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which enclave produced a response: its id and its launch measurement in hex (null until the
 * enclave has attestation evidence).
 */
public record EnclaveInfo(String id, String measurement) {
  /** SHA-384 is 96 hex digits; allow room for a longer digest. */
  static final int MAX_MEASUREMENT_HEX = 256;

  static EnclaveInfo read(JsonNode node, String path) throws InvalidRequestException {
    Fields.requireObject(node, path);
    return new EnclaveInfo(
        Fields.requiredString(node, "id", path, 1, ApiLimits.MAX_ID_CHARS),
        Fields.optionalHex(node, "measurement", path, MAX_MEASUREMENT_HEX));
  }
}
