package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.core.IssuerKeysRefresher;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.Profile;
import org.privateprocessing.core.ReadinessCheck;
import org.privateprocessing.core.RemoteIssuerKeys;
import org.privateprocessing.infer.Model;
import org.privateprocessing.logclient.LogPublisher;
import org.privateprocessing.ohttp.ChunkLimits;

/**
 * Starts an enclave: generates its keys, attests them (an enclave without evidence does not start),
 * deploys its stages (sealing, inference, attestation, RA-TLS when configured) and, last, announces
 * itself to gateways. A timer renews the evidence so clients can bound its age.
 */
public final class EnclaveRole {
  private static final Logger LOG = Logger.getLogger(EnclaveRole.class.getName());

  private EnclaveRole() {}

  /**
   * What a started enclave is.
   *
   * @param id its id, as gateways route to it
   * @param attestation its attestation state: measurement, evidence and (demo) simulated root
   * @param tlsPort the port its RA-TLS listener bound, -1 when it runs none
   * @param readiness what it needs to serve: fresh evidence, a live announcement, and for its
   *     RA-TLS listener the spent-token store
   */
  public record Started(
      String id, EnclaveAttestation attestation, int tlsPort, List<ReadinessCheck> readiness) {}

  /**
   * How old the evidence may get before the enclave reports not ready: three refresh periods, so
   * one late or failed renewal is no outage, two are.
   */
  static Duration maxEvidenceAge(int evidenceRefreshSeconds) {
    return Duration.ofSeconds(3L * evidenceRefreshSeconds);
  }

  /** The age of the current evidence at {@code now}. */
  static Duration evidenceAge(EnclaveAttestation attestation, Instant now) {
    return Duration.between(attestation.snapshot().evidence().producedAt(), now);
  }

  /** Why the evidence is too old at {@code now}; empty while it is fresh. */
  static Optional<String> staleEvidence(
      EnclaveAttestation attestation, Duration maxAge, Instant now) {
    Duration age = evidenceAge(attestation, now);
    return age.compareTo(maxAge) <= 0
        ? Optional.empty()
        : Optional.of(
            "the enclave's evidence is "
                + age.toSeconds()
                + " s old (at most "
                + maxAge.toSeconds()
                + " s): renewing it failed, see the log; clients refuse evidence this old");
  }

  /**
   * Generates, attests and starts one enclave.
   *
   * @param section the raw {@code enclave} config section: its measured part is part of the launch
   *     image, and it holds the announcement timing
   * @param inferTimeoutMs how long the attestation stage waits for inference to answer (the
   *     gateway's enclave timeout)
   * @param publisher where, in the demo profile, the enclave logs its own release; null when no
   *     transparency log is configured
   * @param access whom its RA-TLS listener serves: the gateway's token challenge, spent-token store
   *     and body limit
   */
  public static Future<Started> start(
      Vertx vertx,
      EnclaveOptions options,
      AttestationOptions attestationOptions,
      JsonObject section,
      Profile profile,
      long inferTimeoutMs,
      LogPublisher publisher,
      Clock clock,
      SecureRandom random,
      RaTlsAccess access) {
    return start(
        vertx,
        options,
        attestationOptions,
        section,
        profile,
        inferTimeoutMs,
        publisher,
        clock,
        random,
        access,
        null);
  }

