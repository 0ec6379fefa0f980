package org.privateprocessing.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Profile;
import org.privateprocessing.core.VerificationKeys;
import org.privateprocessing.enclave.AttestationOptions;
import org.privateprocessing.enclave.AttestationVerticle;
import org.privateprocessing.enclave.EnclaveAnnouncer;
import org.privateprocessing.enclave.EnclaveApi;
import org.privateprocessing.enclave.EnclaveAttestation;
import org.privateprocessing.enclave.EnclaveHandshake;
import org.privateprocessing.enclave.EnclaveIdentity;
import org.privateprocessing.enclave.EnclaveOptions;
import org.privateprocessing.enclave.EnclaveTlsVerticle;
import org.privateprocessing.enclave.InferenceVerticle;
import org.privateprocessing.enclave.SealingVerticle;
import org.privateprocessing.gateway.ClusteredSpentTokens;
import org.privateprocessing.gateway.CredentialCheck;
import org.privateprocessing.gateway.CredentialVerticle;
import org.privateprocessing.gateway.EnclaveRegistry;
import org.privateprocessing.gateway.GatewayIdentity;
import org.privateprocessing.gateway.GatewayOptions;
import org.privateprocessing.gateway.GatewayVerticle;
import org.privateprocessing.gateway.InMemorySpentTokens;
import org.privateprocessing.gateway.IssuerKeysRefresher;
import org.privateprocessing.gateway.RemoteIssuerKeys;
import org.privateprocessing.gateway.SpentTokens;
import org.privateprocessing.gateway.TransparencyView;
import org.privateprocessing.infer.Model;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.IssuerOptions;
import org.privateprocessing.issuer.IssuerService;
import org.privateprocessing.issuer.IssuerVerticle;
import org.privateprocessing.log.LogOptions;
import org.privateprocessing.log.LogService;
import org.privateprocessing.log.LogVerticle;
import org.privateprocessing.logclient.LogPublisher;
import org.privateprocessing.relay.RelayOptions;
import org.privateprocessing.relay.RelayVerticle;

/**
 * Starts the verticles of one role on a Vert.x instance, in dependency order: the transparency log,
 * issuer, enclave stages, gateway, then the relay (which needs the gateway's URL). With port 0 in
 * config each listener takes a free port; {@link Running} reports what was bound.
 *
 * <p>On a clustered Vert.x each role may run in its own JVM: enclaves announce themselves to
 * gateways ({@link EnclaveAnnouncer}, {@link EnclaveRegistry}), gateways share one spent-token map
 * ({@link ClusteredSpentTokens}), and a gateway without an issuer beside it reads the issuer's
 * public keys from its directory ({@link RemoteIssuerKeys}).
 */
public final class Node {
  private static final Logger LOG = Logger.getLogger(Node.class.getName());

  /** Most spent tokens one gateway remembers at once (about 100 bytes each). */
  private static final int MAX_SPENT_TOKENS = 10_000_000;

  private Node() {}

  /**
   * What a started node serves. Ports are -1 for listeners the role does not run.
   *
   * @param logKey the transparency log's verifier key when this node runs the log, else null
   */
  public record Running(
      Role role,
      int relayPort,
      int gatewayPort,
      int issuerPort,
      String enclaveId,
      EnclaveAttestation attestation,
      int logPort,
      String logKey) {
    Running(Role role, int relayPort, int gatewayPort, int issuerPort, String enclaveId) {
      this(role, relayPort, gatewayPort, issuerPort, enclaveId, null);
    }

    Running(
        Role role,
        int relayPort,
        int gatewayPort,
        int issuerPort,
        String enclaveId,
        EnclaveAttestation attestation) {
      this(role, relayPort, gatewayPort, issuerPort, enclaveId, attestation, -1, null);
    }

    /** The same, with the enclave's attestation (null when this node runs no enclave). */
    Running withPorts(int relay, int gateway, int issuer) {
      return new Running(role, relay, gateway, issuer, enclaveId, attestation, logPort, logKey);
    }

    Running withLog(int port, String key) {
      return new Running(
          role, relayPort, gatewayPort, issuerPort, enclaveId, attestation, port, key);
    }

    /** The measurement of this node's enclave, as clients pin it; null when it runs none. */
    public String measurementHex() {
      return attestation == null ? null : attestation.measurementHex();
    }

    /**
     * The root of this node's simulated enclave evidence (demo only); empty on hardware or without
     * an enclave.
     */
    public java.util.Optional<java.security.cert.X509Certificate> simulatedRoot() {
      return attestation == null ? java.util.Optional.empty() : attestation.simulatedRoot();
    }

    public String logUrl() {
      return "http://127.0.0.1:" + logPort;
    }

    public String relayUrl() {
      return "http://127.0.0.1:" + relayPort;
    }

    public String issuerUrl() {
      return "http://127.0.0.1:" + issuerPort;
    }
  }

