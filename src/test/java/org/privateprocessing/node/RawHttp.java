package org.privateprocessing.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client that writes exactly the bytes it is given, so tests can send what no HTTP library would:
 * broken escapes, bare line feeds, NUL bytes, lying framing. Over TLS it trusts any certificate:
 * these tests are about HTTP, not about attestation, which the RA-TLS tests cover.
 */
final class RawHttp {
  private RawHttp() {}

  /** What came back on one connection: a response (status -1 if none) and whether it closed. */
  record Reply(int status, Map<String, String> headers, byte[] body, boolean closed) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status == -1
          ? "no response" + (closed ? ", closed" : "")
          : status + " " + header("content-type") + (closed ? ", closed" : "");
    }
  }

  static Socket open(int port, boolean tls) throws IOException {
    Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
    if (!tls) {
      return plain;
    }
    SSLSocket socket =
        (SSLSocket) trustAll().getSocketFactory().createSocket(plain, "localhost", port, true);
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    socket.startHandshake();
    return socket;
  }

  /** Sends {@code request} on a new connection and reads one response. */
  static Reply exchange(int port, boolean tls, byte[] request, int timeoutMs) throws IOException {
    return exchange(port, tls, request, timeoutMs, CLOSE_WAIT_MS);
  }

  /**
   * As {@link #exchange(int, boolean, byte[], int)}, waiting at most {@code closeWaitMs} to see the
   * server close after its response (0: not looked at; the reply then says "not closed"). A test
   * that sends hundreds of requests and does not ask saves the wait on each.
   */
  static Reply exchange(int port, boolean tls, byte[] request, int timeoutMs, int closeWaitMs)
      throws IOException {
    try (Socket socket = open(port, tls)) {
      socket.setSoTimeout(timeoutMs);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (SocketException refused) {
        // The server may close before reading all of an oversized request; its answer, if any,
        // is still in the receive buffer.
      }
      return read(socket, closeWaitMs);
    }
  }

  static Reply exchange(int port, boolean tls, String request, int timeoutMs) throws IOException {
    return exchange(port, tls, request.getBytes(StandardCharsets.ISO_8859_1), timeoutMs);
  }

  private static final int CLOSE_WAIT_MS = 300;

  /**
   * Reads one response (status line, headers, a Content-Length body) within the socket's timeout,
   * then whether the server closes the connection right after it (within 300 ms).
   */
  static Reply read(Socket socket) throws IOException {
    return read(socket, CLOSE_WAIT_MS);
  }

  private static Reply read(Socket socket, int closeWaitMs) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) != -1) {
        head.write(b);
        if (endsWithBlankLine(head.toByteArray())) {
          break;
        }
      }
      if (b == -1) {
        return new Reply(-1, Map.of(), new byte[0], true);
      }
    } catch (SocketTimeoutException | SocketException none) {
      return new Reply(-1, Map.of(), new byte[0], none instanceof SocketException);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (closeWaitMs == 0) {
      return new Reply(status, headers, body, false);
    }
    boolean closed;
    socket.setSoTimeout(closeWaitMs);
    try {
      closed = in.read() == -1;
    } catch (SocketTimeoutException open) {
      closed = false;
    } catch (SocketException reset) {
      closed = true;
    }
    return new Reply(status, headers, body, closed);
  }

  /** Whether the server closed {@code socket} within {@code timeoutMs} (EOF or reset). */
  static boolean closedWithin(Socket socket, int timeoutMs) throws IOException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      // At least one read, however short the wait: a closed socket answers at once.
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (socket.getInputStream().read() == -1) {
          return true;
        }
      } catch (SocketTimeoutException open) {
        return false;
      } catch (SocketException reset) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
    }
  }

  private static boolean endsWithBlankLine(byte[] b) {
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
