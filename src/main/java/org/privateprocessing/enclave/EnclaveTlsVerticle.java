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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.attest.AttestationException;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.ratls.RaTlsChannelBinding;
import org.privateprocessing.attest.ratls.RaTlsSession;
import org.privateprocessing.attest.ratls.RaTlsSessionBinding;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.Defaults;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.core.Problems;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

/**
 * The enclave's RA-TLS listener: HTTPS (TLS 1.3 only, OpenSSL through netty-tcnative) whose
 * certificate carries the enclave's attestation evidence (docs/RA-TLS.md), so a client verifies the
 * enclave in the handshake, has it bind the session, and then calls the same JSON API as inside
 * Oblivious HTTP, under the same rules.
 *
 * <p>Routes:
 *
 * <ul>
 *   <li>{@code GET /v1/evidence}: the {@code describe} JSON.
 *   <li>{@code POST /v1/session}: session binding. The body is the client's 32-byte nonce; the
 *       answer is fresh session evidence over that nonce and this TLS session's channel binding
 *       ({@link RaTlsSessionBinding}), made by {@link SessionBinder} on a worker, inside the
 *       in-flight limit.
 *   <li>{@code POST /v1/summarize} and {@code POST /v1/suggest}: {@link EnclaveApi}, admitted as
 *       the OHTTP path admits: a Privacy Pass token per request ({@link CredentialCheck}, the
 *       gateway's challenge and spent-token store), checked before the body is read; a slot of the
 *       in-flight limit the enclave's OHTTP path uses, taken before the body is read and held until
 *       the model is done; a body no larger than the gateway accepts. A caller without a valid
 *       token gets 401 with the challenges and never reaches the model.
 * </ul>
 *
 * <p>Errors are RFC 9457 problems. The certificate supplier is read at start and again by {@link
 * #rotate()}, which the enclave calls each time it renews its evidence, so the evidence in the
 * certificate stays fresh; open connections keep the certificate they were made with.
 */
