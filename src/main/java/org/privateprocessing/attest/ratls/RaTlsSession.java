package org.privateprocessing.attest.ratls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.privateprocessing.attest.EnclaveEvidence;

/**
 * A client's attested and bound session with one enclave over RA-TLS (docs/RA-TLS.md): one TLS 1.3
 * connection whose certificate evidence the {@link RaTlsTrustManager} accepted in the handshake,
 * and which the enclave then bound with fresh session evidence ({@link RaTlsSessionBinding}) over
 * this client's nonce and the connection's {@link RaTlsChannelBinding}. Only then does {@link
 * #open} complete; a connection whose binding fails is closed before a single request is sent, so a
 * relay that terminates TLS with the enclave's (stolen or forwarded) key gets nothing.
 *
 * <p>Every request goes over that one connection; when it closes, the session is over and a new one
 * must be opened (and bound). Each request to the enclave API carries its own Privacy Pass token
 * ({@code Authorization: PrivateToken token=...}): the session proves who the enclave is, the token
 * that the caller may use it.
 */
public final class RaTlsSession {
  /** Where a client asks the enclave to bind its session. */
  public static final String PATH = "/v1/session";

  /** Media type of both the nonce (request) and the session evidence DER (answer). */
  public static final String MEDIA_TYPE = "application/octet-stream";

  /** An answer on the session: status, headers and body. */
  public record Response(int status, MultiMap headers, byte[] body) {
    public Response {
      Objects.requireNonNull(headers, "headers");
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final HttpClientAgent client;
  private final HttpClientConnection connection;
  private final RaTlsTrustManager.Attested bound;
  private final String host;
  private final int port;

  private RaTlsSession(
      HttpClientAgent client,
      HttpClientConnection connection,
      RaTlsTrustManager.Attested bound,
      String host,
      int port) {
    this.client = client;
    this.connection = connection;
    this.bound = bound;
    this.host = host;
    this.port = port;
  }

  /**
   * Connects to the enclave at {@code host:port}, verifies its certificate evidence in the
   * handshake and has it bind the session. Fails with a {@link RaTlsRefusal} (directly, or as the
   * cause of the handshake's {@code SSLException}) when anything does not verify; nothing is sent
   * but the handshake and the 32-byte nonce.
   *
   * @param random draws the client nonce
   */
  public static Future<RaTlsSession> open(
      Vertx vertx, RaTlsTrustManager trust, String host, int port, SecureRandom random) {
    if (!OpenSsl.isAvailable()) {
      return Future.failedFuture(
          new RaTlsRefusal(
              RaTlsCheck.SESSION_BINDING,
              null,
              "RA-TLS sessions need netty-tcnative's OpenSSL engine to bind the TLS session, and"
                  + " it is not available here: "
                  + OpenSsl.unavailabilityCause()));
    }
    HttpClientAgent client = vertx.createHttpClient(RaTlsClients.sessionClientOptions(trust));
    return client
        .connect(new HttpConnectOptions().setHost(host).setPort(port))
        .compose(
            connection ->
                bind(connection, trust, host, port, random)
                    .map(bound -> new RaTlsSession(client, connection, bound, host, port))
                    .onFailure(t -> connection.close()))
        .onFailure(t -> client.close());
  }

  private static Future<RaTlsTrustManager.Attested> bind(
      HttpClientConnection connection,
      RaTlsTrustManager trust,
      String host,
      int port,
      SecureRandom random) {
    RaTlsTrustManager.Attested handshake;
    byte[] channelBinding;
    try {
      // The trust manager ran in the handshake; running it again here yields what this very
      // connection presented, where lastAccepted() would be any connection's.
      handshake = trust.verify(x509(connection.peerCertificates()));
      channelBinding = RaTlsChannelBinding.of(connection);
    } catch (RaTlsRefusal refusal) {
      return Future.failedFuture(refusal);
    } catch (SSLException e) {
      return Future.failedFuture(
          new RaTlsRefusal(RaTlsCheck.SESSION_BINDING, null, e.getMessage()));
    }
    byte[] nonce = new byte[RaTlsSessionBinding.NONCE_LENGTH];
    random.nextBytes(nonce);
    return connection
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(host)
                .setPort(port)
                .setURI(PATH)
                .putHeader("content-type", MEDIA_TYPE))
        // The body is read inside send's continuation, never a step later: Vert.x delivers the
        // response on the connection's event loop, and a step chained after send may run after the
        // body has arrived when the caller is not on that loop (the body is then lost).
        .compose(
            request ->
                request
                    .send(Buffer.buffer(nonce))
                    .compose(response -> readCapped(response, EnclaveEvidence.MAX_ENCODED)))
        .compose(
            answer -> {
              if (answer.status() != 200) {
                return Future.failedFuture(
                    new RaTlsRefusal(
                        RaTlsCheck.SESSION_BINDING,
                        null,
                        "the enclave did not bind this session (HTTP "
                            + answer.status()
                            + " on "
                            + PATH
                            + "): an RA-TLS session without a binding is not trusted"));
              }
              try {
                return Future.succeededFuture(
                    trust.verifySession(handshake, answer.body(), nonce, channelBinding));
              } catch (RaTlsRefusal refusal) {
                return Future.failedFuture(refusal);
              }
            });
  }

