package org.privateprocessing.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.privateprocessing.core.ClusteredSpentTokens;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.IssuerKeysRefresher;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.ReadinessCheck;
import org.privateprocessing.core.RemoteIssuerKeys;
import org.privateprocessing.core.SpentTokens;
import org.privateprocessing.core.VerificationKeys;
import org.privateprocessing.logclient.LogPublisher;
import org.privateprocessing.ohttp.KeyConfig;

/**
 * Starts a gateway: publishes its key configs to the transparency log when one is configured, gets
 * the issuer's public keys (from the issuer in the same JVM, or from the issuer's directory), then
 * deploys its credential stage and HTTP listener. On a clustered Vert.x, gateways share one
 * spent-token map ({@link ClusteredSpentTokens}).
 */
public final class GatewayRole {
  private static final Logger LOG = Logger.getLogger(GatewayRole.class.getName());

  private GatewayRole() {}

  /**
   * What a started gateway serves.
   *
   * @param port the port its listener bound
   * @param readiness what it needs to serve: the issuer's keys, a live enclave, the spent-token
   *     store, and the log its listings' proofs come from when one is configured
   */
  public record Started(int port, GatewayIdentity identity, List<ReadinessCheck> readiness) {}

  /**
   * Starts one gateway.
   *
   * @param identity its outer-layer OHTTP keys; null to use (and rotate) the durable keys of {@code
   *     options.keyPath()}, shared with the origin's other replicas
   * @param issuerKeys the public keys of the issuer started in the same JVM; null to read them from
   *     {@code options.issuerUrl()}'s directory (only type 0x0002, see {@link RemoteIssuerKeys})
   * @param localEnclave the id of the enclave started in the same JVM, which must be live before
   *     the gateway reports started; null when none
   * @param publisher where its key configs are logged before clients fetch them, and whose log the
   *     listings' proofs come from; null when no transparency log is configured
   * @param spent the spent-token store, shared with the enclave's RA-TLS listener in the same JVM
   *     (one token, one request on either path); on a clustered Vert.x the cluster-wide {@link
   *     ClusteredSpentTokens}, which every gateway and enclave of the cluster shares
   */
  public static Future<Started> start(
      Vertx vertx,
      GatewayOptions options,
      GatewayIdentity given,
      VerificationKeys issuerKeys,
      String localEnclave,
      LogPublisher publisher,
      Clock clock,
      SpentTokens spent) {
    if (given != null) {
      return start(vertx, options, given, issuerKeys, localEnclave, publisher, clock, spent, false);
    }
    if (options.keyPath() == null) {
      return Future.failedFuture(
          new IllegalArgumentException("gateway.keyDir: the gateway needs a key directory"));
    }
    GatewayKeySet keySet =
        new GatewayKeySet(
            options.keyPath(),
            Duration.ofSeconds(options.keyLifetimeSeconds()),
            Duration.ofSeconds(options.keyOverlapSeconds()),
            new SecureRandom(),
            options.makeKeys());
    return vertx
        .executeBlocking(() -> keySet.refresh(clock), false)
        .compose(
            first ->
                start(
                    vertx,
                    options,
                    GatewayIdentity.durable(keySet, first),
                    issuerKeys,
                    localEnclave,
                    publisher,
                    clock,
                    spent,
                    true));
  }

