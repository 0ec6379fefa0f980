package org.privateprocessing.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.privateprocessing.client.EnclaveTrust;
import org.privateprocessing.node.Node;

/**
 * In-process commands (demo, bench) start an all-in-one pipeline on loopback and trust the
 * simulated enclave they started themselves, and nothing else.
 */
final class DemoTrust {
  private DemoTrust() {}

  /**
   * The config of the in-process pipeline: the demo profile, every port chosen by the system, and
   * the log in a fresh temporary directory.
   */
  static JsonObject loopbackConf() throws IOException {
    return new JsonObject()
        .put("profile", "demo")
        .put("attestation", new JsonObject().put("tlsPort", 0))
        .put("relay", new JsonObject().put("port", 0))
        .put(
            "log",
            new JsonObject()
                .put("port", 0)
                .put("dataDir", Files.createTempDirectory("pp-log").toString()))
        .put("gateway", new JsonObject().put("port", 0))
        .put("issuer", new JsonObject().put("port", 0));
  }

  /**
   * The demo's trust applied to {@code options}: its simulated enclave (and, once it runs one, its
   * log).
   */
  static org.privateprocessing.client.ClientOptions apply(
      Node.Running running, org.privateprocessing.client.ClientOptions options) {
    if (running.logKey() == null) {
      return options.withTrust(of(running));
    }
    // With a log, no measurement is configured: the enclave's release must be proven in the log.
    org.privateprocessing.client.ClientOptions trusted =
        options.withTrust(EnclaveTrust.simulated(running.simulatedRoot().orElseThrow(), List.of()));
    try {
      // The log key, like the simulated root, comes from this process, never from the network.
      return trusted.withLog(
          org.privateprocessing.client.LogTrust.of(
              List.of(running.logKey()), org.privateprocessing.tlog.WitnessPolicy.none()));
    } catch (org.privateprocessing.tlog.TlogException e) {
      throw new IllegalStateException("the demo log's key does not parse", e);
    }
  }

  static EnclaveTrust of(Node.Running running) {
    if (running.simulatedRoot().isEmpty()) {
      throw new IllegalStateException("the in-process node has no simulated enclave to trust");
    }
    System.err.println(
        "WARNING: trusting the SIMULATED attestation root this process just made (demo only)");
    return EnclaveTrust.simulated(running.simulatedRoot().get(), List.of(running.measurementHex()));
  }
}
