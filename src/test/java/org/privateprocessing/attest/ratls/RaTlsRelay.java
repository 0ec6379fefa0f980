package org.privateprocessing.attest.ratls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A man in the middle for tests: an HTTPS server on 127.0.0.2 that terminates TLS with an enclave's
 * own key and RA-TLS certificate (as a host that stole the key, or a TLS terminator in front of the
 * enclave, would) and relays every request, over its own TLS session, to the enclave. It records
 * the bodies it saw in the clear.
 */
public final class RaTlsRelay {
  /** Where the relay listens: another loopback address than the enclave's. */
  public static final String HOST = "127.0.0.2";

  private final List<byte[]> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private HttpClientAgent upstream;

  /** Starts relaying to {@code 127.0.0.1:enclavePort}; completes with the relay's port. */
  public Future<Integer> start(
      Vertx vertx, KeyPair stolenKey, X509Certificate certificate, int enclavePort) {
    upstream =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3")));
    PemKeyCertOptions keyCert;
    try {
      keyCert =
          new PemKeyCertOptions()
              .setKeyValue(pem("PRIVATE KEY", stolenKey.getPrivate().getEncoded()))
              .setCertValue(pem("CERTIFICATE", certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      return Future.failedFuture(e);
    }
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setSsl(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setKeyCertOptions(keyCert));
    server.requestHandler(
        in ->
            in.body()
                .compose(
                    body -> {
                      seen.add(body.getBytes());
                      RequestOptions out =
                          new RequestOptions()
                              .setMethod(in.method())
                              .setHost("127.0.0.1")
                              .setPort(enclavePort)
                              .setURI(in.uri());
                      in.headers()
                          .forEach(
                              h -> {
                                if (!h.getKey().equalsIgnoreCase("host")
                                    && !h.getKey().equalsIgnoreCase("content-length")) {
                                  out.addHeader(h.getKey(), h.getValue());
                                }
                              });
                      return upstream
                          .request(out)
                          .compose(
                              r ->
                                  r.send(body)
                                      .compose(
                                          answer ->
                                              answer
                                                  .body()
                                                  .compose(
                                                      b -> {
                                                        in.response()
                                                            .setStatusCode(answer.statusCode());
                                                        answer
                                                            .headers()
                                                            .forEach(
                                                                h -> {
                                                                  if (!h.getKey()
                                                                      .equalsIgnoreCase(
                                                                          "content-length")) {
                                                                    in.response()
                                                                        .putHeader(
                                                                            h.getKey(),
                                                                            h.getValue());
                                                                  }
                                                                });
                                                        return in.response().end(b);
                                                      })));
                    })
                .onFailure(t -> in.response().setStatusCode(502).end()));
    return server.listen(0, HOST).map(HttpServer::actualPort);
  }

  /** The request bodies the relay read in the clear, as UTF-8 text. */
  public List<String> seen() {
    return seen.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  /** The request bodies the relay read in the clear. */
  public List<byte[]> seenBytes() {
    return List.copyOf(seen);
  }

  private static Buffer pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return Buffer.buffer(
        "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }
}