  /** Parsed settings of every role, so a bad config fails before anything starts. */
  private record Settings(
      Profile profile,
      RelayOptions relay,
      GatewayOptions gateway,
      EnclaveOptions enclave,
      IssuerOptions issuer,
      AttestationOptions attestation,
      LogOptions log) {}

  /**
   * The issuer keys clients should use now, one per accepted type: those whose log proofs a listing
   * carries.
   */
  private static List<byte[]> currentTokenKeys(VerificationKeys keys, java.time.Instant now) {
    List<byte[]> out = new ArrayList<>();
    for (int type : keys.tokenTypes()) {
      keys.current(type, now).ifPresent(e -> out.add(e.key().tokenKey()));
    }
    return out;
  }

  public static Future<Running> start(Vertx vertx, Role role, JsonObject conf) {
    return start(vertx, role, conf, GatewayIdentity.generate(new SecureRandom()));
  }

  /**
   * As {@link #start(Vertx, Role, JsonObject)} with given gateway keys (tests decrypt what the
   * gateway saw).
   */
  static Future<Running> start(
      Vertx vertx, Role role, JsonObject conf, GatewayIdentity gatewayIdentity) {
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    Codecs.register(vertx);
    Settings s;
    try {
      Profile profile = Profile.of(conf);
      s =
          new Settings(
              profile,
              RelayOptions.fromJson(conf.getJsonObject("relay")),
              GatewayOptions.fromJson(conf.getJsonObject("gateway")),
              EnclaveOptions.fromJson(conf.getJsonObject("enclave")),
              IssuerOptions.fromJson(conf.getJsonObject("issuer")),
              AttestationOptions.fromJson(conf.getJsonObject("attestation"), profile),
              LogOptions.fromJson(conf.getJsonObject("log"), conf.getString("dataDir", "run")));
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new IllegalArgumentException("invalid configuration: " + e.getMessage(), e));
    }
    if (role == Role.GATEWAY && !vertx.isClustered()) {
      // Alone and unclustered it could reach no enclave and no other gateway's spent tokens.
      return Future.failedFuture(
          new IllegalArgumentException(
              "a gateway in its own JVM reaches enclaves and shares spent tokens over the cluster: "
                  + "start it with --cluster (or run --role all)"));
    }

