package org.privateprocessing.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import javax.security.auth.DestroyFailedException;
import org.privateprocessing.core.KeyDirectory;
import org.privateprocessing.core.KeyDirectory.KeyFile;
import org.privateprocessing.core.ServerKeys;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.tlog.LogEntry;

/**
 * The gateway's outer OHTTP keys over time, kept in a {@link KeyDirectory} that every replica of
 * the origin shares, so all of them serve the same key list (RFC 9540) and the relay may send any
 * request to any of them.
 *
 * <p>Keys come in generations of two (X-Wing and X25519, {@link ServerKeys}); generation {@code g}
 * has key ids {@code 2g} (X25519) and {@code 2g + 1} (X-Wing), modulo 256. A generation is usable
 * from its not-before for {@code lifetime + overlap}; the next one's not-before is a lifetime
 * later. So at any moment the directory holds the current generation, the next one (made and listed
 * a whole lifetime ahead, so clients and the transparency log learn it before use) and, during the
 * overlap, the previous one, still accepted so a client that fetched the list just before the
 * change is served. A retired generation is refused and its files are deleted.
 *
 * <p>{@link #refresh} makes what is missing and removes what is retired; {@link #load} only reads.
 * Both are blocking (file system): run them off the event loop. Thread-safe (one at a time). The
 * private key of a retired key stays in memory only until {@link #destroyRetired} zeroes it, which
 * {@link GatewayIdentity#update} calls once the new keys are served.
 */
public final class GatewayKeySet {
  private static final Logger LOG = Logger.getLogger(GatewayKeySet.class.getName());

  /** Key file type of an X25519 outer key. */
  public static final String X25519 = "ohttp-x25519";

  /** Key file type of an X-Wing outer key. */
  public static final String XWING = "ohttp-xwing";

  private final KeyDirectory dir;
  private final Duration lifetime;
  private final Duration overlap;
  private final SecureRandom random;
  private final boolean makeKeys;
  private final Map<String, Loaded> cache = new HashMap<>();

  /**
   * Pairs that left the cache (their file retired, was deleted or changed) and wait to be zeroed by
   * {@link #destroyRetired} once no request can use them any more. Guarded by itself, not by this
   * set's monitor, so the event loop never waits for a refresh's file work.
   */
  private final List<OhttpKeyPair> retired = new ArrayList<>();

  private record Loaded(String text, OhttpKeyPair pair) {}

  /**
   * What the gateway serves at one moment.
   *
   * @param accepted every usable key (the current generation and, in the overlap, the previous)
   * @param listed the key configs clients are given: the current generation then the next one
   * @param entries the transparency-log entries of the listed configs, timestamped with their keys'
   *     creation time, so a restart with the same keys produces byte-identical entries
   */
  public record Snapshot(
      RequestDecapsulator accepted, List<KeyConfig> listed, List<Published> entries) {
    /** The log entries of {@code origin}. */
    public List<LogEntry> logEntries(String origin) {
      List<LogEntry> out = new ArrayList<>();
      for (Published p : entries) {
        out.add(new LogEntry.GatewayKeyConfig(origin, p.config().encode(), p.created()));
      }
      return out;
    }

    /** The listed configs' bytes, to compare two snapshots. */
    public List<byte[]> listedBytes() {
      return listed.stream().map(KeyConfig::encode).toList();
    }

    /** Whether {@code other} lists and accepts the same keys. */
    public boolean sameAs(Snapshot other) {
      if (other == null || other.listed.size() != listed.size()) {
        return false;
      }
      for (int i = 0; i < listed.size(); i++) {
        if (!Arrays.equals(listed.get(i).encode(), other.listed.get(i).encode())) {
          return false;
        }
      }
      return accepted.configs().stream()
          .map(KeyConfig::keyId)
          .toList()
          .equals(other.accepted.configs().stream().map(KeyConfig::keyId).toList());
    }
  }

  /** A listed config and when its key was made. */
  public record Published(KeyConfig config, Instant created) {}

  /**
   * @param dir where the key files are (created owner-only on first use)
   * @param lifetime how long a generation is the current one
   * @param overlap how long after that it is still accepted
   */
  public GatewayKeySet(Path dir, Duration lifetime, Duration overlap, SecureRandom random) {
    this(dir, lifetime, overlap, random, true);
  }

