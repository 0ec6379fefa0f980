package org.privateprocessing.cluster;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.TrustFiles;

/** The SDK client the cluster tests use. */
final class ClusterClients {
  private ClusterClients() {}

  /**
   * A client of the demo account through {@code relayUrl}, trusting the enclaves whose files are in
   * {@code trustDir}; it fetches tokens two at a time, waits up to 20 s for an answer, and never
   * caches the enclave listing (these tests watch enclaves come and go).
   */
  static PrivateProcessingClient uncached(
      Vertx vertx, String relayUrl, String issuerUrl, Path trustDir) throws IOException {
    ClientOptions o =
        ClientOptions.forRelay(relayUrl).withIssuer(issuerUrl, ClientOptions.DEMO_ACCOUNT);
    return PrivateProcessingClient.create(
        vertx,
        TrustFiles.load(trustDir)
            .applyTo(
                new ClientOptions(
                    o.relayUrl(),
                    o.issuerUrl(),
                    o.account(),
                    2,
                    20_000,
                    0,
                    o.paddingBlock(),
                    o.trust(),
                    null,
                    ClientOptions.DEFAULT_STREAM_IDLE_MS)));
  }
}
