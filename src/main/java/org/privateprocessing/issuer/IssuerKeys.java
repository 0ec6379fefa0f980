package org.privateprocessing.issuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.privateprocessing.core.KeyDirectory;
import org.privateprocessing.core.KeyDirectory.KeyFile;
import org.privateprocessing.core.VerificationKeys;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.token.BlindRsaKeys;
import org.privateprocessing.token.IssuerKey;
import org.privateprocessing.token.TokenTypes;
import org.privateprocessing.token.voprf.VoprfP384;

/**
 * The issuer's keys over time, for each token type. Key {@code i} of a type becomes usable at
 * {@code start + i * lifetime} (its not-before) and is retired {@code grace} after the next key
 * took over, so tokens fetched just before a rotation can still be spent. There is always a next
 * key generated ahead, and the directory lists it beside the current one, so clients and gateways
 * learn a key before anyone uses it: rotation has no gap. A key is never used, to issue or to
 * accept a token, before its not-before: tokens of a key used early would form a tiny anonymity
 * set.
 *
 * <p>Durable keys ({@link #open}) live in a {@link KeyDirectory}, one file per key with its
 * not-before and retirement, shared by every issuer replica: each {@link #rotate} reads the
 * directory first and only makes what is missing (a replica that loses the race to write a key
 * reads the winner's), so replicas hold the same current and next keys and a restart keeps them.
 *
 * <p>Thread-safe: readers see an immutable snapshot; {@link #rotate} replaces it.
 */
public final class IssuerKeys implements VerificationKeys {
  private final List<Integer> tokenTypes;
  private final Duration lifetime;
  private final Duration grace;
  private final Function<Integer, IssuerKey> generator;
  private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
  private final KeyDirectory store;
  private final SecureRandom random;
  private final boolean makeKeys;

  /** Key file type of each token type's keys. */
  static String fileType(int tokenType) {
    return switch (tokenType) {
      case TokenTypes.BLIND_RSA_2048 -> "issuer-blind-rsa-2048";
      case TokenTypes.VOPRF_P384 -> "issuer-voprf-p384";
      default -> throw new IllegalArgumentException("unsupported token type " + tokenType);
    };
  }

  IssuerKeys(
      List<Integer> tokenTypes,
      Duration lifetime,
      Duration grace,
      Function<Integer, IssuerKey> generator) {
    this(tokenTypes, lifetime, grace, generator, null, null, true);
  }

  private IssuerKeys(
      List<Integer> tokenTypes,
      Duration lifetime,
      Duration grace,
      Function<Integer, IssuerKey> generator,
      KeyDirectory store,
      SecureRandom random,
      boolean makeKeys) {
    if (lifetime.isZero() || lifetime.isNegative() || grace.isNegative()) {
      throw new IllegalArgumentException("key lifetime must be positive and grace not negative");
    }
    this.tokenTypes = List.copyOf(tokenTypes);
    this.lifetime = lifetime;
    this.grace = grace;
    this.generator = generator;
    this.store = store;
    this.random = random;
    this.makeKeys = makeKeys;
  }

  /**
   * The keys in {@code dir}, made there (owner-only files) when missing: the current ones usable
   * from {@code now} the first time, then on the schedule the files record. Blocking (files, RSA
   * key generation): run it off the event loop.
   *
   * @throws IllegalStateException naming a key file that is unreadable, damaged, of another type or
   *     readable by others, and the fix; nothing is changed then
   */
  public static IssuerKeys open(
      Path dir,
      List<Integer> tokenTypes,
      Duration lifetime,
      Duration grace,
      SecureRandom random,
      Instant now) {
    return open(dir, tokenTypes, lifetime, grace, random, now, true);
  }

