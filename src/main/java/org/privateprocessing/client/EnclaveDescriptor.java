package org.privateprocessing.client;

import java.util.List;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;

/**
 * An enclave this client verified: its id, the inner-layer key configs its attestation evidence
 * binds (the only ones the client seals to) and its launch measurement (hex).
 */
public record EnclaveDescriptor(String id, List<KeyConfig> keyConfigs, String measurement) {
  public EnclaveDescriptor {
    keyConfigs = List.copyOf(keyConfigs);
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
