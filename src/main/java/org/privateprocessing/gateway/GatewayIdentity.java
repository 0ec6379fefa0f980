package org.privateprocessing.gateway;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.privateprocessing.core.ServerKeys;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.ohttp.ResponsePadding;
import org.privateprocessing.tlog.LogEntry;

/**
 * The gateway's outer-layer OHTTP keys, published at {@code /.well-known/ohttp-gateway} (RFC 9540)
 * so clients fetch them through the relay. Either durable and rotating ({@link #durable}: the keys
 * of a {@link GatewayKeySet} directory shared by all replicas, swapped in by {@link #update} as
 * generations come and go) or fixed for the life of the process ({@link #generate}, {@link #of}).
 *
 * <p>Thread-safe: readers see one snapshot; {@link #update} replaces it.
 */
public final class GatewayIdentity {
  private final GatewayKeySet keySet;
  private final ResponsePadding padding;
  private volatile Current current;

  /** Decapsulations hold it shared; zeroing retired keys holds it alone. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** A snapshot and its accepted keys with this identity's padding: replaced together. */
  private record Current(GatewayKeySet.Snapshot snapshot, RequestDecapsulator keys) {}

  private GatewayIdentity(
      GatewayKeySet keySet, GatewayKeySet.Snapshot snapshot, ResponsePadding padding) {
    this.keySet = keySet;
    this.padding = padding;
    this.current = current(snapshot);
  }

  private GatewayIdentity(GatewayKeySet keySet, GatewayKeySet.Snapshot snapshot) {
    this(keySet, snapshot, ResponsePadding.NONE);
  }

  private Current current(GatewayKeySet.Snapshot snapshot) {
    RequestDecapsulator accepted = snapshot.accepted();
    return new Current(
        snapshot,
        padding.equals(ResponsePadding.NONE) ? accepted : accepted.withResponsePadding(padding));
  }

  /**
   * The same keys (and the same key directory), with outer responses padded by {@code padding}
   * (Binary HTTP zero padding, RFC 9292 section 3.8), so the relay sees a few sizes.
   */
  public GatewayIdentity withResponsePadding(ResponsePadding padding) {
    return new GatewayIdentity(keySet, current.snapshot(), padding);
  }

  /** Keys made in memory at start, gone with the process (tests, and a gateway without a disk). */
  public static GatewayIdentity generate(SecureRandom random) {
    return fixed(ServerKeys.generate(random));
  }

  /** For tests that must speak with fixed keys (the RFC 9458 Appendix A key, for one). */
  public static GatewayIdentity of(OhttpKeyPair... keys) {
    return fixed(RequestDecapsulator.of(keys));
  }

  private static GatewayIdentity fixed(RequestDecapsulator keys) {
    List<GatewayKeySet.Published> none = new ArrayList<>();
    return new GatewayIdentity(null, new GatewayKeySet.Snapshot(keys, keys.configs(), none));
  }

  /**
   * The keys of {@code keySet} as they are at {@code first} (its {@link GatewayKeySet#refresh}).
   */
  public static GatewayIdentity durable(GatewayKeySet keySet, GatewayKeySet.Snapshot first) {
    return new GatewayIdentity(keySet, first);
  }

  /** The key directory behind these keys, or null when they are fixed. */
  public GatewayKeySet keySet() {
    return keySet;
  }

  /**
   * Serves {@code next} from now on (a rotation), then zeroes the private keys that retired from
   * the key directory ({@link GatewayKeySet#destroyRetired}) once the decapsulations still running
   * with the old set have finished (a write lock against {@link #decapsulate}'s read lock: they
   * take microseconds). A request sealed to a retired key is refused as an unknown key from then
   * on, as it would be without the zeroing.
   */
  public void update(GatewayKeySet.Snapshot next) {
    current = current(next);
    if (keySet != null) {
      lock.writeLock().lock();
      try {
        keySet.destroyRetired(next.accepted());
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /**
   * Opens an outer request with the keys served now ({@link #keys}), never with a key {@link
   * #update} is zeroing.
   */
  public DecapsulatedRequest decapsulate(byte[] outerRequest) throws OhttpException {
    lock.readLock().lock();
    try {
      return current.keys().decapsulate(outerRequest);
    } finally {
      lock.readLock().unlock();
    }
  }

  public GatewayKeySet.Snapshot snapshot() {
    return current.snapshot();
  }

  /** The keys requests are opened with: every key usable now, answers padded. */
  public RequestDecapsulator keys() {
    return current.keys();
  }

  /** The key configs clients are given: the current generation, then the next one. */
  public List<KeyConfig> keyConfigs() {
    return current.snapshot().listed();
  }

  /**
   * The listed key configs as transparency-log entries of {@code origin}: timestamped with their
   * keys' creation for durable keys (a restart produces the same entries, so the log does not
   * grow), with {@code createdAt} for fixed ones.
   */
  public List<LogEntry> logEntries(String origin, Instant createdAt) {
    GatewayKeySet.Snapshot s = current.snapshot();
    if (keySet != null) {
      return s.logEntries(origin);
    }
    List<LogEntry> out = new ArrayList<>();
    for (KeyConfig c : s.listed()) {
      out.add(
          new LogEntry.GatewayKeyConfig(
              origin, c.encode(), createdAt.truncatedTo(ChronoUnit.SECONDS)));
    }
    return out;
  }
}
