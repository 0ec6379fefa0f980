package org.privateprocessing.enclave;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.privateprocessing.api.ApiLimits;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.Defaults;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

/**
 * The enclave's RA-TLS listener: HTTPS (TLS 1.3 only, OpenSSL through netty-tcnative) whose
 * certificate carries the enclave's attestation evidence (docs/RA-TLS.md), so a client verifies the
 * enclave in the handshake and then calls the same JSON API as inside Oblivious HTTP.
 *
 * <p>Routes: {@code GET /v1/evidence} (the {@code describe} JSON), {@code POST /v1/summarize} and
 * {@code POST /v1/suggest} ({@link EnclaveApi}, run off the event loop). Errors are RFC 9457
 * problems.
 *
 * <p>The certificate supplier is read at start and again by {@link #rotate()}, which the enclave
 * calls each time it renews its evidence, so the evidence in the certificate stays fresh; open
 * connections keep the certificate they were made with.
 */
public final class EnclaveTlsVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(EnclaveTlsVerticle.class.getName());

  /** The RA-TLS port of issue #4. */
  public static final int DEFAULT_PORT = Defaults.ENCLAVE_TLS_PORT;

  private final String host;
  private final int port;
  private final KeyPair tlsKey;
  private final Supplier<X509Certificate> certificate;
  private final EnclaveApi api;
  private final Supplier<JsonObject> describe;
  private final boolean allowJdkTls;
  private HttpServer server;
  private boolean openSsl;

  /**
   * @param host address to bind, e.g. 127.0.0.1
   * @param port port to bind; 0 picks a free one ({@link #actualPort()})
   * @param tlsKey the key the certificate is for (its private half never leaves this process)
   * @param certificate the RA-TLS certificate ({@code RaTlsCertificate.create}), read at start
   * @param api the enclave API
   * @param describe the body of {@code GET /v1/evidence}
   */
  public EnclaveTlsVerticle(
      String host,
      int port,
      KeyPair tlsKey,
      Supplier<X509Certificate> certificate,
      EnclaveApi api,
      Supplier<JsonObject> describe) {
    this(host, port, tlsKey, certificate, api, describe, false);
  }

  /**
   * As the public constructor; {@code allowJdkTls} lets tests run where netty-tcnative is missing.
   */
  EnclaveTlsVerticle(
      String host,
      int port,
      KeyPair tlsKey,
      Supplier<X509Certificate> certificate,
      EnclaveApi api,
      Supplier<JsonObject> describe,
      boolean allowJdkTls) {
    this.host = host == null ? "127.0.0.1" : host;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    this.port = port;
    this.tlsKey = Objects.requireNonNull(tlsKey, "tlsKey");
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.api = Objects.requireNonNull(api, "api");
    this.describe = Objects.requireNonNull(describe, "describe");
    this.allowJdkTls = allowJdkTls;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options;
    try {
      options = serverOptions();
    } catch (IllegalStateException | CertificateEncodingException e) {
      return Future.failedFuture(e);
    }
    Router router = Router.router(vertx);
    router
        .get("/v1/evidence")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", BinaryResponses.JSON)
                    .end(describe.get().toBuffer()));
    for (String path : List.of("/v1/summarize", "/v1/suggest")) {
      // The type check before the body handler: a wrong request is refused without buffering it.
      router.post(path).handler(ctx -> HttpListeners.requireMediaType(ctx, BinaryResponses.JSON));
      router
          .post(path)
          .handler(BodyHandler.create(false).setBodyLimit(ApiLimits.MAX_JSON_BYTES))
          .handler(ctx -> serve(ctx, path));
    }
    HttpListeners.guard(
        router, "GET /v1/evidence, POST /v1/summarize and POST /v1/suggest (application/json)");
    server = HttpListeners.server(vertx, options, router);
    return server
        .listen()
        .onSuccess(
            s ->
                LOG.info(
                    () ->
                        "RA-TLS listener on "
                            + host
                            + ":"
                            + s.actualPort()
                            + " ("
                            + (openSsl ? "OpenSSL " + OpenSsl.versionString() : "JDK TLS")
                            + ", TLS 1.3)"));
  }

  /**
   * Puts the supplier's current certificate on the running listener (new handshakes use it). Must
   * be called on this verticle's context or any Vert.x thread; fails if not started.
   */
  public Future<Boolean> rotate() {
    if (server == null) {
      return Future.failedFuture(new IllegalStateException("RA-TLS listener is not started"));
    }
    try {
      return server.updateSSLOptions(
          new io.vertx.core.net.ServerSSLOptions()
              .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
              .setKeyCertOptions(keyCert()));
    } catch (CertificateEncodingException e) {
      return Future.failedFuture(e);
    }
  }

  private PemKeyCertOptions keyCert() throws CertificateEncodingException {
    return new PemKeyCertOptions()
        .setKeyValue(pem("PRIVATE KEY", tlsKey.getPrivate().getEncoded()))
        .setCertValue(pem("CERTIFICATE", certificate.get().getEncoded()));
  }

  /** The server's TLS settings; package-private so tests can see which engine it runs. */
  HttpServerOptions serverOptions() throws CertificateEncodingException {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setSsl(true)
            .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
            .setKeyCertOptions(keyCert());
    if (OpenSsl.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions());
      openSsl = true;
    } else if (!allowJdkTls) {
      // No silent fallback: the deployment asked for the OpenSSL engine and should know it is
      // missing.
      throw new IllegalStateException(
          "RA-TLS listener: OpenSSL (netty-tcnative) is not available: "
              + OpenSsl.unavailabilityCause());
    }
    return options;
  }

  private static Buffer pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return Buffer.buffer(
        "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }

  /**
   * {@code path} is the route's, not the request's raw path, which the router may have normalised.
   */
  private void serve(RoutingContext ctx, String path) {
    String contentType = ctx.request().getHeader("content-type");
    BinaryHttpRequest request =
        BinaryHttpRequest.of(
            "POST",
            "https",
            "enclave",
            path,
            List.of(new Field("content-type", contentType)),
            HttpListeners.body(ctx).getBytes());
    vertx
        .executeBlocking(() -> api.handle(request), false)
        .onSuccess(response -> reply(ctx, response))
        .onFailure(t -> HttpListeners.send(ctx, t));
  }

  private static void reply(RoutingContext ctx, BinaryHttpResponse response) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(response.status());
    for (Field f : response.headers()) {
      ctx.response().putHeader(f.name(), f.value());
    }
    ctx.response().end(Buffer.buffer(response.content()));
  }

  /**
   * Whether the running server uses netty-tcnative's OpenSSL engine (false only with the test
   * flag).
   */
  public boolean openSsl() {
    return openSsl;
  }

  public int actualPort() {
    return server.actualPort();
  }
}
