package org.privateprocessing.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A connection pool to the Redis that a fleet shares for spent tokens ({@link RedisSpentTokens})
 * and issuance windows, with the checks that make it safe to rely on.
 *
 * <p><b>Fail closed.</b> Every command has a deadline ({@code timeoutMs}); a command that fails or
 * times out fails its caller, who refuses the request (503). Nothing is ever let through unchecked.
 * The pool opens new connections as needed, so service resumes by itself once Redis answers again.
 *
 * <p><b>Durable or refused.</b> A Redis without its append-only file forgets every key when it
 * restarts, and one that evicts keys under memory pressure forgets some at any time; either would
 * let spent tokens be spent again. Before the first command, after any failure (Redis may have
 * restarted with another configuration) and at least every {@value #RECHECK_MS} ms, {@code INFO}
 * must report {@code aof_enabled:1} and {@code maxmemory_policy:noeviction}; otherwise commands
 * fail. The fsync policy ({@code appendfsync}) is the operator's choice; docs/OPERATIONS.md says
 * what each loses in a crash.
 */
public final class RedisStore {
  private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());

  /** How often the append-only check runs even when nothing failed. */
  static final long RECHECK_MS = 30_000;

  private final Vertx vertx;
  private final Redis client;
  private final StateStoreOptions.Redis options;
  private volatile long checkedAt = Long.MIN_VALUE;
  private volatile Future<Void> checking;
  private volatile boolean warnedDown;

  private RedisStore(Vertx vertx, Redis client, StateStoreOptions.Redis options) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
  }

  /**
   * Makes the pool and asks Redis once. Fails (the node refuses to start) when Redis answers and
   * runs without the append-only file, or refuses the credentials; succeeds when Redis answers
   * well, or does not answer at all (the node starts and refuses requests with 503 until it does).
   */
  public static Future<RedisStore> connect(Vertx vertx, StateStoreOptions.Redis options) {
    NetClientOptions net =
        new NetClientOptions().setConnectTimeout((int) Math.min(options.timeoutMs(), 10_000));
    if (options.tls()) {
      net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (options.trustFile() != null) {
        net.setTrustOptions(new PemTrustOptions().addCertPath(options.trustFile().toString()));
      }
    }
    RedisOptions ro =
        new RedisOptions()
            .setConnectionString(options.url())
            .setNetClientOptions(net)
            .setMaxPoolSize(16)
            .setMaxPoolWaiting(4_096)
            .setMaxWaitingHandlers(8_192);
    if (options.user() != null) {
      ro.setUser(options.user());
    }
    if (options.password() != null) {
      ro.setPassword(options.password());
    }
    RedisStore store = new RedisStore(vertx, Redis.createClient(vertx, ro), options);
    return store
        .checkDurable()
        .map(store)
        .recover(
            t -> {
              if (t instanceof NotDurableException || isAuthFailure(t)) {
                store.client.close();
                return Future.failedFuture(
                    new IllegalArgumentException(
                        "stateStore.redis: " + options + ": " + t.getMessage()));
              }
              LOG.warning(
                  "Redis at "
                      + options
                      + " does not answer yet ("
                      + t.getMessage()
                      + "); requests that need it are refused with 503 until it does");
              store.warnedDown = true;
              return Future.succeededFuture(store);
            });
  }

  /** The settings this store was made with. */
  public StateStoreOptions.Redis options() {
    return options;
  }

  /** {@code prefix + name}. */
  public String key(String name) {
    return options.keyPrefix() + name;
  }

  /**
   * Sends one command once the append-only check is current; fails after {@code timeoutMs}, or when
   * Redis fails it or is not durable.
   */
  public Future<Response> send(Request request) {
    Future<Void> ready =
        System.currentTimeMillis() - checkedAt < RECHECK_MS
            ? Future.succeededFuture()
            : checkDurable();
    return ready
        .compose(v -> client.send(request))
        .timeout(options.timeoutMs(), TimeUnit.MILLISECONDS)
        .onSuccess(
            r -> {
              if (warnedDown) {
                warnedDown = false;
                LOG.info("Redis at " + options + " answers again");
              }
            })
        .onFailure(this::failed);
  }

  private void failed(Throwable t) {
    checkedAt = Long.MIN_VALUE; // it may come back as another Redis: check again first
    if (!warnedDown) {
      warnedDown = true;
      LOG.warning(
          "Redis at "
              + options
              + " failed a command ("
              + t.getMessage()
              + "); requests that need it are refused with 503 until it answers");
    }
  }

  /** One {@code INFO persistence} at a time; every caller waits for the same answer. */
  private Future<Void> checkDurable() {
    Future<Void> current = checking;
    if (current != null && !current.isComplete()) {
      return current;
    }
    Promise<Void> p = Promise.promise();
    checking = p.future();
    client
        .send(Request.cmd(Command.INFO).arg("persistence").arg("memory"))
        .timeout(options.timeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                p.fail(ar.cause());
                return;
              }
              String info = ar.result() == null ? "" : ar.result().toString();
              String problem =
                  !info.contains("aof_enabled:1")
                      ? NotDurableException.NO_AOF
                      : !info.contains("maxmemory_policy:noeviction")
                          ? NotDurableException.EVICTS
                          : null;
              if (problem == null) {
                checkedAt = System.currentTimeMillis();
                p.complete();
              } else {
                NotDurableException e = new NotDurableException(problem);
                LOG.severe("Redis at " + options + ": " + e.getMessage());
                p.fail(e);
              }
            });
    return p.future();
  }

  /** Closes the pool. */
  public Future<Void> close() {
    return client.close();
  }

  /** The Vert.x instance the pool runs on. */
  Vertx vertx() {
    return vertx;
  }

  private static boolean isAuthFailure(Throwable t) {
    String m = String.valueOf(t.getMessage());
    return m.startsWith("WRONGPASS") || m.startsWith("NOAUTH") || m.contains("NOPERM");
  }

  /**
   * Redis could forget spent tokens: no append-only file, or it evicts keys when memory is full.
   */
  static final class NotDurableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    static final String NO_AOF =
        "Redis runs without its append-only file (INFO persistence: aof_enabled:0), so a restart"
            + " of Redis would forget spent tokens; start it with --appendonly yes (or CONFIG SET"
            + " appendonly yes)";
    static final String EVICTS =
        "Redis may evict keys when its memory is full (INFO memory: maxmemory_policy is not"
            + " noeviction), which would forget spent tokens; set maxmemory-policy noeviction (a"
            + " full Redis then refuses writes, and requests get 503)";

    NotDurableException(String why) {
      super(why);
    }
  }
}
