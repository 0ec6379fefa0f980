package org.privateprocessing.client;

import java.util.List;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;

/**
 * An enclave this client verified: its id, the inner-layer key configs its attestation evidence
 * binds (the only ones the client seals to), its launch measurement (hex) and, when the client
 * requires a transparency log, its release as proven in the log (null otherwise): what a {@link
 * Receipt} is made of.
 */
public record EnclaveDescriptor(
    String id, List<KeyConfig> keyConfigs, String measurement, Receipt.LoggedRelease release) {
  public EnclaveDescriptor {
    keyConfigs = List.copyOf(keyConfigs);
  }

  /** An enclave verified without a transparency log. */
  public EnclaveDescriptor(String id, List<KeyConfig> keyConfigs, String measurement) {
    this(id, keyConfigs, measurement, null);
  }

  /** The same enclave, with its release as proven in the log. */
  public EnclaveDescriptor withRelease(Receipt.LoggedRelease proven) {
    return new EnclaveDescriptor(id, keyConfigs, measurement, proven);
  }

  /** The config the client seals to: post-quantum X-Wing when offered. */
  public KeyConfig preferredKeyConfig() {
    return KeyConfigs.preferred(keyConfigs)
        .orElseThrow(
            () ->
                new PrivateProcessingException(
                    PrivateProcessingException.Source.CLIENT,
                    0,
                    "unsupported-enclave-keys",
                    "enclave " + id + " offers no key config this client supports"));
  }
}