  /** As above, answering with {@code given} instead of the configured model when not null. */
  public static Future<Started> start(
      Vertx vertx,
      EnclaveOptions options,
      AttestationOptions attestationOptions,
      JsonObject section,
      Profile profile,
      long inferTimeoutMs,
      LogPublisher publisher,
      Clock clock,
      SecureRandom random,
      RaTlsAccess access,
      Model given) {
    String id = options.id() != null ? options.id() : EnclaveIdentity.randomId(random);
    EnclaveIdentity keys = EnclaveIdentity.generate(id, null, random);
    Model model = given != null ? given : options.createModel();
    // Measuring the jar, RSA key generation (simulated) and configfs I/O (hardware) all block.
    // A JVM that runs code its measurement does not cover refuses first (LaunchCheck).
    return vertx
        .executeBlocking(
            () -> {
              LaunchCheck.enforce(profile, id, LaunchCheck.Launch.ofThisJvm());
              return EnclaveAttestation.start(
                  attestationOptions, id, keys.keyConfigs(), section, random, clock.instant());
            },
            false)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof LaunchCheck.Refused
                        ? e
                        : new IllegalStateException(
                            "enclave "
                                + id
                                + " cannot attest ("
                                + e.getMessage()
                                + "); it does not start without evidence. On SEV-SNP hardware check "
                                + attestationOptions.configfsPath()
                                + "; for a local demo use \"profile\": \"demo\"",
                            e)))
        // transparency (demo only): the enclave logs its own release so the quick start needs no
        // steps
        .compose(
            attestation ->
                publisher == null || profile != Profile.DEMO
                    ? Future.succeededFuture(attestation)
                    : vertx
                        .executeBlocking(
                            () -> EnclaveAttestation.demoRelease(attestation.measurementHex()),
                            false)
                        .compose(release -> publisher.publish("enclave release", List.of(release)))
                        .map(attestation))
        .compose(
            attestation -> {
              EnclaveIdentity identity = keys.withAttestation(attestation);
              EnclaveHandshake handshake = new EnclaveHandshake(identity);
              // One bound on model work for both ways in: OHTTP and RA-TLS.
              InFlightLimiter limiter = new InFlightLimiter(options.maxQueued());
              RemoteIssuerKeys remoteKeys =
                  access.issuerKeys() == null
                      ? new RemoteIssuerKeys(access.issuerKeyMaxAge())
                      : null;
              EnclaveTlsVerticle tls =
                  attestationOptions.tlsPort() < 0
                      ? null
                      : new EnclaveTlsVerticle(
                          attestationOptions.tlsHost(),
                          attestationOptions.tlsPort(),
                          attestation.tlsKey(),
                          attestation::certificate,
                          new EnclaveApi(model, identity),
                          handshake::describe,
                          (nonce, binding) ->
                              attestation.bindSession(nonce, binding, clock.instant()),
                          new EnclaveTlsVerticle.Admission(
                              new CredentialCheck(
                                  access.issuerName(),
                                  access.origin(),
                                  remoteKeys != null ? remoteKeys : access.issuerKeys(),
                                  access.spent(),
                                  clock,
                                  NodeMetrics.of(vertx)),
                              limiter,
                              access.maxBodyBytes()));
              long every = attestationOptions.evidenceRefreshSeconds() * 1000L;
              vertx.setPeriodic(
                  every,
                  every,
                  t ->
                      vertx
                          .executeBlocking(() -> attestation.refresh(clock.instant()), false)
                          .compose(e -> tls == null ? Future.succeededFuture() : tls.rotate())
                          .onFailure(
                              e ->
                                  LOG.severe(
                                      "enclave "
                                          + id
                                          + " could not renew its evidence: "
                                          + e.getMessage()
                                          + "; clients will refuse it once the current evidence is too old")));
              StreamingVerticle streaming =
                  new StreamingVerticle(
                      identity, model, limiter, inferTimeoutMs, ChunkLimits.DEFAULT);
              Future<String> deployed =
                  vertx
                      .deployVerticle(new SealingVerticle(identity))
                      .compose(
                          d ->
                              vertx.deployVerticle(
                                  new InferenceVerticle(
                                      identity, model, limiter, options.padding())))
                      .compose(d -> vertx.deployVerticle(streaming))
                      .compose(
                          d ->
                              vertx.deployVerticle(
                                  new AttestationVerticle(identity, inferTimeoutMs)));
              if (tls != null && remoteKeys != null) {
                // Without the issuer beside it, the listener reads its keys from the directory; the
                // enclave does not wait for them (its OHTTP path needs none).
                deployed =
                    deployed.compose(
                        d ->
                            vertx.deployVerticle(
                                new IssuerKeysRefresher(
                                    access.issuerUrl(),
                                    remoteKeys,
                                    access.issuerRefreshMs(),
                                    0,
                                    clock)));
              }
              if (tls != null) {
                deployed = deployed.compose(d -> vertx.deployVerticle(tls));
              }
              // Last: announced only once it can serve.
              EnclaveAnnouncer announcer =
                  new EnclaveAnnouncer(
                      id, handshake::describe, options.heartbeatMs(), options.ttlMs());
              deployed = deployed.compose(d -> vertx.deployVerticle(announcer));
              // The inner keys rotate from then on; each new list is attested before it is listed.
              KeyRotation rotation =
                  new KeyRotation(
                      id,
                      identity.keys(),
                      attestation::bind,
                      options.keyRotation(),
                      options.keyGrace(),
                      clock.instant());
              deployed =
                  deployed.compose(
                      d ->
                          vertx.deployVerticle(
                              new KeyRotationVerticle(
                                  rotation,
                                  clock,
                                  () -> tls == null ? Future.succeededFuture() : tls.rotate())));
              return deployed.map(
                  d -> {
                    LOG.info(
                        "enclave "
                            + id
                            + " ready, "
                            + attestationOptions.provider()
                            + " attestation, measurement "
                            + identity.measurement()
                            + ", model "
                            + model.info().name()
                            + " "
                            + model.info().version()
                            + (tls == null
                                ? ""
                                : ", RA-TLS on "
                                    + attestationOptions.tlsHost()
                                    + ":"
                                    + tls.actualPort()));
                    NodeMetrics metrics = NodeMetrics.of(vertx);
                    metrics.gauge(
                        "pp.enclave.evidence.age",
                        "Age of the enclave's current attestation evidence",
                        "seconds",
                        () -> evidenceAge(attestation, clock.instant()).toSeconds());
                    metrics.stageGauge(
                        "pp.limiter.in.flight",
                        "Requests holding a slot of a stage's in-flight limit",
                        NodeMetrics.Stage.ENCLAVE,
                        limiter::inFlight);
                    // A streamed request holds a slot from its opening; this tells how many of
                    // those are still receiving pieces (a gateway that stops sending shows here
                    // until the enclave's wait for a next piece drops it).
                    metrics.gauge(
                        "pp.enclave.streams.receiving",
                        "Streamed requests the enclave has opened and is still receiving",
                        streaming::openStreams);
                    List<ReadinessCheck> readiness = new ArrayList<>();
                    Duration maxAge = maxEvidenceAge(attestationOptions.evidenceRefreshSeconds());
                    readiness.add(
                        ReadinessCheck.of(
                            "enclave attested",
                            () -> staleEvidence(attestation, maxAge, clock.instant())));
                    readiness.add(ReadinessCheck.of("enclave announced", announcer::notAnnounced));
                    if (tls != null) {
                      readiness.add(ReadinessCheck.spentTokens(access.spent()));
                    }
                    return new Started(
                        id,
                        attestation,
                        tls == null ? -1 : tls.actualPort(),
                        List.copyOf(readiness));
                  });
            });
  }
}
