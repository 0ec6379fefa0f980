package org.privateprocessing.enclave;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import org.privateprocessing.ohttp.KeyConfig;

/**
 * When an enclave's inner keys change, and in which order, so that a recorded request cannot be
 * opened by a key stolen later than a period and a grace after it was sent. Plain and clock-free:
 * each {@link #tick} is told the time, so tests drive it with any instants.
 *
 * <p>A rotation, every {@code period}:
 *
 * <ol>
 *   <li>a new generation is made and accepted at once ({@link InnerKeys#prepare}); nobody knows its
 *       keys yet;
 *   <li>fresh evidence is made binding the new keys first and the live ones after them ({@link
 *       Binder}); the enclave's description lists exactly the keys its evidence binds, so the new
 *       key is attested and listed in one step, before any client can seal to it;
 *   <li>the new generation becomes current; the old one is accepted for {@code grace} more (clients
 *       holding an older listing, requests in flight), then retired: no longer accepted (a request
 *       sealed to it gets {@code inner-unknown-key}), its private key bytes zeroed, and evidence
 *       made again without it.
 * </ol>
 *
 * If the evidence cannot be made, the new generation is dropped (zeroed) and the old one stays
 * current; the rotation is tried again after {@link #RETRY}. Retiring does not wait for evidence:
 * an expired key is zeroed on time even when its evidence cannot be renewed.
 *
 * <p>Thread-safe: {@link #tick} is synchronized and blocks while evidence is made; {@link #due}
 * does not wait for it.
 */
public final class KeyRotation {
  private static final Logger LOG = Logger.getLogger(KeyRotation.class.getName());

  /** How long after a failed rotation the next attempt waits. */
  static final Duration RETRY = Duration.ofSeconds(30);

  /** Makes fresh evidence binding exactly these key configs, in this order, and publishes it. */
  @FunctionalInterface
  public interface Binder {
    void bind(List<KeyConfig> configs, Instant now) throws Exception;
  }

  /**
   * What one tick did.
   *
   * @param rotated a new generation became current
   * @param retired generations no longer accepted, their keys zeroed
   * @param evidenceRenewed fresh evidence binds the new listing (false if nothing changed or the
   *     evidence could not be made)
   */
  public record Outcome(
      boolean rotated, List<InnerKeys.Generation> retired, boolean evidenceRenewed) {
    static final Outcome NOTHING = new Outcome(false, List.of(), false);

    /** Whether the listing (and so the RA-TLS certificate) changed. */
    public boolean changed() {
      return evidenceRenewed;
    }
  }

  private final String enclaveId;
  private final InnerKeys keys;
  private final Binder binder;
  private final Duration period;
  private final Duration grace;

  /** Written under the monitor by {@link #tick}, read without it by {@link #due}. */
  private volatile Instant nextRotation;

  /**
   * @param start when the current generation was made: the first rotation is {@code period} later
   * @throws IllegalArgumentException unless {@code 0 < grace < period}
   */
  public KeyRotation(
      String enclaveId,
      InnerKeys keys,
      Binder binder,
      Duration period,
      Duration grace,
      Instant start) {
    this.enclaveId = Objects.requireNonNull(enclaveId, "enclaveId");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.binder = Objects.requireNonNull(binder, "binder");
    if (grace.isNegative() || grace.isZero() || grace.compareTo(period) >= 0) {
      throw new IllegalArgumentException("the grace must be positive and shorter than the period");
    }
    this.period = period;
    this.grace = grace;
    this.nextRotation = start.plus(period);
  }

  /**
   * Whether {@link #tick} has anything to do at {@code now}; cheap and never waits for a tick in
   * progress, so an event loop may ask.
   */
  public boolean due(Instant now) {
    return !now.isBefore(nextRotation) || !keys.expired(now).isEmpty();
  }

  /** When the next rotation is due. */
  public Instant nextRotation() {
    return nextRotation;
  }

  /** Rotates and retires whatever is due at {@code now}. Blocking (makes evidence). */
  public synchronized Outcome tick(Instant now) {
    List<InnerKeys.Generation> expired = keys.expired(now);
    boolean rotate = !now.isBefore(nextRotation);
    if (!rotate && expired.isEmpty()) {
      return Outcome.NOTHING;
    }
    InnerKeys.Generation fresh = rotate ? keys.prepare() : null;
    InnerKeys.Generation old = keys.current();
    boolean bound;
    try {
      binder.bind(keys.listing(fresh, expired), now);
      bound = true;
    } catch (Exception e) {
      bound = false;
      LOG.severe(
          "enclave "
              + enclaveId
              + " could not make evidence for its new inner key list ("
              + e.getMessage()
              + ")"
              + (fresh == null
                  ? ""
                  : "; it keeps its current keys and tries again in " + RETRY.toSeconds() + " s"));
    }
    if (fresh != null) {
      if (bound) {
        keys.promote(fresh, now.plus(grace));
        nextRotation = now.plus(period);
        LOG.info(
            "enclave "
                + enclaveId
                + ": inner keys rotated to "
                + fresh
                + "; "
                + old
                + " is accepted until "
                + now.plus(grace));
      } else {
        keys.discard(fresh);
        nextRotation = now.plus(RETRY);
      }
    }
    for (InnerKeys.Generation g : expired) {
      keys.retire(g);
      LOG.info("enclave " + enclaveId + ": inner " + g + " retired, its private keys zeroed");
    }
    return new Outcome(fresh != null && bound, expired, bound);
  }
}