    Future<Running> started = Future.succeededFuture(new Running(role, -1, -1, -1, null));
    // --- transparency log: first, so the roles below can publish what they create to it ---
    Running[] log = new Running[1];
    LogPublisher[] publisher = new LogPublisher[1];
    if (role.runs(Role.LOG)) {
      started =
          vertx
              .executeBlocking(() -> LogService.open(s.log(), s.profile(), random), false)
              .compose(
                  service -> {
                    LogVerticle http = new LogVerticle(s.log(), service);
                    return vertx
                        .deployVerticle(http)
                        .recover(
                            e -> {
                              try {
                                service.close();
                              } catch (java.io.IOException ignored) {
                                // failing anyway
                              }
                              return Future.failedFuture(e);
                            })
                        .map(
                            d -> {
                              LOG.info(
                                  "transparency log '"
                                      + service.origin()
                                      + "' listening on "
                                      + s.log().host()
                                      + ":"
                                      + http.actualPort()
                                      + ", "
                                      + service.size()
                                      + " entries, data in "
                                      + s.log().dataDir());
                              log[0] =
                                  new Running(role, -1, -1, -1, null)
                                      .withLog(http.actualPort(), service.verifierKey());
                              if (role == Role.ALL) {
                                publisher[0] =
                                    LogPublisher.fromConfig(
                                        vertx,
                                        conf,
                                        log[0].logUrl(),
                                        service.demoPublisher().orElse(null));
                              }
                              return log[0];
                            });
                  });
    }
    if (role != Role.ALL && role != Role.LOG) {
      try {
        publisher[0] = LogPublisher.fromConfig(vertx, conf, null, null);
      } catch (RuntimeException e) {
        return Future.failedFuture(
            new IllegalArgumentException("invalid configuration: " + e.getMessage(), e));
      }
    }
    // --- end of transparency log ---
    IssuerService[] issuer = new IssuerService[1];
    if (role.runs(Role.ISSUER)) {
      started =
          started
              .compose(
                  ignored ->
                      vertx.executeBlocking(
                          () ->
                              IssuerKeys.generate(
                                  s.issuer().tokenTypes(),
                                  s.issuer().keyLifetime(),
                                  s.issuer().keyGrace(),
                                  random,
                                  clock.instant()),
                          false))
              // transparency: the issuer's keys are in the log before anyone can be handed them
              .compose(
                  keys ->
                      publisher[0] == null
                          ? Future.succeededFuture(keys)
                          : publisher[0]
                              .publish(
                                  "issuer key", keys.logEntries(s.issuer().name(), clock.instant()))
                              .map(keys))
              .compose(
                  keys -> {
                    issuer[0] = new IssuerService(s.issuer(), keys, clock);
                    IssuerVerticle http = new IssuerVerticle(s.issuer(), issuer[0], clock);
                    if (publisher[0] != null) {
                      // transparency: keys made by later rotations too (appending a logged key is a
                      // no-op);
                      // as often as IssuerVerticle rotates, and the next key is listed a lifetime
                      // ahead of use.
                      long every =
                          Math.max(
                              1_000, Math.min(60_000, s.issuer().keyLifetime().toMillis() / 4));
                      vertx.setPeriodic(
                          every,
                          every,
                          t ->
                              publisher[0]
                                  .publish(
                                      "issuer key",
                                      keys.logEntries(s.issuer().name(), clock.instant()))
                                  .onFailure(
                                      e ->
                                          LOG.severe(
                                              e.getMessage()
                                                  + " (a rotated issuer key is not in the log yet; "
                                                  + "clients checking the log refuse its tokens until it is)")));
                    }
                    return vertx
                        .deployVerticle(http)
                        .map(
                            d -> {
                              LOG.info(
                                  "issuer '"
                                      + s.issuer().name()
                                      + "' listening on "
                                      + s.issuer().host()
                                      + ":"
                                      + http.actualPort()
                                      + ", token types "
                                      + s.issuer().tokenTypes()
                                      + ", "
                                      + s.issuer().accounts().size()
                                      + " account(s)");
                              return new Running(role, -1, -1, http.actualPort(), null);
                            });
                  });
    }