  private static Future<Started> start(
      Vertx vertx,
      GatewayOptions options,
      GatewayIdentity unpadded,
      VerificationKeys issuerKeys,
      String localEnclave,
      LogPublisher publisher,
      Clock clock,
      SpentTokens spent,
      boolean rotating) {
    GatewayIdentity identity = unpadded.withResponsePadding(options.padding());
    Future<VerificationKeys> keys;
    if (issuerKeys != null) {
      keys = Future.succeededFuture(issuerKeys);
    } else {
      // Split mode: public keys from the issuer's directory, so only type 0x0002 (see
      // RemoteIssuerKeys).
      RemoteIssuerKeys remote =
          new RemoteIssuerKeys(Duration.ofSeconds(options.issuerKeyMaxAgeSeconds()));
      keys =
          vertx
              .deployVerticle(
                  new IssuerKeysRefresher(
                      options.issuerUrl(), remote, options.issuerRefreshMs(), 30_000, clock))
              .map(d -> remote);
    }
    SpentTokens tokens = Objects.requireNonNull(spent, "spent");
    EnclaveRegistry registry = new EnclaveRegistry(clock);
    GatewayVerticle http = new GatewayVerticle(options, identity);
    NodeMetrics metrics = NodeMetrics.of(vertx);
    // transparency: the gateway's key configs are in the log before clients fetch them
    Future<Void> published =
        publisher == null
            ? Future.succeededFuture()
            : publisher.publish(
                "gateway key config", identity.logEntries(options.origin(), clock.instant()));
    return published
        .compose(v -> keys)
        .compose(
            k -> {
              CredentialCheck credentials =
                  new CredentialCheck(
                      options.issuerName(), options.origin(), k, tokens, clock, metrics);
              // With a log, every listing carries the proofs clients require (the gateway is not
              // trusted for them).
              TransparencyView transparency =
                  publisher == null
                      ? null
                      : new TransparencyView(
                          publisher.client(),
                          () -> identity.keyConfigs().stream().map(KeyConfig::encode).toList(),
                          () -> currentTokenKeys(k, clock.instant()),
                          clock,
                          2_000);
              return vertx.deployVerticle(
                  new CredentialVerticle(
                      options, identity, credentials, registry, localEnclave, transparency));
            })
        .compose(d -> vertx.deployVerticle(http))
        .map(
            d -> {
              if (rotating) {
                rotate(vertx, options, identity, publisher, clock);
              }
              LOG.info(
                  "gateway listening on "
                      + options.host()
                      + ":"
                      + http.actualPort()
                      + ", enclaves from announcements, spent tokens "
                      + (vertx.isClustered() ? "cluster-wide" : "in memory")
                      + ", accepting tokens of '"
                      + options.issuerName()
                      + "'");
              metrics.gauge(
                  "pp.gateway.enclaves.live",
                  "Enclaves this gateway heard from within their announcement's ttl",
                  registry::liveCount);
              metrics.functionCounter(
                  "pp.gateway.announcements.rejected",
                  "Enclave announcements this gateway refused (malformed, oversized, registry full)",
                  registry,
                  EnclaveRegistry::rejected);
              metrics.stageGauge(
                  "pp.limiter.in.flight",
                  "Requests holding a slot of a stage's in-flight limit",
                  NodeMetrics.Stage.GATEWAY,
                  http::inFlight);
              List<ReadinessCheck> readiness = new ArrayList<>();
              readiness.add(ReadinessCheck.issuerKeys(keys.result(), clock));
              readiness.add(enclaveAvailable(registry));
              readiness.add(ReadinessCheck.spentTokens(tokens));
              if (publisher != null) {
                readiness.add(
                    ReadinessCheck.answers(
                        "log reachable",
                        () -> publisher.client().checkpoint(),
                        "the transparency log at " + publisher.client().baseUrl()));
              }
              return new Started(http.actualPort(), identity, List.copyOf(readiness));
            });
  }

  /** {@code enclave available}: at least one enclave announced itself within its ttl. */
  static ReadinessCheck enclaveAvailable(EnclaveRegistry registry) {
    return ReadinessCheck.of(
        "enclave available",
        () ->
            registry.liveCount() > 0
                ? Optional.empty()
                : Optional.of(
                    "no enclave has announced itself within its ttl: start one (serve --role"
                        + " enclave --cluster) or check that it joined this gateway's cluster"));
  }

  /**
   * Keeps the key directory up to date (a next generation made ahead, retired ones removed) and
   * serves what it holds, as often as the issuer rotates. A new key list is logged before it is
   * served, so its next generation is in the log a whole lifetime before use; keys a replica made
   * are picked up the same way. A failure keeps the keys served as they were, and says why.
   */
  private static void rotate(
      Vertx vertx,
      GatewayOptions options,
      GatewayIdentity identity,
      LogPublisher publisher,
      Clock clock) {
    long every = Math.max(1_000, Math.min(60_000, options.keyLifetimeSeconds() * 1000 / 4));
    vertx.setPeriodic(
        every,
        every,
        t ->
            vertx
                .executeBlocking(() -> identity.keySet().refresh(clock), false)
                .compose(
                    next -> {
                      if (next.sameAs(identity.snapshot())) {
                        return Future.succeededFuture();
                      }
                      // Only a new list needs the log first; retiring a key never waits for it.
                      boolean sameList = sameList(next, identity.snapshot());
                      Future<Void> logged =
                          publisher == null || sameList
                              ? Future.succeededFuture()
                              : publisher.publish(
                                  "gateway key config", next.logEntries(options.origin()));
                      return logged.map(
                          v -> {
                            identity.update(next);
                            LOG.info(
                                "gateway keys now: "
                                    + next.listed().size()
                                    + " listed, key ids accepted "
                                    + next.accepted().configs().stream()
                                        .map(KeyConfig::keyId)
                                        .toList());
                            return null;
                          });
                    })
                .onFailure(
                    e ->
                        LOG.severe(
                            "gateway key rotation failed: "
                                + e.getMessage()
                                + " (the keys served stay as they were)")));
  }

  private static boolean sameList(GatewayKeySet.Snapshot a, GatewayKeySet.Snapshot b) {
    List<byte[]> x = a.listedBytes();
    List<byte[]> y = b.listedBytes();
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (!java.util.Arrays.equals(x.get(i), y.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The issuer keys clients should use now, one per accepted type: those whose log proofs a listing
   * carries.
   */
  private static List<byte[]> currentTokenKeys(VerificationKeys keys, Instant now) {
    List<byte[]> out = new ArrayList<>();
    for (int type : keys.tokenTypes()) {
      keys.current(type, now).ifPresent(e -> out.add(e.key().tokenKey()));
    }
    return out;
  }
}
