package org.privateprocessing.gateway;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.privateprocessing.core.Defaults;

/**
 * The enclaves a gateway knows of, fed by their announcements ({@code enclave.EnclaveAnnouncer}):
 * id -> public descriptor and when it was last heard. An entry is live while its announcement is
 * fresher than its ttl; an enclave that left or fell silent is GONE (a retryable 503 for clients),
 * one never heard of is UNKNOWN (404). The descriptor is opaque here: it is whatever the enclave
 * publishes (id, key configs, evidence) and is listed to clients as is.
 *
 * <p>Announcements arrive from the cluster, so they are untrusted input: malformed ones are ignored
 * and counted, oversized ones refused, and the number of entries is capped. Forged announcements
 * cannot hurt a client, which verifies the evidence in a descriptor itself. Thread-safe
 * (synchronized); every operation is O(entries) at worst, a handful.
 */
public final class EnclaveRegistry {
  /** Where an enclave stands for a gateway. */
  public enum Status {
    LIVE,
    GONE,
    UNKNOWN
  }

  public static final long DEFAULT_TTL_MS = Defaults.ANNOUNCE_TTL_MS;
  public static final int DEFAULT_MAX_DESCRIPTOR_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_ENTRIES = 1_000;

  /** Longest ttl an announcement may ask for, so a forged one cannot pin an entry. */
  static final long MAX_TTL_MS = 60_000;

  /** How long a gone enclave is remembered as GONE before it becomes UNKNOWN. */
  static final long FORGET_AFTER_MS = 10 * 60_000;

  private static final Pattern ID = Pattern.compile("[0-9A-Za-z._-]{1,64}");

  private record Entry(JsonObject descriptor, long lastSeenMillis, long ttlMs, boolean left) {
    boolean liveAt(long now) {
      return !left && now - lastSeenMillis < ttlMs;
    }
  }

  private final Clock clock;
  private final long defaultTtlMs;
  private final int maxDescriptorBytes;
  private final int maxEntries;
  private final Map<String, Entry> entries = new TreeMap<>();
  private final AtomicLong rejected = new AtomicLong();

  public EnclaveRegistry(Clock clock) {
    this(clock, DEFAULT_TTL_MS, DEFAULT_MAX_DESCRIPTOR_BYTES, DEFAULT_MAX_ENTRIES);
  }

  public EnclaveRegistry(Clock clock, long defaultTtlMs, int maxDescriptorBytes, int maxEntries) {
    if (defaultTtlMs <= 0 || maxDescriptorBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("ttl, descriptor size and entry cap must be positive");
    }
    this.clock = clock;
    this.defaultTtlMs = defaultTtlMs;
    this.maxDescriptorBytes = maxDescriptorBytes;
    this.maxEntries = maxEntries;
  }

  /**
   * Records an announcement {@code {"id", "descriptor": {...}, "ttlMs"}}. Returns false, counting
   * it in {@link #rejected()}, when it is not such an object, the id is not a short token, the
   * descriptor is oversized, or the registry is full of other enclaves.
   */
  public synchronized boolean announce(Object message) {
    long now = clock.millis();
    purge(now);
    if (!(message instanceof JsonObject json)) {
      return reject();
    }
    Object id = json.getValue("id");
    Object descriptor = json.getValue("descriptor");
    Object ttl = json.getValue("ttlMs");
    if (!(id instanceof String s)
        || !ID.matcher(s).matches()
        || !(descriptor instanceof JsonObject d)) {
      return reject();
    }
    if (ttl != null && (!(ttl instanceof Number n) || n.longValue() <= 0)) {
      return reject();
    }
    if (d.encode().getBytes(StandardCharsets.UTF_8).length > maxDescriptorBytes) {
      return reject();
    }
    if (!entries.containsKey(s) && entries.size() >= maxEntries) {
      return reject();
    }
    long ttlMs = ttl == null ? defaultTtlMs : Math.min(((Number) ttl).longValue(), MAX_TTL_MS);
    entries.put(s, new Entry(d.copy(), now, ttlMs, false));
    return true;
  }

  /** Records that an enclave stopped ({@code {"id"}}): GONE at once, not after its ttl. */
  public synchronized boolean leave(Object message) {
    if (!(message instanceof JsonObject json)
        || !(json.getValue("id") instanceof String id)
        || !ID.matcher(id).matches()) {
      return reject();
    }
    Entry e = entries.get(id);
    if (e != null) {
      entries.put(id, new Entry(e.descriptor(), e.lastSeenMillis(), e.ttlMs(), true));
    }
    return true;
  }

  /** Descriptors of the enclaves heard from within their ttl, ordered by id. */
  public synchronized List<JsonObject> live() {
    long now = clock.millis();
    purge(now);
    List<JsonObject> list = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.liveAt(now)) {
        list.add(e.descriptor().copy());
      }
    }
    return list;
  }

  /** How many enclaves were heard from within their ttl. */
  public synchronized int liveCount() {
    long now = clock.millis();
    int n = 0;
    for (Entry e : entries.values()) {
      if (e.liveAt(now)) {
        n++;
      }
    }
    return n;
  }

  public synchronized Status status(String id) {
    long now = clock.millis();
    purge(now);
    Entry e = entries.get(id);
    if (e == null) {
      return Status.UNKNOWN;
    }
    return e.liveAt(now) ? Status.LIVE : Status.GONE;
  }

  /** Announcements and leave messages ignored as malformed, oversized or over the cap. */
  public long rejected() {
    return rejected.get();
  }

  private boolean reject() {
    rejected.incrementAndGet();
    return false;
  }

  private void purge(long now) {
    entries.values().removeIf(e -> now - e.lastSeenMillis() > FORGET_AFTER_MS);
  }
}
