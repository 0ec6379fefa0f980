package org.privateprocessing.gateway;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.privateprocessing.core.ServerKeys;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.ohttp.ResponsePadding;
import org.privateprocessing.tlog.LogEntry;

/**
 * The gateway's outer-layer OHTTP keys, generated at start and held in memory only. Published at
 * {@code /.well-known/ohttp-gateway} (RFC 9540) so clients fetch them through the relay.
 */
public final class GatewayIdentity {
  private final RequestDecapsulator keys;

  private GatewayIdentity(RequestDecapsulator keys) {
    this.keys = keys;
  }

  public static GatewayIdentity generate(SecureRandom random) {
    return new GatewayIdentity(ServerKeys.generate(random));
  }

  /** For tests that must speak with fixed keys (the RFC 9458 Appendix A key, for one). */
  public static GatewayIdentity of(OhttpKeyPair... keys) {
    return new GatewayIdentity(RequestDecapsulator.of(keys));
  }

  /**
   * The same keys, with outer responses padded by {@code padding} (Binary HTTP zero padding, RFC
   * 9292 section 3.8), so the relay sees a few sizes.
   */
  public GatewayIdentity withResponsePadding(ResponsePadding padding) {
    return new GatewayIdentity(keys.withResponsePadding(padding));
  }

  public RequestDecapsulator keys() {
    return keys;
  }

  public List<KeyConfig> keyConfigs() {
    return keys.configs();
  }

  /**
   * The key configs as transparency-log entries of {@code origin}, created at {@code createdAt}.
   */
  public List<LogEntry> logEntries(String origin, Instant createdAt) {
    List<LogEntry> out = new ArrayList<>();
    for (KeyConfig c : keyConfigs()) {
      out.add(
          new LogEntry.GatewayKeyConfig(
              origin, c.encode(), createdAt.truncatedTo(ChronoUnit.SECONDS)));
    }
    return out;
  }
}