  private static X509Certificate[] x509(List<Certificate> certificates) throws RaTlsRefusal {
    X509Certificate[] chain = new X509Certificate[certificates.size()];
    for (int i = 0; i < chain.length; i++) {
      if (!(certificates.get(i) instanceof X509Certificate x)) {
        throw new RaTlsRefusal(
            RaTlsCheck.CERTIFICATE_COUNT, null, "the server presented a non-X.509 certificate");
      }
      chain[i] = x;
    }
    return chain;
  }

  /**
   * The answer, refused once its body passes {@code max} bytes: nothing the server sends before the
   * session is bound is trusted, its size included.
   */
  private static Future<Response> readCapped(HttpClientResponse response, int max) {
    Promise<Response> done = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (body.length() + chunk.length() > max) {
            done.tryFail(
                new RaTlsRefusal(
                    RaTlsCheck.SESSION_BINDING,
                    null,
                    "the session evidence is larger than " + max + " bytes"));
            response.request().connection().close();
          } else {
            body.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(done::tryFail);
    response.endHandler(
        v ->
            done.tryComplete(
                new Response(response.statusCode(), response.headers(), body.getBytes())));
    return done.future();
  }

  /**
   * Sends a request on this session's connection and reads the answer.
   *
   * @param headers request headers (for the enclave API: {@code content-type} and {@code
   *     authorization})
   * @param body the body, or null for none
   */
  public Future<Response> request(
      HttpMethod method, String path, Map<String, String> headers, byte[] body) {
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path);
    headers.forEach(options::putHeader);
    return connection
        .request(options)
        .compose(
            request ->
                // read inside send's continuation (see bind): a later step could miss the body
                (body == null ? request.send() : request.send(Buffer.buffer(body)))
                    .compose(
                        response ->
                            response
                                .body()
                                .map(
                                    b ->
                                        new Response(
                                            response.statusCode(),
                                            response.headers(),
                                            b.getBytes()))));
  }

  /**
   * POSTs {@code body} to the enclave API at {@code path} with a Privacy Pass token.
   *
   * @param authorization the {@code Authorization} value, {@code PrivateToken token="..."}; null
   *     sends none (the enclave then answers 401 with its challenges)
   */
  public Future<Response> post(String path, String contentType, byte[] body, String authorization) {
    Map<String, String> headers =
        authorization == null
            ? Map.of("content-type", contentType)
            : Map.of("content-type", contentType, "authorization", authorization);
    return request(HttpMethod.POST, path, headers, body);
  }

  /**
   * The enclave as this session proved it: the certificate of the handshake and the session
   * evidence that bound it.
   */
  public RaTlsTrustManager.Attested attested() {
    return bound;
  }

  /** Closes the connection and the client behind it. */
  public Future<Void> close() {
    return connection.close().eventually(() -> client.close());
  }
}
