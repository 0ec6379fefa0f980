package org.privateprocessing.attest.ratls;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Set;

/**
 * Vert.x client options that talk to an enclave over RA-TLS, verified by a {@link
 * RaTlsTrustManager}.
 */
public final class RaTlsClients {
  private RaTlsClients() {}

  /** HTTPS, TLS 1.3 only, trusting exactly what {@code trustManager} accepts. */
  public static HttpClientOptions httpClientOptions(RaTlsTrustManager trustManager) {
    return configure(new HttpClientOptions(), trustManager);
  }

  /**
   * As {@link #httpClientOptions}, on netty-tcnative's OpenSSL engine: what {@link RaTlsSession}
   * needs to compute its channel binding.
   */
  public static HttpClientOptions sessionClientOptions(RaTlsTrustManager trustManager) {
    return configure(new HttpClientOptions(), trustManager)
        .setSslEngineOptions(new OpenSSLEngineOptions());
  }

  /** As {@link #httpClientOptions}, for a {@code WebClient}. */
  public static WebClientOptions webClientOptions(RaTlsTrustManager trustManager) {
    return configure(new WebClientOptions(), trustManager);
  }

  private static <T extends HttpClientOptions> T configure(
      T options, RaTlsTrustManager trustManager) {
    options.setSsl(true);
    options.setTrustOptions(TrustOptions.wrap(trustManager));
    options.setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
    // No hostname verification: an enclave's identity is its attested measurement and the key the
    // evidence binds, checked by the trust manager; a DNS name proves nothing about what code runs,
    // and enclaves are reached by address. A matching name would add no assurance, a mismatching
    // one would refuse a verified enclave.
    options.setVerifyHost(false);
    return options;
  }
}
