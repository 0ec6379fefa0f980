package org.privateprocessing.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.privateprocessing.admin.AdminListener;
import org.privateprocessing.admin.AdminMetrics;
import org.privateprocessing.admin.AdminOptions;
import org.privateprocessing.core.ClusteredSpentTokens;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.FileSpentTokens;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.ReadinessCheck;
import org.privateprocessing.core.RedisSpentTokens;
import org.privateprocessing.core.RedisStore;
import org.privateprocessing.core.RemoteIssuerKeys;
import org.privateprocessing.core.SpentTokens;
import org.privateprocessing.core.StateStoreOptions;
import org.privateprocessing.enclave.EnclaveAnnouncer;
import org.privateprocessing.enclave.EnclaveAttestation;
import org.privateprocessing.enclave.EnclaveRole;
import org.privateprocessing.enclave.RaTlsAccess;
import org.privateprocessing.gateway.EnclaveRegistry;
import org.privateprocessing.gateway.GatewayIdentity;
import org.privateprocessing.gateway.GatewayOptions;
import org.privateprocessing.gateway.GatewayRole;
import org.privateprocessing.issuer.IssuanceWindows;
import org.privateprocessing.issuer.IssuerRole;
import org.privateprocessing.log.LogRole;
import org.privateprocessing.logclient.LogPublisher;
import org.privateprocessing.relay.RelayRole;

/**
 * Starts the roles of one JVM on a Vert.x instance, in dependency order: the transparency log
 * ({@link LogRole}), issuer ({@link IssuerRole}), enclave ({@link EnclaveRole}), gateway ({@link
 * GatewayRole}), then the relay ({@link RelayRole}, which needs the gateway's URL). Each role's
 * starter takes what it needs explicitly; this class parses the settings of all of them, so a bad
 * config fails before anything starts, and hands each starter what the ones before it started. With
 * port 0 in config each listener takes a free port; {@link Running} reports what was bound.
 *
 * <p>On a clustered Vert.x each role may run in its own JVM: enclaves announce themselves to
 * gateways ({@link EnclaveAnnouncer}, {@link EnclaveRegistry}), gateways share one spent-token map
 * ({@link ClusteredSpentTokens}), and a gateway without an issuer beside it reads the issuer's
 * public keys from its directory ({@link RemoteIssuerKeys}).
 */
public final class Node {
  private static final Logger LOG = Logger.getLogger(Node.class.getName());

  private Node() {}

