package org.privateprocessing.issuer;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigBinder.Key;

/**
 * Slows down credential guessing at the issuer: failed authentications are counted per source
 * address and in total, and past either budget the issuer refuses before it judges the credential
 * ({@code 429 authentication-throttled} with {@code Retry-After}), so a guess sent then is never
 * confirmed, right or wrong.
 *
 * <p><b>Whom it counts.</b> A bearer credential is the account's only identifier, so a wrong one
 * names no account: failures cannot be counted per account, and nobody can spend an account's
 * budget by guessing at it. They are counted per source (an IPv4 address, or an IPv6 /64, which one
 * host can fill with addresses) and across all sources, the bound on guessing spread over many
 * addresses.
 *
 * <p><b>How the owner keeps access.</b> Guessing from other addresses never touches the owner's
 * source budget. When the total budget is spent, a correct credential still passes from a source it
 * has succeeded from before (a known account and source pair, remembered for {@code trustedFor}):
 * that answer tells only someone at the owner's own address, within its own budget, that a guess
 * was right. Guessing from the owner's own address (the same NAT) spends the budget the owner
 * shares, and the owner waits too: at most one interval once the guessing stops.
 *
 * <p><b>What it never does.</b> Touch an account's issuance allowance ({@link IssuanceLimiter}
 * counts issued tokens only), or keep more than {@code maxTracked} sources and pairs each: past
 * that, the least recently seen is forgotten (a forgotten source starts with a full budget, which
 * the total budget still bounds).
 *
 * <p>Each budget is a generic cell rate algorithm (one timestamp per key): {@code burst} failures
 * at once, then one more per {@code interval}. Thread-safe: issuance runs on worker threads.
 */
public final class FailedAuthThrottle {
  /**
   * The {@code "failedAuthentications"} section of the issuer's config.
   *
   * @param perSourceBurst failures a source may have at once
   * @param perSourceInterval then one more per this interval
   * @param totalBurst failures all sources together may have at once
   * @param totalInterval then one more per this interval
   * @param trustedFor how long a source an account succeeded from stays known for it
   * @param maxTracked most sources, and most known pairs, remembered
   */
  public record Limits(
      @Key(name = "perSource", min = 1) int perSourceBurst,
      @Key(was = "perSourceIntervalMs") Duration perSourceInterval,
      @Key(name = "total", min = 1) int totalBurst,
      @Key(was = "totalIntervalMs") Duration totalInterval,
      @Key(name = "trustedSource", was = "trustedSourceSeconds") Duration trustedFor,
      @Key(min = 1) int maxTracked) {
    /**
     * 10 wrong tries per address, then one per 6 s (10 a minute); 1,000 in all, then 100 a second;
     * a known source for a week; 10,000 of each tracked (about 1 MB).
     */
    public static final Limits DEFAULTS =
        new Limits(
            10, Duration.ofSeconds(6), 1_000, Duration.ofMillis(10), Duration.ofDays(7), 10_000);

    public Limits {
      if (perSourceBurst < 1 || totalBurst < 1 || maxTracked < 1) {
        throw new IllegalArgumentException(
            "issuer.failedAuthentications: perSource, total and maxTracked must be at least 1");
      }
      if (perSourceInterval.isNegative()
          || perSourceInterval.isZero()
          || totalInterval.isNegative()
          || totalInterval.isZero()
          || trustedFor.isNegative()) {
        throw new IllegalArgumentException(
            "issuer.failedAuthentications: intervals must be positive");
      }
    }

    /**
     * The section (null: every default), bound by {@link ConfigBinder}: keys {@code perSource},
     * {@code perSourceInterval}, {@code total}, {@code totalInterval}, {@code trustedSource},
     * {@code maxTracked}.
     */
    public static Limits fromJson(JsonObject json) {
      return ConfigBinder.bind("issuer.failedAuthentications", json, Limits.class, DEFAULTS);
    }
  }

  private final Limits limits;

  /** Per source: the theoretical time (epoch ms) at which its budget is full again. */
  private final Map<String, Long> sources;

  /** Per "account \n source" the account succeeded from: until when it stays known (epoch ms). */
  private final Map<String, Long> trusted;

  /** The same for all sources together; null until the first failure. */
  private Long total;

  FailedAuthThrottle(Limits limits) {
    this.limits = limits;
    this.sources = bounded(limits.maxTracked());
    this.trusted = bounded(limits.maxTracked());
  }

  /**
   * Seconds {@code source} must wait before the issuer judges a credential from it, 0 when it may
   * try now.
   *
   * @param account the account the presented credential belongs to, null when it belongs to none
   *     (or none was sent); only consulted when the total budget is spent
   */
  synchronized long waitSeconds(String source, String account, Instant now) {
    long at = now.toEpochMilli();
    long own = wait(sources.get(source), at, limits.perSourceBurst(), limits.perSourceInterval());
    if (own > 0) {
      return seconds(own);
    }
    long all = wait(total, at, limits.totalBurst(), limits.totalInterval());
    if (all > 0 && !(account != null && isTrusted(account, source, at))) {
      return seconds(all);
    }
    return 0;
  }

  /** Counts a failed authentication from {@code source}. */
  synchronized void failed(String source, Instant now) {
    long at = now.toEpochMilli();
    sources.put(source, next(sources.get(source), at, limits.perSourceInterval()));
    total = next(total, at, limits.totalInterval());
  }

  /** Remembers that {@code account} authenticated from {@code source}. */
  synchronized void succeeded(String account, String source, Instant now) {
    trusted.put(account + "\n" + source, now.toEpochMilli() + limits.trustedFor().toMillis());
  }

  /** Sources and known pairs remembered now (for tests of the memory bound). */
  synchronized int tracked() {
    return sources.size() + trusted.size();
  }

  /**
   * The key failures from {@code hostAddress} count under: the address itself for IPv4, its /64 for
   * IPv6 (one host commonly holds a whole /64). {@code hostAddress} is a literal address, so
   * nothing is looked up.
   */
  static String sourceKey(String hostAddress) {
    if (hostAddress == null || hostAddress.isEmpty()) {
      return "unknown";
    }
    if (hostAddress.indexOf(':') < 0) {
      return hostAddress;
    }
    try {
      byte[] a = InetAddress.getByName(hostAddress).getAddress();
      if (a.length != 16) {
        return InetAddress.getByAddress(a).getHostAddress();
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException notALiteral) {
      return hostAddress;
    }
  }

  private boolean isTrusted(String account, String source, long at) {
    Long until = trusted.get(account + "\n" + source);
    return until != null && until > at;
  }

  /** How long (ms) until one more failure fits the budget whose full time is {@code tat}. */
  private static long wait(Long tat, long at, int burst, Duration interval) {
    if (tat == null) {
      return 0;
    }
    long slack = (burst - 1) * interval.toMillis();
    return Math.max(0, tat - at - slack);
  }

  private static long next(Long tat, long at, Duration interval) {
    return Math.max(tat == null ? at : tat, at) + interval.toMillis();
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }

  private static <V> Map<String, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }
}