public final class EnclaveTlsVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(EnclaveTlsVerticle.class.getName());

  /** The RA-TLS port of issue #4. */
  public static final int DEFAULT_PORT = Defaults.ENCLAVE_TLS_PORT;

  private static final String SLOT = "pp.ratls.slot";
  private static final String TOKEN = "pp.ratls.token";

  /** Makes session evidence; blocking (a hardware report), so it runs on a worker. */
  @FunctionalInterface
  public interface SessionBinder {
    /**
     * Fresh evidence binding the enclave's keys, now, {@code clientNonce} and {@code
     * channelBinding} ({@link RaTlsSessionBinding#produce}).
     */
    EnclaveEvidence bind(byte[] clientNonce, byte[] channelBinding) throws AttestationException;
  }

  /**
   * Who may call the enclave API over this listener, and how much at once: the rules of the OHTTP
   * path.
   *
   * @param credentials the Privacy Pass check, on the gateway's challenge and spent-token store
   * @param limiter the enclave's in-flight limit, shared with its OHTTP inference stage
   * @param maxBodyBytes the largest request body, the gateway's {@code maxBodyBytes}
   */
  public record Admission(CredentialCheck credentials, InFlightLimiter limiter, int maxBodyBytes) {
    public Admission {
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(limiter, "limiter");
      if (maxBodyBytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive");
      }
    }
  }

  private final String host;
  private final int port;
  private final KeyPair tlsKey;
  private final Supplier<X509Certificate> certificate;
  private final EnclaveApi api;
  private final Supplier<JsonObject> describe;
  private final SessionBinder binder;
  private final Admission admission;
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
   * @param binder makes the session evidence of {@code POST /v1/session}
   * @param admission the token check, in-flight limit and body limit of API requests
   */
  public EnclaveTlsVerticle(
      String host,
      int port,
      KeyPair tlsKey,
      Supplier<X509Certificate> certificate,
      EnclaveApi api,
      Supplier<JsonObject> describe,
      SessionBinder binder,
      Admission admission) {
    this(host, port, tlsKey, certificate, api, describe, binder, admission, false);
  }

  /**
   * As the public constructor; {@code allowJdkTls} lets tests run where netty-tcnative is missing
   * (sessions cannot be bound then).
   */
  EnclaveTlsVerticle(
      String host,
      int port,
      KeyPair tlsKey,
      Supplier<X509Certificate> certificate,
      EnclaveApi api,
      Supplier<JsonObject> describe,
      SessionBinder binder,
      Admission admission,
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
    this.binder = Objects.requireNonNull(binder, "binder");
    this.admission = Objects.requireNonNull(admission, "admission");
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
        .get(ApiPaths.EVIDENCE)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", BinaryResponses.JSON)
                    .end(describe.get().toBuffer()));
    router
        .post(RaTlsSession.PATH)
        .handler(ctx -> HttpListeners.requireMediaType(ctx, RaTlsSession.MEDIA_TYPE));
    router
        .post(RaTlsSession.PATH)
        .handler(BodyHandler.create(false).setBodyLimit(RaTlsSessionBinding.NONCE_LENGTH))
        .handler(this::bindSession);
    for (String path : List.of(ApiPaths.SUMMARIZE, ApiPaths.SUGGEST)) {
      // Type, token and slot before the body handler: a caller who may not be served is refused
      // without a byte of its body read, and at most the limiter's capacity of bodies is buffered.
      router.post(path).handler(ctx -> HttpListeners.requireMediaType(ctx, BinaryResponses.JSON));
      router.post(path).handler(this::admit);
      router
          .post(path)
          .handler(BodyHandler.create(false).setBodyLimit(admission.maxBodyBytes()))
          .handler(ctx -> serve(ctx, path));
    }
    HttpListeners.guard(
        router,
        "GET /v1/evidence, POST /v1/session (application/octet-stream), POST /v1/summarize and"
            + " POST /v1/suggest (application/json, Authorization: PrivateToken)");
    // Requests arrive here in the clear once TLS is off: buffers are wiped, never pooled.
    server = HttpListeners.server(vertx, options, router, NodeMetrics.Stage.ENCLAVE_TLS, true);
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
   * {@code POST /v1/session}: session evidence over the client's nonce and this connection's
   * channel binding. The binding is read here, on the connection's event loop; the report is made
   * on a worker, inside the in-flight limit (a hardware report is the scarce thing here).
   */
  private void bindSession(RoutingContext ctx) {
    byte[] nonce = HttpListeners.body(ctx).getBytes();
    if (nonce.length != RaTlsSessionBinding.NONCE_LENGTH) {
      HttpListeners.send(
          ctx.response(),
          PipelineException.of(
              ProblemType.BAD_SESSION_NONCE,
              "the body must be the client's "
                  + RaTlsSessionBinding.NONCE_LENGTH
                  + "-byte nonce, not "
                  + nonce.length
                  + " bytes"));
      return;
    }
    byte[] channelBinding;
    try {
      channelBinding = RaTlsChannelBinding.of(ctx.request().connection());
    } catch (SSLException e) {
      HttpListeners.send(
          ctx.response(),
          PipelineException.of(
              ProblemType.INTERNAL, "this listener cannot bind sessions: " + e.getMessage()));
      return;
    }
    admission
        .limiter()
        .run(
            () -> vertx.executeBlocking(() -> binder.bind(nonce, channelBinding), false),
            () -> InFlightLimiter.overloaded("the enclave"))
        .onSuccess(
            evidence ->
                ctx.response()
                    .putHeader("content-type", RaTlsSession.MEDIA_TYPE)
                    .end(Buffer.buffer(evidence.encode())))
        .onFailure(
            t ->
                HttpListeners.send(
                    ctx.response(),
                    t instanceof AttestationException
                        ? PipelineException.of(
                            ProblemType.UNAVAILABLE, "the enclave cannot attest right now")
                        : Problems.toPipelineException(t)));
  }

  /**
   * Before the body is read: the token must verify (401 with the challenges otherwise; nothing is
   * spent yet) and the enclave must have a free slot (503 {@code overloaded} otherwise). The slot
   * is given back when the response is done, or when the model is, whichever is later.
   */
  private void admit(RoutingContext ctx) {
    CredentialCheck.Verified token;
    try {
      token =
          admission
              .credentials()
              .verify(Optional.ofNullable(ctx.request().getHeader("authorization")));
    } catch (PipelineException e) {
      HttpListeners.send(ctx.response(), e);
      return;
    }
    if (!admission.limiter().tryAcquire()) {
      HttpListeners.send(ctx.response(), InFlightLimiter.overloaded("the enclave"));
      return;
    }
    Slot slot = new Slot(admission.limiter());
    ctx.addEndHandler(ended -> slot.responseDone());
    ctx.put(SLOT, slot);
    ctx.put(TOKEN, token);
    ctx.next();
  }

  /**
   * After the body: spends the token (401 {@code token-replayed} if it was spent on either path),
   * then runs the API on a worker. {@code path} is the route's, not the request's raw path, which
   * the router may have normalised.
   */
  private void serve(RoutingContext ctx, String path) {
    Slot slot = ctx.get(SLOT);
    CredentialCheck.Verified token = ctx.get(TOKEN);
    byte[] body = HttpListeners.body(ctx).getBytes();
    String contentType = ctx.request().getHeader("content-type");
    admission
        .credentials()
        .spend(token)
        .compose(
            spent -> {
              if (!slot.startWork()) {
                // The client went away while its token was spent: no model time for nobody.
                return Future.<BinaryHttpResponse>failedFuture(
                    PipelineException.of(ProblemType.UNAVAILABLE, "the connection closed"));
              }
              BinaryHttpRequest request =
                  BinaryHttpRequest.of(
                      "POST",
                      "https",
                      "enclave",
                      path,
                      List.of(new Field("content-type", contentType)),
                      body);
              return vertx
                  .executeBlocking(() -> api.handle(request), false)
                  .andThen(done -> slot.workDone());
            })
        // Our copy of the request body is not needed past here, whatever happened.
        .andThen(done -> Arrays.fill(body, (byte) 0))
        .onSuccess(response -> reply(ctx, response))
        .onFailure(t -> HttpListeners.send(ctx, t));
  }

  /**
   * One API request's slot in the in-flight limit, given back exactly once: when the response is
   * done (answered, refused or the connection closed) while no model runs for it, or when the model
   * finishes. A client that disconnects cannot free the slot of work still running. Confined to the
   * listener's event loop, where the end handler and the worker's completion both run.
   */
  private static final class Slot {
    private final InFlightLimiter limiter;
    private boolean working;
    private boolean responseDone;
    private boolean released;

    Slot(InFlightLimiter limiter) {
      this.limiter = limiter;
    }

    void responseDone() {
      responseDone = true;
      if (!working) {
        release();
      }
    }

    /** False when the response is already done (the client left): then nothing may start. */
    boolean startWork() {
      if (released || responseDone) {
        return false;
      }
      working = true;
      return true;
    }

    void workDone() {
      working = false;
      release();
    }

    private void release() {
      if (!released) {
        released = true;
        limiter.release();
      }
    }
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
