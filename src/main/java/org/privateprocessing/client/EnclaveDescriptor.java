package org.privateprocessing.client;

import java.util.List;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;

/**
 * An enclave as the gateway lists it: id, inner-layer key configs and (once attestation exists)
 * its measurement. Until the attestation issue lands, nothing here is verified beyond parsing.
 */
public record EnclaveDescriptor(String id, List<KeyConfig> keyConfigs, String measurement) {
  public EnclaveDescriptor {
    keyConfigs = List.copyOf(keyConfigs);
  }

  /** The config the client seals to: post-quantum X-Wing when offered. */
  public KeyConfig preferredKeyConfig() {
    return KeyConfigs.preferred(keyConfigs).orElseThrow(() -> new PrivateProcessingException(
        PrivateProcessingException.Source.CLIENT, 0, "unsupported-enclave-keys",
        "enclave " + id + " offers no key config this client supports"));
  }
}