  /**
   * As {@link #open(Path, List, Duration, Duration, SecureRandom, Instant)}; with {@code makeKeys}
   * false this replica never writes a key (another host makes them and an operator copies them
   * here), and refuses to start without a usable key of every type.
   */
  public static IssuerKeys open(
      Path dir,
      List<Integer> tokenTypes,
      Duration lifetime,
      Duration grace,
      SecureRandom random,
      Instant now,
      boolean makeKeys) {
    return open(
        dir, tokenTypes, lifetime, grace, random, Clock.fixed(now, ZoneOffset.UTC), makeKeys);
  }

  /**
   * As {@link #open(Path, List, Duration, Duration, SecureRandom, Instant, boolean)}, at the time
   * {@code clock} reads once this replica holds the directory ({@link #rotate(Clock)}).
   */
  public static IssuerKeys open(
      Path dir,
      List<Integer> tokenTypes,
      Duration lifetime,
      Duration grace,
      SecureRandom random,
      Clock clock,
      boolean makeKeys) {
    // Keys of every issuer type belong here, also of a type no longer offered: they are kept (and
    // retired in time), not used.
    Set<String> types =
        Set.of(fileType(TokenTypes.BLIND_RSA_2048), fileType(TokenTypes.VOPRF_P384));
    IssuerKeys keys =
        new IssuerKeys(
            tokenTypes,
            lifetime.truncatedTo(ChronoUnit.SECONDS),
            grace.truncatedTo(ChronoUnit.SECONDS),
            type -> newKey(type, random),
            new KeyDirectory(dir, types),
            random,
            makeKeys);
    keys.rotate(clock);
    return keys;
  }

  /**
   * Fresh keys of the given types, generated with {@code random}; the current ones usable from
   * {@code now}.
   */
  public static IssuerKeys generate(
      List<Integer> tokenTypes,
      Duration lifetime,
      Duration grace,
      SecureRandom random,
      Instant now) {
    IssuerKeys keys = new IssuerKeys(tokenTypes, lifetime, grace, type -> newKey(type, random));
    keys.rotate(now);
    return keys;
  }

  static IssuerKey newKey(int tokenType, SecureRandom random) {
    return switch (tokenType) {
      case TokenTypes.BLIND_RSA_2048 -> IssuerKey.blindRsa(BlindRsaKeys.generate(random));
      case TokenTypes.VOPRF_P384 -> IssuerKey.voprf(VoprfP384.generateKeyPair(random));
      default -> throw new IllegalArgumentException("unsupported token type " + tokenType);
    };
  }

  @Override
  public List<Integer> tokenTypes() {
    return tokenTypes;
  }

  /**
   * Retires keys past their grace and makes sure every type has a current key and a next one. Call
   * it periodically (more often than the lifetime); key generation may take a second for RSA, so
   * callers run it off the event loop. Durable keys are read from their directory first, and only
   * what is missing there is made (and written before it is used).
   *
   * @throws IllegalStateException (durable keys) naming a bad key file; nothing is changed then
   */
  public void rotate(Instant now) {
    rotate(Clock.fixed(now, ZoneOffset.UTC));
  }

  /**
   * As {@link #rotate(Instant)}, at the time {@code clock} reads once this replica holds the key
   * directory: replicas on this host take turns ({@link KeyDirectory#exclusive}), and one that
   * waited judges the keys the one before it made by a time no earlier than theirs (else it would
   * find the new current key not yet valid and make a second one).
   */
  public synchronized void rotate(Clock clock) {
    if (store != null) {
      rotateDurable(clock);
      return;
    }
    Instant now = clock.instant();
    entries.removeIf(e -> !e.liveAt(now));
    for (int type : tokenTypes) {
      List<Entry> ofType = ofType(type);
      Instant notBefore =
          ofType.isEmpty() ? now : ofType.get(ofType.size() - 1).notBefore().plus(lifetime);
      if (ofType.isEmpty()) {
        entries.add(entry(type, notBefore));
        notBefore = notBefore.plus(lifetime);
      }
      while (ofType(type).stream().noneMatch(e -> e.notBefore().isAfter(now))) {
        entries.add(entry(type, notBefore));
        notBefore = notBefore.plus(lifetime);
      }
    }
  }

