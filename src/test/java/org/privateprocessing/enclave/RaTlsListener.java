package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.attest.AttestationException;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.ratls.RaTlsFixtures;
import org.privateprocessing.attest.ratls.RaTlsSessionBinding;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.infer.Answer;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.TokenTypes;

/**
 * An RA-TLS listener for tests, with everything it is built from in reach: the simulated AMD
 * hierarchy of {@link RaTlsFixtures}, an issuer's keys and a spent-token store as the gateway of
 * the same JVM would share them, the in-flight limiter, and a model that counts its calls and can
 * be held.
 */
final class RaTlsListener {
  static final String ISSUER = "issuer.test";
  static final String ORIGIN = "gateway.test";
  static final int MAX_BODY = 64 * 1024;

  final TestTokens.MutableClock tokenClock = new TestTokens.MutableClock();
  final IssuerKeys issuerKeys = TestTokens.keys(tokenClock, TokenTypes.BLIND_RSA_2048);
  final InMemorySpentTokens spent = new InMemorySpentTokens(1_000, tokenClock);
  final CredentialCheck credentials =
      new CredentialCheck(ISSUER, ORIGIN, issuerKeys, spent, tokenClock);

  /** What the gateway of the same JVM checks tokens with: another check on the same store. */
  final CredentialCheck gateway =
      new CredentialCheck(ISSUER, ORIGIN, issuerKeys, spent, tokenClock);

  final CountingModel model = new CountingModel();
  final AtomicInteger evidenceRequests = new AtomicInteger();
  final AtomicInteger sessionsBound = new AtomicInteger();
  final InFlightLimiter limiter;
  final EnclaveApi api;

  RaTlsListener(int capacity) {
    limiter = new InFlightLimiter(capacity);
    String measurement = HexFormat.of().formatHex(RaTlsFixtures.provider().measurement());
    api = new EnclaveApi(model, EnclaveIdentity.generate("ab12", measurement, new SecureRandom()));
  }

  RaTlsListener() {
    this(8);
  }

  /** A valid {@code Authorization} value, with a fresh token for this listener's challenge. */
  String token() throws Exception {
    return PrivateTokenAuthorization.header(
        TestTokens.mint(issuerKeys, credentials.challenges().get(0), tokenClock.instant()));
  }

  /** Session evidence from the fixtures' provider at their fixed time, counted. */
  EnclaveEvidence bind(KeyPair tlsKey, byte[] nonce, byte[] channelBinding)
      throws AttestationException {
    sessionsBound.incrementAndGet();
    return RaTlsSessionBinding.produce(
        RaTlsFixtures.provider(),
        RaTlsFixtures.KEY_CONFIGS,
        tlsKey.getPublic(),
        nonce,
        channelBinding,
        RaTlsFixtures.NOW);
  }

  EnclaveTlsVerticle verticle(KeyPair tlsKey, X509Certificate cert, EnclaveEvidence evidence) {
    return verticle(tlsKey, cert, evidence, (nonce, binding) -> bind(tlsKey, nonce, binding));
  }

  EnclaveTlsVerticle verticle(
      KeyPair tlsKey,
      X509Certificate cert,
      EnclaveEvidence evidence,
      EnclaveTlsVerticle.SessionBinder binder) {
    return new EnclaveTlsVerticle(
        "127.0.0.1",
        0,
        tlsKey,
        () -> cert,
        api,
        () -> {
          evidenceRequests.incrementAndGet();
          return new JsonObject()
              .put("id", "ab12")
              .put(
                  "evidence",
                  Base64.getUrlEncoder().withoutPadding().encodeToString(evidence.encode()));
        },
        binder,
        new EnclaveTlsVerticle.Admission(credentials, limiter, MAX_BODY));
  }

  /** Deploys the listener; completes with it. */
  Future<EnclaveTlsVerticle> deploy(
      Vertx vertx, KeyPair tlsKey, X509Certificate cert, EnclaveEvidence evidence) {
    EnclaveTlsVerticle v = verticle(tlsKey, cert, evidence);
    return vertx.deployVerticle(v).map(d -> v);
  }

  /** The embedded model, counting the calls that reach it; {@link #hold} makes it wait. */
  static final class CountingModel implements Model {
    private final EmbeddedModel inner = new EmbeddedModel();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    private volatile CountDownLatch gate;

    /** From now on each call waits until {@link #release}. */
    void hold() {
      gate = new CountDownLatch(1);
    }

    void release() {
      CountDownLatch g = gate;
      gate = null;
      if (g != null) {
        g.countDown();
      }
    }

    private void enter() {
      calls.incrementAndGet();
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      CountDownLatch g = gate;
      try {
        if (g != null && !g.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("held model never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public ModelInfo info() {
      return inner.info();
    }

    @Override
    public Answer<Summary> summarize(SummarizeRequest request) {
      enter();
      try {
        return inner.summarize(request);
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public Answer<List<Suggestion>> suggest(SuggestRequest request) {
      enter();
      try {
        return inner.suggest(request);
      } finally {
        running.decrementAndGet();
      }
    }
  }
}
