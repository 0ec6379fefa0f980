package org.privateprocessing.cli;

import java.util.List;
import org.privateprocessing.client.EnclaveTrust;
import org.privateprocessing.pipeline.EnclaveAttestation;
import org.privateprocessing.pipeline.Node;

/** In-process commands (demo, bench) trust the simulated enclave they started themselves, and nothing else. */
final class DemoTrust {
  private DemoTrust() {}

  /** The demo's trust applied to {@code options}: its simulated enclave (and, once it runs one, its log). */
  static org.privateprocessing.client.ClientOptions apply(Node.Running running,
      org.privateprocessing.client.ClientOptions options) {
    return options.withTrust(of(running));
  }

  static EnclaveTrust of(Node.Running running) {
    EnclaveAttestation a = running.attestation();
    if (a == null || a.simulatedRoot().isEmpty()) {
      throw new IllegalStateException("the in-process node has no simulated enclave to trust");
    }
    System.err.println("WARNING: trusting the SIMULATED attestation root this process just made (demo only)");
    return EnclaveTrust.simulated(a.simulatedRoot().get(), List.of(a.measurementHex()));
  }
}