  private void rotateDurable(Clock clock) {
    try {
      // Replicas on this host take turns, so two starting at once make one current key, not two.
      if (makeKeys) {
        store.exclusive(
            () -> {
              rotateHeld(clock.instant());
              return null;
            });
      } else {
        rotateHeld(clock.instant());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write issuer keys in " + store.dir() + ": " + e.getMessage(), e);
    }
  }

  private void rotateHeld(Instant now) throws IOException {
    List<KeyFile> files = store.readAll();
    List<Entry> loaded = new ArrayList<>();
    for (KeyFile f : files) {
      if (!now.isBefore(f.notAfter())) {
        store.delete(f);
      } else if (tokenTypes.contains(tokenType(f))) {
        loaded.add(fromFile(f));
      }
    }
    for (int type : tokenTypes) {
      List<Entry> ofType = sorted(loaded, type);
      if (!makeKeys) {
        if (ofType.stream().noneMatch(e -> e.usableAt(now))) {
          throw new IllegalStateException(
              "no usable issuer key of token type "
                  + type
                  + " in "
                  + store.dir()
                  + " and issuer.makeKeys is false: copy the key directory from the host that "
                  + "makes the keys (docs/OPERATIONS.md, Keys)");
        }
        continue;
      }
      if (ofType.stream().noneMatch(e -> e.usableAt(now))) {
        loaded.add(make(type, now, now));
        ofType = sorted(loaded, type);
      }
      while (ofType.stream().noneMatch(e -> e.notBefore().isAfter(now))) {
        Instant next = ofType.get(ofType.size() - 1).notBefore().plus(lifetime);
        loaded.add(make(type, next.isAfter(now) ? next : now, now));
        ofType = sorted(loaded, type);
      }
    }
    // Whatever a replica wrote meanwhile is what counts: read the directory once more.
    List<Entry> fresh = new ArrayList<>();
    for (KeyFile f : store.readAll()) {
      if (now.isBefore(f.notAfter()) && tokenTypes.contains(tokenType(f))) {
        fresh.add(fromFile(f));
      }
    }
    entries.clear();
    entries.addAll(fresh);
  }

  private static List<Entry> sorted(List<Entry> all, int type) {
    List<Entry> list = new ArrayList<>();
    for (Entry e : all) {
      if (e.key().tokenType() == type) {
        list.add(e);
      }
    }
    list.sort(Comparator.comparing(Entry::notBefore));
    return list;
  }

  /** Makes and writes a key, or reads the one a replica wrote under the same name first. */
  private Entry make(int type, Instant notBefore, Instant now) throws IOException {
    Instant from = notBefore.truncatedTo(ChronoUnit.SECONDS);
    Instant until = from.plus(lifetime).plus(grace);
    byte[] secret;
    switch (type) {
      case TokenTypes.BLIND_RSA_2048 ->
          secret = BlindRsaKeys.generate(random).getPrivate().getEncoded();
      case TokenTypes.VOPRF_P384 ->
          secret = VoprfP384.generateKeyPair(random).serializedSecretKey();
      default -> throw new IllegalArgumentException("unsupported token type " + type);
    }
    KeyFile file =
        new KeyFile(
            fileType(type), from.getEpochSecond(), now, from, until, List.of(secret), List.of());
    store.create(file, random);
    java.util.Arrays.fill(secret, (byte) 0);
    return fromFile(store.read(store.dir().resolve(file.fileName())));
  }

  private static int tokenType(KeyFile f) {
    for (int t : List.of(TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384)) {
      if (fileType(t).equals(f.type())) {
        return t;
      }
    }
    return -1;
  }

  private Entry fromFile(KeyFile f) {
    Path path = store.dir().resolve(f.fileName());
    if (f.secrets().size() != 1 || f.id() != f.notBefore().getEpochSecond()) {
      throw KeyDirectory.damaged(path, "its id is not its not-before or it holds several secrets");
    }
    IssuerKey key;
    switch (tokenType(f)) {
      case TokenTypes.BLIND_RSA_2048 -> {
        KeyPair pair;
        try {
          pair =
              BlindRsaKeys.fromPkcs8Pem(
                  "-----BEGIN PRIVATE KEY-----\n"
                      + Base64.getMimeEncoder().encodeToString(f.secrets().get(0))
                      + "\n-----END PRIVATE KEY-----\n");
        } catch (IllegalArgumentException e) {
          throw KeyDirectory.damaged(path, "its secret is not an RSA private key");
        }
        key = IssuerKey.blindRsa(pair);
      }
      case TokenTypes.VOPRF_P384 -> {
        try {
          key = IssuerKey.voprf(VoprfP384.fromSecretKey(f.secrets().get(0)));
        } catch (Exception e) { // a checked VOPRF refusal or a runtime one: either way, not a key
          throw KeyDirectory.damaged(path, "its secret is not a P-384 scalar");
        }
      }
      default -> throw KeyDirectory.damaged(path, "unknown key type " + f.type());
    }
    return new Entry(key, f.notBefore(), f.notAfter());
  }

  private Entry entry(int type, Instant notBefore) {
    return new Entry(generator.apply(type), notBefore, notBefore.plus(lifetime).plus(grace));
  }

  private List<Entry> ofType(int type) {
    List<Entry> list = new ArrayList<>();
    for (Entry e : entries) {
      if (e.key().tokenType() == type) {
        list.add(e);
      }
    }
    list.sort(Comparator.comparing(Entry::notBefore));
    return list;
  }

  /** The key clients should use now for a type: the newest whose not-before has passed. */
  @Override
  public Optional<Entry> current(int type, Instant now) {
    Entry best = null;
    for (Entry e : ofType(type)) {
      if (e.usableAt(now)) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  /** What the directory lists for a type: the current key and the next one. */
  public List<Entry> published(int type, Instant now) {
    List<Entry> list = new ArrayList<>();
    current(type, now).ifPresent(list::add);
    ofType(type).stream().filter(e -> e.notBefore().isAfter(now)).findFirst().ifPresent(list::add);
    return list;
  }

  /**
   * The usable key with this token key id: retired keys, and keys before their not-before, are
   * unknown. O(keys), a handful.
   */
  @Override
  public Optional<Entry> byKeyId(byte[] tokenKeyId, Instant now) {
    for (Entry e : entries) {
      if (e.usableAt(now) && MessageDigest.isEqual(e.key().tokenKeyId(), tokenKeyId)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * The key the issuer signs with for a request naming {@code truncatedKeyId}: only the current key
   * of the type, never the next one before its not-before (its tokens would stand out) nor one in
   * its grace (its tokens would expire soon).
   */
  public List<Entry> byTruncatedId(int type, int truncatedKeyId, Instant now) {
    List<Entry> list = new ArrayList<>();
    current(type, now).filter(e -> truncated(e) == truncatedKeyId).ifPresent(list::add);
    return list;
  }

  private static int truncated(Entry e) {
    byte[] id = e.key().tokenKeyId();
    return id[id.length - 1] & 0xff;
  }

  /** The current and next key of every type, as transparency-log entries of {@code issuer}. */
  public List<LogEntry> logEntries(String issuer, Instant now) {
    List<LogEntry> out = new ArrayList<>();
    for (int type : tokenTypes()) {
      for (Entry e : published(type, now)) {
        // Whole seconds, as the issuer directory states not-before.
        out.add(
            new LogEntry.IssuerKey(
                issuer, type, e.key().tokenKey(), e.notBefore().truncatedTo(ChronoUnit.SECONDS)));
      }
    }
    return out;
  }
}