  /**
   * @param makeKeys false for a replica that only uses keys another host makes (and an operator
   *     copies here): it never writes a key, and refuses to start without a usable one
   */
  public GatewayKeySet(
      Path dir, Duration lifetime, Duration overlap, SecureRandom random, boolean makeKeys) {
    if (lifetime.compareTo(Duration.ofSeconds(2)) < 0 || overlap.isNegative()) {
      throw new IllegalArgumentException(
          "gateway key lifetime must be at least 2 s and overlap not negative");
    }
    this.dir = new KeyDirectory(dir, Set.of(X25519, XWING));
    this.lifetime = lifetime.truncatedTo(ChronoUnit.SECONDS);
    this.overlap = overlap.truncatedTo(ChronoUnit.SECONDS);
    this.random = Objects.requireNonNull(random, "random");
    this.makeKeys = makeKeys;
  }

  public Path dir() {
    return dir.dir();
  }

  /**
   * Brings the directory up to date at {@code now}: deletes retired keys, makes a current
   * generation if there is none and a next one if there is none, then returns what to serve.
   *
   * @throws IllegalStateException naming a bad key file and the fix (nothing is changed then)
   */
  public Snapshot refresh(Instant now) throws IOException {
    return refresh(Clock.fixed(now, ZoneOffset.UTC));
  }

  /**
   * As {@link #refresh(Instant)}, at the time {@code clock} reads once this replica holds the
   * directory. Replicas on this host take turns ({@link KeyDirectory#exclusive}), so none reads
   * another's half-made generation; and the clock is read only then, so a replica that waited never
   * judges the keys the one before it made by an earlier time (it would find them not yet usable
   * and make a current generation of its own).
   */
  public synchronized Snapshot refresh(Clock clock) throws IOException {
    return makeKeys
        ? dir.exclusive(() -> refreshHeld(clock.instant()))
        : refreshHeld(clock.instant());
  }

  private Snapshot refreshHeld(Instant now) throws IOException {
    List<KeyFile> files = checked(dir.readAll());
    for (KeyFile f : files) {
      if (!now.isBefore(f.notAfter())) {
        dir.delete(f);
      }
    }
    files = live(files, now);
    if (!makeKeys) {
      if (files.stream().noneMatch(f -> f.usableAt(now))) {
        throw new IllegalStateException(
            "no usable gateway key in "
                + dir.dir()
                + " and gateway.makeKeys is false: copy the key directory from the host that makes "
                + "the keys (docs/OPERATIONS.md, Keys)");
      }
      return snapshot(files, now);
    }
    if (files.stream().noneMatch(f -> f.usableAt(now))) {
      files = make(files, now, now);
    }
    while (files.stream().noneMatch(f -> f.notBefore().isAfter(now))) {
      Instant newest = files.stream().map(KeyFile::notBefore).max(Comparator.naturalOrder()).get();
      Instant next = newest.plus(lifetime);
      files = make(files, next.isAfter(now) ? next : now, now);
    }
    return snapshot(files, now);
  }

  /**
   * What to serve at {@code now} from the directory as it is, changing nothing.
   *
   * @throws IllegalStateException naming a bad key file and the fix
   */
  public synchronized Snapshot load(Instant now) {
    return snapshot(live(checked(dir.readAll()), now), now);
  }

  /** Makes (or, if a replica made it first, reads) the generation after the newest one. */
  private List<KeyFile> make(List<KeyFile> files, Instant notBefore, Instant now)
      throws IOException {
    int nextX25519 =
        files.stream()
            .filter(f -> f.type().equals(X25519))
            .max(Comparator.comparing(KeyFile::notBefore))
            .map(f -> (int) ((f.id() + 2) % 256))
            .orElse(ServerKeys.X25519_KEY_ID);
    Instant created = now.truncatedTo(ChronoUnit.SECONDS);
    Instant from = notBefore.truncatedTo(ChronoUnit.SECONDS);
    Instant until = from.plus(lifetime).plus(overlap);
    for (String type : List.of(X25519, XWING)) {
      int id = type.equals(X25519) ? nextX25519 : (nextX25519 + 1) % 256;
      byte[] secret = new byte[ServerKeys.PRIVATE_KEY_LENGTH];
      random.nextBytes(secret);
      dir.create(new KeyFile(type, id, created, from, until, List.of(secret), List.of()), random);
      Arrays.fill(secret, (byte) 0);
    }
    return live(checked(dir.readAll()), now);
  }

  private static List<KeyFile> live(List<KeyFile> files, Instant now) {
    return files.stream().filter(f -> now.isBefore(f.notAfter())).toList();
  }

  /** Refuses files whose secret is not a key of their type. */
  private List<KeyFile> checked(List<KeyFile> files) {
    for (KeyFile f : files) {
      if (f.secrets().size() != 1 || f.secrets().get(0).length != ServerKeys.PRIVATE_KEY_LENGTH) {
        throw KeyDirectory.damaged(
            dir.dir().resolve(f.fileName()),
            "its secret is not one " + ServerKeys.PRIVATE_KEY_LENGTH + "-byte key");
      }
      if (f.id() < 0 || f.id() > 255) {
        throw KeyDirectory.damaged(
            dir.dir().resolve(f.fileName()), "an OHTTP key id is 0 to 255, not " + f.id());
      }
    }
    return files;
  }

