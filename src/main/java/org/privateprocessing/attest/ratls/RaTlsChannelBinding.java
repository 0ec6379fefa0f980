package org.privateprocessing.attest.ratls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.UnpooledHttpClientConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * The channel binding of one RA-TLS connection: a 32-byte value both ends derive from their TLS 1.3
 * session's secret, equal at the two ends of one TLS session and unrelated between two sessions. A
 * man in the middle who terminates the client's TLS and opens its own session to the enclave holds
 * two sessions with two different values, and cannot make them equal: each derives from an (EC)DHE
 * secret shared with one honest end and from the whole handshake transcript.
 *
 * <pre>
 * channelBinding = HMAC-SHA256(key = resumption_master_secret, "private-processing/v1/ratls-channel-binding")
 * </pre>
 *
 * <p>{@code resumption_master_secret} is RFC 8446 section 7.1's {@code Derive-Secret(Master Secret,
 * "res master", ClientHello...client Finished)}: BoringSSL keeps it as the TLS 1.3 session's secret
 * and returns it from {@code SSL_SESSION_get_master_key}, which netty-tcnative exposes as {@link
 * SSL#getMasterKey}. netty-tcnative does not expose the RFC 8446 section 7.5 exporter ({@code
 * SSL_export_keying_material}), and the JDK 17 TLS stack exposes neither, so <b>both ends must run
 * netty-tcnative's BoringSSL engine</b>; without it {@link #of} refuses rather than binding to
 * something weaker. The value is never sent: it enters the SHA-512 preimage of the session
 * evidence's REPORT_DATA ({@link RaTlsSessionBinding}) at the enclave and is recomputed by the
 * client. HMAC with a label of our own keeps it apart from TLS's own uses of the secret (its HKDF
 * labels begin with a length, never with "private-processing").
 *
 * <p>Reaching the engine goes through two Vert.x implementation classes (the connection's netty
 * channel); a Vert.x upgrade that moves them makes {@link #of} fail, and the client then refuses
 * the session: it fails closed, never open.
 */
public final class RaTlsChannelBinding {
  /** HMAC message: the label, ASCII, nothing else. */
  public static final String LABEL = "private-processing/v1/ratls-channel-binding";

  /** Length of a channel binding (HMAC-SHA256). */
  public static final int LENGTH = 32;

  private RaTlsChannelBinding() {}

  /** Whether this process can bind RA-TLS sessions: netty-tcnative's BoringSSL loaded. */
  public static boolean available() {
    return OpenSsl.isAvailable();
  }

  /**
   * The binding of {@code connection}'s TLS session, from either end. Safe from any thread: the
   * engine's own lock is held while its native session is read, so a connection closing meanwhile
   * makes this throw instead of reading freed memory.
   *
   * @throws SSLException when the connection is not TLS on netty-tcnative's engine, is closed, or
   *     its handshake has not finished
   */
  public static byte[] of(HttpConnection connection) throws SSLException {
    Object c = connection;
    if (c instanceof UnpooledHttpClientConnection unpooled) {
      c = unpooled.unwrap();
    }
    if (!(c instanceof ConnectionBase base)) {
      throw new SSLException(
          "no channel binding: cannot reach the TLS engine of " + connection.getClass().getName());
    }
    Channel channel = base.channel();
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      throw new SSLException("no channel binding: the connection is not TLS");
    }
    return of(ssl.engine());
  }

  /** The binding of {@code engine}'s current TLS 1.3 session. */
  static byte[] of(SSLEngine engine) throws SSLException {
    if (!(engine instanceof ReferenceCountedOpenSslEngine openSsl)) {
      throw new SSLException(
          "no channel binding: RA-TLS sessions need netty-tcnative's OpenSSL engine, this"
              + " connection runs "
              + engine.getClass().getName());
    }
    byte[] secret;
    // shutdown() frees the native SSL under this same lock and zeroes the pointer.
    synchronized (openSsl) {
      long ssl = openSsl.sslPointer();
      if (ssl == 0) {
        throw new SSLException("no channel binding: the TLS connection is closed");
      }
      if (!"TLSv1.3".equals(SSL.getVersion(ssl))) {
        throw new SSLException("no channel binding: the connection is not TLS 1.3");
      }
      secret = SSL.getMasterKey(ssl);
    }
    if (secret == null || secret.length < 32) {
      throw new SSLException("no channel binding: the TLS session has no secret yet");
    }
    try {
      return derive(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** {@code HMAC-SHA256(secret, LABEL)}. */
  static byte[] derive(byte[] sessionSecret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(sessionSecret, "HmacSHA256"));
      return mac.doFinal(LABEL.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }
}
