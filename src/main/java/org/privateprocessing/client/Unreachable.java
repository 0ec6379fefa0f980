package org.privateprocessing.client;

import java.util.Locale;
import javax.net.ssl.SSLException;

/** Why a server could not be reached, in words that say what to change. */
final class Unreachable {
  private Unreachable() {}

  /**
   * The reason {@code t} gives for not reaching {@code who} at {@code url}: a TLS handshake with a
   * server that answers in plain HTTP (an https:// URL for a loopback listener, which never speaks
   * TLS here) says so and names the http:// URL to use; anything else names the failure and {@code
   * fix}.
   */
  static String describe(String who, String url, Throwable t, String fix) {
    SSLException tls = tlsFailure(t);
    if (tls != null && url.startsWith("https://") && !aboutCertificates(tls)) {
      return who
          + " at "
          + url
          + " did not answer in TLS: it speaks plain HTTP (the listeners of `serve` on loopback "
          + "have no TLS); use "
          + "http://"
          + url.substring("https://".length());
    }
    if (tls != null) {
      return "TLS with " + who + " at " + url + " failed: " + tls.getMessage();
    }
    return "cannot reach " + who + " at " + url + " (" + t.getClass().getSimpleName() + "); " + fix;
  }

  private static SSLException tlsFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException s) {
        return s;
      }
      if (c.getClass().getName().equals("io.netty.handler.ssl.NotSslRecordException")) {
        return new SSLException(c.getMessage(), c);
      }
    }
    return null;
  }

  private static boolean aboutCertificates(SSLException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return m.contains("certificate") || m.contains("pkix") || m.contains("trust");
  }
}