  /**
   * What a started node serves. Ports are -1 for listeners the role does not run.
   *
   * @param enclaveId the id of this node's enclave, null when it runs none
   * @param attestation this node's enclave's attestation, null when it runs no enclave
   * @param enclaveTlsPort the port of this node's enclave's RA-TLS listener, -1 when none
   * @param logKey the transparency log's verifier key when this node runs the log, else null
   * @param readiness the readiness checks of each role this node runs, by the role's lower-case
   *     name, in start order
   * @param adminPort the port of the admin listener ({@link #serve}), -1 when none
   */
  public record Running(
      Role role,
      int relayPort,
      int gatewayPort,
      int issuerPort,
      String enclaveId,
      EnclaveAttestation attestation,
      int enclaveTlsPort,
      int logPort,
      String logKey,
      Map<String, List<ReadinessCheck>> readiness,
      int adminPort) {
    public Running {
      readiness = Collections.unmodifiableMap(new LinkedHashMap<>(readiness));
    }

    /** This node, with its admin listener on {@code port}. */
    Running withAdminPort(int port) {
      return new Running(
          role,
          relayPort,
          gatewayPort,
          issuerPort,
          enclaveId,
          attestation,
          enclaveTlsPort,
          logPort,
          logKey,
          readiness,
          port);
    }

    /** Where the admin listener answers; null when there is none. */
    public String adminUrl() {
      return adminPort < 0 ? null : "http://127.0.0.1:" + adminPort;
    }

    /** The measurement of this node's enclave, as clients pin it; null when it runs none. */
    public String measurementHex() {
      return attestation == null ? null : attestation.measurementHex();
    }

    /**
     * The root of this node's simulated enclave evidence (demo only); empty on hardware or without
     * an enclave.
     */
    public Optional<X509Certificate> simulatedRoot() {
      return attestation == null ? Optional.empty() : attestation.simulatedRoot();
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

  /**
   * Starts what {@code role} runs, configured by {@code conf}. An invalid setting fails the future
   * with an {@link IllegalArgumentException} naming it; the roles' sections are all checked before
   * anything starts.
   */
  public static Future<Running> start(Vertx vertx, Role role, JsonObject conf) {
    return start(vertx, role, conf, null);
  }

  /**
   * As {@link #start(Vertx, Role, JsonObject)} with given gateway keys (tests decrypt what the
   * gateway saw); null for the durable keys of the gateway's key directory.
   */
  static Future<Running> start(
      Vertx vertx, Role role, JsonObject conf, GatewayIdentity gatewayIdentity) {
    return start(vertx, role, conf, gatewayIdentity, null);
  }

  /**
   * As above, the enclave answering with {@code model} instead of the configured one when it is not
   * null (tests of streamed answers use a model that writes its text in paced pieces).
   */
  static Future<Running> start(
      Vertx vertx,
      Role role,
      JsonObject conf,
      GatewayIdentity gatewayIdentity,
      org.privateprocessing.infer.Model model) {
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    Codecs.register(vertx);
    NodeSettings s;
    try {
      s = NodeSettings.parse(conf);
    } catch (RuntimeException e) {
      return invalid(e);
    }
    HttpListeners.configure(vertx, s.http());
    if (role == Role.GATEWAY && !vertx.isClustered()) {
      // Alone and unclustered it could reach no enclave and no other gateway's spent tokens.
      return Future.failedFuture(
          new IllegalArgumentException(
              "a gateway in its own JVM reaches enclaves and shares spent tokens over the cluster: "
                  + "start it with --cluster (or run --role all)"));
    }
    // A role without the log beside it publishes to the log its config names, if any; the relay
    // publishes nothing, so it needs no publisher key.
    LogPublisher configured;
    try {
      configured =
          role == Role.ALL || role == Role.LOG || role == Role.RELAY
              ? null
              : LogPublisher.fromConfig(vertx, conf, null, null);
    } catch (RuntimeException e) {
      return invalid(e);
    }

    // One store for every path that takes tokens in this JVM (gateway and RA-TLS listener), and
    // the issuer's windows: durable files in the data directory, or the fleet's Redis, or on a
    // cluster without a stateStore section the cluster-wide map (a token spent on one is spent on
    // all).
    StateStoreOptions.Type storeType = s.stateStore().resolve(vertx.isClustered());
    boolean takesTokens = role.runs(Role.GATEWAY) || role.runs(Role.ENCLAVE);
    boolean issues = role.runs(Role.ISSUER);
    if (storeType == StateStoreOptions.Type.FILE && vertx.isClustered() && takesTokens) {
      return invalid(
          new IllegalArgumentException(
              "stateStore.type file keeps spent tokens on this node only, but a clustered "
                  + role.name().toLowerCase(java.util.Locale.ROOT)
                  + " shares them with its peers: set stateStore.type redis (durable) or cluster"));
    }
    StateStores stores = new StateStores();
    // Not waited for: the roles must not start inside this verticle's context (they would become
    // its child deployments); it only has to be undeployed, closing the stores, with Vert.x.
    vertx.deployVerticle(stores);
    Future<SpentTokens> spentTokens =
        (storeType == StateStoreOptions.Type.REDIS && (takesTokens || issues)
                ? RedisStore.connect(vertx, s.stateStore().redis()).map(stores::redis)
                : Future.<RedisStore>succeededFuture(null))
            .compose(
                redis ->
                    takesTokens
                        ? spentTokens(
                            vertx,
                            storeType,
                            s.stateStore(),
                            java.nio.file.Path.of(s.dataDir()),
                            redis,
                            clock,
                            stores)
                        : Future.succeededFuture(
                            new InMemorySpentTokens(
                                InMemorySpentTokens.DEFAULT_MAX_ENTRIES, clock)));
    Future<IssuanceWindows> windows =
        spentTokens.compose(
            t ->
                issues
                    ? IssuerRole.windows(
                            vertx,
                            s.issuer(),
                            java.nio.file.Path.of(s.dataDir()),
                            storeType,
                            stores.redis,
                            clock)
                        .map(stores::keep)
                    : Future.succeededFuture(null));
    return windows.compose(
        w ->
            startRoles(
                new Steps(
                    vertx,
                    role,
                    conf,
                    s,
                    configured,
                    gatewayIdentity,
                    model,
                    spentTokens.result(),
                    w,
                    clock,
                    random)));
  }

  /**
   * The spent-token store of {@code type}; a file store is opened on a worker and closed with
   * Vert.x.
   */
  private static Future<SpentTokens> spentTokens(
      Vertx vertx,
      StateStoreOptions.Type type,
      StateStoreOptions store,
      java.nio.file.Path dataDir,
      RedisStore redis,
      Clock clock,
      StateStores stores) {
    return switch (type) {
      case MEMORY -> Future.succeededFuture(new InMemorySpentTokens(store.maxEntries(), clock));
      case CLUSTER -> Future.succeededFuture(new ClusteredSpentTokens(vertx, clock));
      case REDIS -> Future.succeededFuture(new RedisSpentTokens(redis, clock));
      case FILE ->
          blocking(
              vertx,
              () -> {
                FileSpentTokens f = FileSpentTokens.open(dataDir, store.maxEntries(), clock);
                if (f.recoveryNote() != null) {
                  LOG.warning(f.recoveryNote());
                }
                return stores.keep(f);
              });
    };
  }

  /**
   * Runs blocking start-up I/O: at once on a thread that is not Vert.x's (the CLI's main thread, a
   * test), so the roles then start from that thread as they always did; on a worker otherwise.
   */
  static <T> Future<T> blocking(Vertx vertx, java.util.concurrent.Callable<T> work) {
    if (Vertx.currentContext() != null) {
      return vertx.executeBlocking(work, false);
    }
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<Running> startRoles(Steps steps) {
    Role role = steps.role();
    Future<LogRole.Started> log = steps.log();
    Future<LogPublisher> publisher = log.map(steps::publisher);
    Future<IssuerRole.Started> issuer = publisher.compose(steps::issuer);
    Future<EnclaveRole.Started> enclave = issuer.compose(i -> steps.enclave(publisher.result(), i));
    Future<GatewayRole.Started> gateway =
        enclave.compose(e -> steps.gateway(publisher.result(), issuer.result(), e));
    Future<RelayRole.Started> relay = gateway.compose(steps::relay);
    return relay.map(
        r -> {
          // In start order, each role under its name; a role this JVM does not run has none.
          Map<String, List<ReadinessCheck>> readiness = new LinkedHashMap<>();
          putChecks(readiness, "log", log.result(), LogRole.Started::readiness);
          putChecks(readiness, "issuer", issuer.result(), IssuerRole.Started::readiness);
          putChecks(readiness, "enclave", enclave.result(), EnclaveRole.Started::readiness);
          putChecks(readiness, "gateway", gateway.result(), GatewayRole.Started::readiness);
          putChecks(readiness, "relay", r, RelayRole.Started::readiness);
          return new Running(
              role,
              field(r, RelayRole.Started::port, -1),
              field(gateway.result(), GatewayRole.Started::port, -1),
              field(issuer.result(), IssuerRole.Started::port, -1),
              field(enclave.result(), EnclaveRole.Started::id, null),
              field(enclave.result(), EnclaveRole.Started::attestation, null),
              field(enclave.result(), EnclaveRole.Started::tlsPort, -1),
              field(log.result(), LogRole.Started::port, -1),
              field(log.result(), LogRole.Started::verifierKey, null),
              readiness,
              -1);
        });
  }

  private static <T> void putChecks(
      Map<String, List<ReadinessCheck>> into,
      String role,
      T started,
      Function<T, List<ReadinessCheck>> checks) {
    if (started != null) {
      into.put(role, checks.apply(started));
    }
  }

  /**
   * The Vert.x instance of a node configured by {@code conf}: with Vert.x's own meters when its
   * admin listener is on ({@code admin.enabled}, the default), recording into the registry {@link
   * #serve} exports.
   *
   * @throws IllegalArgumentException naming a bad {@code admin} setting
   */
  public static Vertx vertx(JsonObject conf) {
    AdminOptions admin = adminOptions(conf);
    if (!admin.enabled()) {
      return Vertx.vertx();
    }
    PrometheusMeterRegistry registry = AdminMetrics.newRegistry();
    Vertx vertx = AdminMetrics.withMetrics(Vertx.builder(), new VertxOptions(), registry).build();
    NodeMetrics.attach(vertx, registry);
    return vertx;
  }

  /** As {@link #vertx(JsonObject)}, clustered over a checked config ({@link ClusterSetup}). */
  public static Future<Vertx> vertx(JsonObject conf, com.hazelcast.config.Config cluster) {
    return vertx(conf, ClusterSetup.loopback(cluster));
  }

  /**
   * As {@link #vertx(JsonObject)}, clustered as {@code cluster} says ({@link ClusterSetup#prepare}:
   * Hazelcast's checked config and the event bus's address and mutual TLS).
   */
  public static Future<Vertx> vertx(JsonObject conf, ClusterSetup.Checked cluster) {
    AdminOptions admin;
    try {
      admin = adminOptions(conf);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (!admin.enabled()) {
      return ClusterSetup.start(cluster);
    }
    PrometheusMeterRegistry registry = AdminMetrics.newRegistry();
    return ClusterSetup.start(cluster, registry)
        .onSuccess(vertx -> NodeMetrics.attach(vertx, registry));
  }

  private static AdminOptions adminOptions(JsonObject conf) {
    try {
      return AdminOptions.fromJson(conf.getJsonObject("admin"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(
          "invalid configuration: admin: must be an object such as {\"port\": 9090}", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /**
   * Starts the node's admin listener ({@code admin} section; unless {@code admin.enabled} is
   * false), then its roles ({@link #start(Vertx, Role, JsonObject)}). The listener answers from the
   * start: live at once, ready once the roles have started and while all their checks pass. On a
   * Vert.x instance not made by {@link #vertx(JsonObject)}, the metrics are the node's own meters
   * without Vert.x's.
   */
  public static Future<Running> serve(Vertx vertx, Role role, JsonObject conf) {
    AdminOptions admin;
    try {
      admin = adminOptions(conf);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (!admin.enabled()) {
      return start(vertx, role, conf);
    }
    PrometheusMeterRegistry registry =
        NodeMetrics.of(vertx).registry() instanceof PrometheusMeterRegistry p ? p : null;
    if (registry == null) {
      registry = AdminMetrics.newRegistry();
      NodeMetrics.attach(vertx, registry);
    }
    AdminListener listener = new AdminListener(admin, registry);
    return vertx
        .deployVerticle(listener)
        .compose(d -> start(vertx, role, conf))
        .compose(
            running ->
                listener
                    .rolesStarted(running.readiness())
                    .map(v -> running.withAdminPort(listener.actualPort())));
  }

  /**
   * Closes the stores this node opened when Vert.x closes (undeploying this verticle), so a file
   * store's lock is released and a Redis pool's connections end.
   */
  private static final class StateStores extends VerticleBase {
    private final java.util.List<AutoCloseable> files =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile RedisStore redis;

    RedisStore redis(RedisStore r) {
      redis = r;
      return r;
    }

    <T> T keep(T store) {
      if (store instanceof AutoCloseable c) {
        files.add(c);
      }
      return store;
    }

    @Override
    public Future<?> stop() {
      Future<Void> pool = redis == null ? Future.succeededFuture() : redis.close();
      return Future.join(
          pool,
          vertx.executeBlocking(
              () -> {
                for (AutoCloseable c : files) {
                  c.close();
                }
                return null;
              },
              false));
    }
  }

  private static Future<Running> invalid(RuntimeException e) {
    return Future.failedFuture(
        new IllegalArgumentException("invalid configuration: " + e.getMessage(), e));
  }

  /**
   * The start of one node, one method per role in dependency order; each takes what the steps
   * before it started and succeeds with null for a role this JVM does not run.
   *
   * @param configured the log publisher a role without the log beside it uses (null if none)
   */
  private record Steps(
      Vertx vertx,
      Role role,
      JsonObject conf,
      NodeSettings s,
      LogPublisher configured,
      GatewayIdentity gatewayIdentity,
      org.privateprocessing.infer.Model model,
      SpentTokens spent,
      IssuanceWindows windows,
      Clock clock,
      SecureRandom random) {
    /** First, so the roles after it can publish what they create to it. */
    Future<LogRole.Started> log() {
      return ifRuns(Role.LOG, () -> LogRole.start(vertx, s.log(), s.profile(), random));
    }

    /**
     * Where the roles after the log publish: the log beside them (all-in-one), or the configured
     * one.
     */
    LogPublisher publisher(LogRole.Started log) {
      return role == Role.ALL
          ? LogPublisher.fromConfig(vertx, conf, log.url(), log.demoPublisher().orElse(null))
          : configured;
    }

    Future<IssuerRole.Started> issuer(LogPublisher publisher) {
      return ifRuns(
          Role.ISSUER,
          () -> IssuerRole.start(vertx, s.issuer(), publisher, clock, random, windows));
    }

    /**
     * The enclave's RA-TLS listener takes the tokens the gateway takes: its challenge, its body
     * limit, this JVM's spent-token store, and all-in-one the issuer beside it.
     */
    Future<EnclaveRole.Started> enclave(LogPublisher publisher, IssuerRole.Started issuer) {
      GatewayOptions g =
          role == Role.ALL
              ? s.gateway().withIssuer(s.issuer().name(), "http://127.0.0.1:" + issuer.port())
              : s.gateway();
      RaTlsAccess access =
          new RaTlsAccess(
              g.issuerName(),
              g.origin(),
              field(issuer, IssuerRole.Started::keys, null),
              g.issuerUrl(),
              g.issuerRefreshMs(),
              Duration.ofSeconds(g.issuerKeyMaxAgeSeconds()),
              spent,
              g.maxBodyBytes());
      return ifRuns(
          Role.ENCLAVE,
          () ->
              EnclaveRole.start(
                  vertx,
                  s.enclave(),
                  s.attestation(),
                  conf.getJsonObject("enclave"),
                  s.profile(),
                  s.gateway().enclaveTimeoutMs(),
                  publisher,
                  clock,
                  random,
                  access,
                  model));
    }

    /** All-in-one, the gateway trusts the issuer beside it and waits for the enclave beside it. */
    Future<GatewayRole.Started> gateway(
        LogPublisher publisher, IssuerRole.Started issuer, EnclaveRole.Started enclave) {
      return ifRuns(
          Role.GATEWAY,
          () ->
              GatewayRole.start(
                  vertx,
                  role == Role.ALL
                      ? s.gateway()
                          .withIssuer(s.issuer().name(), "http://127.0.0.1:" + issuer.port())
                      : s.gateway(),
                  gatewayIdentity,
                  field(issuer, IssuerRole.Started::keys, null),
                  field(enclave, EnclaveRole.Started::id, null),
                  publisher,
                  clock,
                  spent));
    }

    /** All-in-one, the relay forwards to the gateway beside it. */
    Future<RelayRole.Started> relay(GatewayRole.Started gateway) {
      return ifRuns(
          Role.RELAY,
          () ->
              RelayRole.start(
                  vertx,
                  role == Role.ALL
                      ? s.relay().withGatewayUrl("http://127.0.0.1:" + gateway.port())
                      : s.relay()));
    }

    private <T> Future<T> ifRuns(Role part, Supplier<Future<T>> start) {
      return role.runs(part)
          ? start.get().recover(t -> Future.failedFuture(namingTheListener(part, t)))
          : Future.succeededFuture();
    }

    /**
     * A listener that could not bind says which one (role, address and port), so the operator knows
     * what to stop or which port to change; any other failure is returned as it is.
     */
    private Throwable namingTheListener(Role part, Throwable t) {
      Throwable c = t;
      while (c != null && !(c instanceof java.net.BindException)) {
        c = c.getCause();
      }
      if (c == null) {
        return t;
      }
      String where =
          switch (part) {
            case LOG -> s.log().host() + ":" + s.log().port() + " (config: log.port)";
            case ISSUER -> s.issuer().host() + ":" + s.issuer().port() + " (config: issuer.port)";
            case RELAY -> s.relay().host() + ":" + s.relay().port() + " (config: relay.port)";
            case GATEWAY ->
                s.gateway().host() + ":" + s.gateway().port() + " (config: gateway.port)";
            case ENCLAVE ->
                s.attestation().tlsHost()
                    + ":"
                    + s.attestation().tlsPort()
                    + " (RA-TLS; config: attestation.tlsPort)";
            case ALL -> "?";
          };
      java.net.BindException named =
          new java.net.BindException(
              "the "
                  + part.name().toLowerCase(java.util.Locale.ROOT)
                  + " cannot listen on "
                  + where
                  + ": "
                  + c.getMessage());
      named.initCause(t);
      return named;
    }
  }

  /**
   * {@code field} of what a step started, or {@code absent} when this JVM does not run the role.
   */
  private static <T, R> R field(T started, Function<T, R> field, R absent) {
    return started == null ? absent : field.apply(started);
  }
}