    if (role.runs(Role.ENCLAVE)) {
      started =
          started.compose(
              running -> {
                String id =
                    s.enclave().id() != null ? s.enclave().id() : EnclaveIdentity.randomId(random);
                EnclaveIdentity keys = EnclaveIdentity.generate(id, null, random);
                Model model = s.enclave().createModel();
                // Measuring the jar, RSA key generation (simulated) and configfs I/O (hardware) all
                // block.
                return vertx
                    .executeBlocking(
                        () ->
                            EnclaveAttestation.start(
                                s.attestation(),
                                keys,
                                conf.getJsonObject("enclave"),
                                random,
                                clock.instant()),
                        false)
                    .recover(
                        e ->
                            Future.failedFuture(
                                new IllegalStateException(
                                    "enclave "
                                        + id
                                        + " cannot attest ("
                                        + e.getMessage()
                                        + "); it does not start without evidence. On SEV-SNP hardware check "
                                        + s.attestation().configfsPath()
                                        + "; for a local demo use \"profile\": \"demo\"",
                                    e)))
                    // transparency (demo only): the enclave logs its own release so the quick start
                    // needs no steps
                    .compose(
                        attestation ->
                            publisher[0] == null || s.profile() != Profile.DEMO
                                ? Future.succeededFuture(attestation)
                                : vertx
                                    .executeBlocking(
                                        () ->
                                            EnclaveAttestation.demoRelease(
                                                attestation.measurementHex()),
                                        false)
                                    .compose(
                                        release ->
                                            publisher[0].publish(
                                                "enclave release", java.util.List.of(release)))
                                    .map(attestation))
                    .compose(
                        attestation -> {
                          EnclaveIdentity identity = keys.withAttestation(attestation);
                          EnclaveHandshake handshake = new EnclaveHandshake(identity);
                          EnclaveTlsVerticle tls =
                              s.attestation().tlsPort() < 0
                                  ? null
                                  : new EnclaveTlsVerticle(
                                      s.attestation().tlsHost(),
                                      s.attestation().tlsPort(),
                                      attestation.tlsKey(),
                                      attestation::certificate,
                                      new EnclaveApi(model, identity),
                                      handshake::describe);
                          long every = s.attestation().evidenceRefreshSeconds() * 1000L;
                          vertx.setPeriodic(
                              every,
                              every,
                              t ->
                                  vertx
                                      .executeBlocking(
                                          () -> attestation.refresh(clock.instant()), false)
                                      .compose(
                                          e ->
                                              tls == null ? Future.succeededFuture() : tls.rotate())
                                      .onFailure(
                                          e ->
                                              LOG.severe(
                                                  "enclave "
                                                      + id
                                                      + " could not renew its evidence: "
                                                      + e.getMessage()
                                                      + "; clients will refuse it once the current evidence is too old")));
                          Future<String> deployed =
                              vertx
                                  .deployVerticle(new SealingVerticle(identity))
                                  .compose(
                                      d ->
                                          vertx.deployVerticle(
                                              new InferenceVerticle(
                                                  identity, model, s.enclave().maxQueued())))
                                  .compose(
                                      d ->
                                          vertx.deployVerticle(
                                              new AttestationVerticle(
                                                  identity, s.gateway().enclaveTimeoutMs())));
                          if (tls != null) {
                            deployed = deployed.compose(d -> vertx.deployVerticle(tls));
                          }
                          // Last: announced only once it can serve.
                          deployed =
                              deployed.compose(
                                  d ->
                                      vertx.deployVerticle(
                                          EnclaveAnnouncer.fromJson(
                                              id,
                                              handshake::describe,
                                              conf.getJsonObject("enclave"))));
                          return deployed.map(
                              d -> {
                                LOG.info(
                                    "enclave "
                                        + id
                                        + " ready, "
                                        + s.attestation().provider()
                                        + " attestation, measurement "
                                        + identity.measurement()
                                        + ", model "
                                        + model.info().name()
                                        + " "
                                        + model.info().version()
                                        + (tls == null
                                            ? ""
                                            : ", RA-TLS on "
                                                + s.attestation().tlsHost()
                                                + ":"
                                                + tls.actualPort()));
                                return new Running(
                                    role, -1, -1, running.issuerPort(), id, attestation);
                              });
                        });
              });
    }

