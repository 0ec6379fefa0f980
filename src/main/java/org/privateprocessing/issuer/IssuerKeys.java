package org.privateprocessing.issuer;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
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
 * learn a key before anyone uses it: rotation has no gap.
 *
 * <p>Thread-safe: readers see an immutable snapshot; {@link #rotate} replaces it.
 */
public final class IssuerKeys implements VerificationKeys {
  private final List<Integer> tokenTypes;
  private final Duration lifetime;
  private final Duration grace;
  private final Function<Integer, IssuerKey> generator;
  private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

  IssuerKeys(
      List<Integer> tokenTypes,
      Duration lifetime,
      Duration grace,
      Function<Integer, IssuerKey> generator) {
    if (lifetime.isZero() || lifetime.isNegative() || grace.isNegative()) {
      throw new IllegalArgumentException("key lifetime must be positive and grace not negative");
    }
    this.tokenTypes = List.copyOf(tokenTypes);
    this.lifetime = lifetime;
    this.grace = grace;
    this.generator = generator;
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
   * callers run it off the event loop.
   */
  public synchronized void rotate(Instant now) {
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
      if (!e.notBefore().isAfter(now) && e.liveAt(now)) {
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

  /** The live key with this token key id (retired keys are unknown). O(keys), a handful. */
  @Override
  public Optional<Entry> byKeyId(byte[] tokenKeyId, Instant now) {
    for (Entry e : entries) {
      if (e.liveAt(now) && MessageDigest.isEqual(e.key().tokenKeyId(), tokenKeyId)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Live keys of a type whose truncated id matches, current first (the issuer tries them in turn).
   */
  public List<Entry> byTruncatedId(int type, int truncatedKeyId, Instant now) {
    List<Entry> list = new ArrayList<>();
    current(type, now).filter(e -> truncated(e) == truncatedKeyId).ifPresent(list::add);
    for (Entry e : published(type, now)) {
      if (!list.contains(e) && truncated(e) == truncatedKeyId) {
        list.add(e);
      }
    }
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