  private Snapshot snapshot(List<KeyFile> files, Instant now) {
    List<OhttpKeyPair> accepted = new ArrayList<>();
    // generations by not-before: the current one is the newest usable, the next the first ahead
    TreeMap<Instant, List<KeyFile>> generations = new TreeMap<>();
    for (KeyFile f : files) {
      generations.computeIfAbsent(f.notBefore(), k -> new ArrayList<>()).add(f);
      if (f.usableAt(now)) {
        accepted.add(pair(f));
      }
    }
    List<KeyFile> listedFiles = new ArrayList<>();
    Map.Entry<Instant, List<KeyFile>> current = generations.floorEntry(now);
    Map.Entry<Instant, List<KeyFile>> next = generations.higherEntry(now);
    if (current != null) {
      listedFiles.addAll(ordered(current.getValue()));
    }
    if (next != null) {
      listedFiles.addAll(ordered(next.getValue()));
    }
    List<KeyConfig> listed = new ArrayList<>();
    List<Published> entries = new ArrayList<>();
    for (KeyFile f : listedFiles) {
      KeyConfig c = pair(f).config();
      listed.add(c);
      entries.add(new Published(c, f.created()));
    }
    // The accepted set in the listed order first, so the list a client fetched matches.
    accepted.sort(Comparator.comparing(p -> -p.config().kemId()));
    Set<String> fresh = new java.util.HashSet<>();
    files.forEach(f -> fresh.add(f.fileName()));
    for (var it = cache.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Loaded> e = it.next();
      if (!fresh.contains(e.getKey())) {
        it.remove();
        retire(e.getValue().pair());
      }
    }
    return new Snapshot(
        new RequestDecapsulator(accepted), List.copyOf(listed), List.copyOf(entries));
  }

  private static List<KeyFile> ordered(List<KeyFile> generation) {
    List<KeyFile> out = new ArrayList<>(generation);
    out.sort(Comparator.comparing((KeyFile f) -> f.type().equals(XWING) ? 0 : 1));
    return out;
  }

  /** The key pair of a file, made once per file content. */
  private OhttpKeyPair pair(KeyFile f) {
    String text = f.encode();
    Loaded l = cache.get(f.fileName());
    if (l != null && l.text().equals(text)) {
      return l.pair();
    }
    int kem = f.type().equals(XWING) ? HpkeIds.KEM_X_WING : HpkeIds.KEM_X25519_HKDF_SHA256;
    OhttpKeyPair pair = ServerKeys.fromPrivateKey((int) f.id(), kem, f.secrets().get(0));
    Loaded replaced = cache.put(f.fileName(), new Loaded(text, pair));
    if (replaced != null) {
      retire(replaced.pair());
    }
    return pair;
  }

  private void retire(OhttpKeyPair pair) {
    synchronized (retired) {
      retired.add(pair);
    }
  }

  /**
   * Zeroes the private keys that left this set (retired after their overlap, or replaced on disk)
   * and are not among {@code stillServed}, the keys requests are opened with now. The caller makes
   * sure no decapsulation with an older set is running ({@link GatewayIdentity#update} holds its
   * write lock). A key that cannot be cleared is dropped all the same, and the log says so.
   *
   * @return how many keys were zeroed
   */
  public int destroyRetired(RequestDecapsulator stillServed) {
    List<OhttpKeyPair> due = new ArrayList<>();
    synchronized (retired) {
      for (var it = retired.iterator(); it.hasNext(); ) {
        OhttpKeyPair pair = it.next();
        if (!served(pair, stillServed)) {
          it.remove();
          due.add(pair);
        }
      }
    }
    int zeroed = 0;
    for (OhttpKeyPair pair : due) {
      try {
        pair.destroy();
        zeroed++;
      } catch (DestroyFailedException e) {
        LOG.warning(
            "the private key of retired gateway key id "
                + pair.config().keyId()
                + " could not be zeroed ("
                + e.getMessage()
                + "); it is dropped and waits for the collector");
      }
    }
    return zeroed;
  }

  /** Keys that retired and are not zeroed yet (tests, metrics). */
  public int retiredPending() {
    synchronized (retired) {
      return retired.size();
    }
  }

  private static boolean served(OhttpKeyPair pair, RequestDecapsulator keys) {
    byte[] mine = pair.config().encode();
    for (KeyConfig c : keys.configs()) {
      if (Arrays.equals(c.encode(), mine)) {
        return true;
      }
    }
    return false;
  }
}