    if (role.runs(Role.GATEWAY)) {
      started =
          started.compose(
              running -> {
                GatewayOptions effective =
                    role == Role.ALL
                        ? s.gateway().withIssuer(s.issuer().name(), running.issuerUrl())
                        : s.gateway();
                Future<VerificationKeys> keys;
                if (issuer[0] != null) {
                  keys = Future.succeededFuture(issuer[0].keys());
                } else {
                  // Split mode: public keys from the issuer's directory, so only type 0x0002 (see
                  // RemoteIssuerKeys).
                  RemoteIssuerKeys remote =
                      new RemoteIssuerKeys(Duration.ofSeconds(effective.issuerKeyMaxAgeSeconds()));
                  keys =
                      vertx
                          .deployVerticle(
                              new IssuerKeysRefresher(
                                  effective.issuerUrl(),
                                  remote,
                                  effective.issuerRefreshMs(),
                                  30_000,
                                  clock))
                          .map(d -> remote);
                }
                SpentTokens spent =
                    vertx.isClustered()
                        ? new ClusteredSpentTokens(vertx, clock)
                        : new InMemorySpentTokens(MAX_SPENT_TOKENS, clock);
                EnclaveRegistry registry = new EnclaveRegistry(clock);
                GatewayVerticle http = new GatewayVerticle(effective, gatewayIdentity);
                GatewayOptions routing = effective;
                // transparency: the gateway's key configs are in the log before clients fetch them
                Future<Void> published =
                    publisher[0] == null
                        ? Future.succeededFuture()
                        : publisher[0].publish(
                            "gateway key config",
                            gatewayIdentity.logEntries(routing.origin(), clock.instant()));
                return published
                    .compose(v -> keys)
                    .compose(
                        k -> {
                          CredentialCheck credentials =
                              new CredentialCheck(
                                  routing.issuerName(), routing.origin(), k, spent, clock);
                          // With a log, every listing carries the proofs clients require (the
                          // gateway is not trusted for them).
                          TransparencyView transparency =
                              publisher[0] == null
                                  ? null
                                  : new TransparencyView(
                                      publisher[0].client(),
                                      () ->
                                          gatewayIdentity.keyConfigs().stream()
                                              .map(org.privateprocessing.ohttp.KeyConfig::encode)
                                              .toList(),
                                      () -> currentTokenKeys(k, clock.instant()),
                                      clock,
                                      2_000);
                          return vertx.deployVerticle(
                              new CredentialVerticle(
                                  routing,
                                  gatewayIdentity,
                                  credentials,
                                  registry,
                                  running.enclaveId(),
                                  transparency));
                        })
                    .compose(d -> vertx.deployVerticle(http))
                    .map(
                        d -> {
                          LOG.info(
                              "gateway listening on "
                                  + routing.host()
                                  + ":"
                                  + http.actualPort()
                                  + ", enclaves from announcements, spent tokens "
                                  + (vertx.isClustered() ? "cluster-wide" : "in memory")
                                  + ", accepting tokens of '"
                                  + routing.issuerName()
                                  + "'");
                          return running.withPorts(-1, http.actualPort(), running.issuerPort());
                        });
              });
    }

    if (role.runs(Role.RELAY)) {
      started =
          started.compose(
              running -> {
                RelayOptions effective =
                    role == Role.ALL
                        ? s.relay().withGatewayUrl("http://127.0.0.1:" + running.gatewayPort())
                        : s.relay();
                RelayVerticle relay = new RelayVerticle(effective);
                return vertx
                    .deployVerticle(relay)
                    .map(
                        d -> {
                          LOG.info(
                              "relay listening on "
                                  + effective.host()
                                  + ":"
                                  + relay.actualPort()
                                  + ", forwarding to "
                                  + effective.gatewayUrl());
                          return running.withPorts(
                              relay.actualPort(), running.gatewayPort(), running.issuerPort());
                        });
              });
    }
    return started.map(r -> log[0] == null ? r : r.withLog(log[0].logPort(), log[0].logKey()));
  }
}
