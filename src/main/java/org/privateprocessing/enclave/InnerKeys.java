package org.privateprocessing.enclave;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;
import javax.security.auth.DestroyFailedException;
import org.privateprocessing.core.ServerKeys;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestDecapsulator;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.RequestDecapsulator;

/**
 * An enclave's inner-layer keys over time, in generations of one key set each ({@link ServerKeys}:
 * X-Wing and X25519). At any time there is one <em>current</em> generation, the one clients are
 * told to seal to; while a rotation is under way, a <em>pending</em> one (accepted, not yet listed:
 * its evidence is being made); and older <em>retiring</em> ones, accepted until their grace ends,
 * then zeroed ({@link #retire}). {@link KeyRotation} decides when each step happens.
 *
 * <p>Key ids are one byte (RFC 9458 section 3), so generations cycle through them: generation
 * {@code n} takes ids {@code 2n+1} (X-Wing) and {@code 2n} (X25519) modulo 256, skipping any pair a
 * live generation still holds. Generation 0 has the ids of a key set that never rotates (1 and 0).
 *
 * <p>Thread-safe. A decapsulation holds a read lock for its duration and retiring a generation
 * takes the write lock, so a key is never zeroed while a request is being opened with it.
 */
public final class InnerKeys {
  private static final Logger LOG = Logger.getLogger(InnerKeys.class.getName());

  /** Key ids are one byte. */
  private static final int KEY_IDS = 256;

  /** One key set, its number, and once it retires, when its grace ends. */
  public static final class Generation {
    private final int number;
    private final RequestDecapsulator keys;
    private volatile Instant retiresAt;

    private Generation(int number, RequestDecapsulator keys) {
      this.number = number;
      this.keys = keys;
    }

    /** Counts from 0 at the enclave's start. */
    public int number() {
      return number;
    }

    public List<KeyConfig> configs() {
      return keys.configs();
    }

    /** When this generation stops being accepted; null while it is pending or current. */
    public Instant retiresAt() {
      return retiresAt;
    }

    /** Whether every private key byte of this generation is zero (it has been retired). */
    public boolean isDestroyed() {
      return keys.isDestroyed();
    }

    boolean holds(int keyId) {
      return keys.hasKeyId(keyId);
    }

    @Override
    public String toString() {
      StringBuilder ids = new StringBuilder();
      for (KeyConfig c : keys.configs()) {
        ids.append(ids.length() == 0 ? "" : ", ").append(c.keyId());
      }
      return "generation " + number + " (key ids " + ids + ")";
    }
  }

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final SecureRandom random;
  private Generation pending;
  private Generation current;

  /** Newest first. */
  private final List<Generation> retiring = new ArrayList<>();

  private int nextNumber;

  private InnerKeys(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Fresh keys: generation 0, current. */
  public static InnerKeys generate(SecureRandom random) {
    InnerKeys k = new InnerKeys(random);
    k.current = k.newGeneration(Set.of());
    return k;
  }

  /** Every config accepted now: pending, current, then retiring (newest first). */
  public List<KeyConfig> configs() {
    lock.readLock().lock();
    try {
      List<KeyConfig> out = new ArrayList<>();
      for (Generation g : live()) {
        out.addAll(g.configs());
      }
      return List.copyOf(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * What clients should be told, as the evidence will bind it: {@code first} (a pending generation,
   * or null), then current, then the retiring ones not in {@code leaving}, newest first. Clients
   * prefer the first config of their KEM, so the newest generation is the one they seal to.
   */
  public List<KeyConfig> listing(Generation first, List<Generation> leaving) {
    lock.readLock().lock();
    try {
      List<KeyConfig> out = new ArrayList<>();
      if (first != null) {
        out.addAll(first.configs());
      }
      out.addAll(current.configs());
      for (Generation g : retiring) {
        if (!leaving.contains(g)) {
          out.addAll(g.configs());
        }
      }
      return List.copyOf(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The accepted config with this key id, if any. */
  public Optional<KeyConfig> config(int keyId) {
    lock.readLock().lock();
    try {
      for (Generation g : live()) {
        for (KeyConfig c : g.configs()) {
          if (c.keyId() == keyId) {
            return Optional.of(c);
          }
        }
      }
      return Optional.empty();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Opens an inner request with the accepted key its header names.
   *
   * @throws OhttpException {@code UNKNOWN_KEY_ID} when no accepted key has that id (a retired one,
   *     say), or whatever decapsulation finds wrong
   */
  public DecapsulatedRequest decapsulate(byte[] request) throws OhttpException {
    lock.readLock().lock();
    try {
      int keyId = request.length == 0 ? -1 : request[0] & 0xff;
      for (Generation g : live()) {
        if (g.holds(keyId)) {
          return g.keys.decapsulate(request);
        }
      }
      // The first generation's decapsulator reports truncation and unknown ids alike.
      return current.keys.decapsulate(request);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * An opener for one chunked inner request that arrives piece by piece, with the accepted key
   * {@code keyId} names (the first byte of its header), or the current one when none does (the
   * opener then refuses the header).
   */
  public ChunkedRequestDecapsulator chunkedOpener(int keyId, ChunkLimits limits) {
    lock.readLock().lock();
    try {
      RequestDecapsulator keys = current.keys;
      for (Generation g : live()) {
        if (g.holds(keyId)) {
          keys = g.keys;
          break;
        }
      }
      return new ChunkedRequestDecapsulator(keys, limits);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Opens a chunked inner request (draft-ietf-ohai-chunked-ohttp-08) that arrived whole, with the
   * accepted key its header names: every chunk and the final one. The plaintext chunks are joined
   * and wiped.
   *
   * @throws OhttpException as {@link #decapsulate}, TRUNCATED without the final chunk, TOO_LARGE
   *     past {@code limits}
   */
  public OpenedStream decapsulateChunked(byte[] request, ChunkLimits limits) throws OhttpException {
    lock.readLock().lock();
    try {
      int keyId = request.length == 0 ? -1 : request[0] & 0xff;
      RequestDecapsulator keys = current.keys;
      for (Generation g : live()) {
        if (g.holds(keyId)) {
          keys = g.keys;
          break;
        }
      }
      ChunkedRequestDecapsulator opener = new ChunkedRequestDecapsulator(keys, limits);
      List<byte[]> parts = new ArrayList<>(opener.feed(request));
      parts.add(opener.finish());
      int total = 0;
      for (byte[] p : parts) {
        total += p.length;
      }
      byte[] plaintext = new byte[total];
      int at = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, plaintext, at, p.length);
        at += p.length;
        Arrays.fill(p, (byte) 0);
      }
      return new OpenedStream(plaintext, opener.sealer());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The generation clients are told to seal to. */
  public Generation current() {
    lock.readLock().lock();
    try {
      return current;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The retiring generations, newest first. */
  public List<Generation> retiring() {
    lock.readLock().lock();
    try {
      return List.copyOf(retiring);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Retiring generations whose grace has ended at {@code now}. */
  public List<Generation> expired(Instant now) {
    lock.readLock().lock();
    try {
      return retiring.stream().filter(g -> !now.isBefore(g.retiresAt)).toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Generates the next generation and accepts it at once, before anyone can know its keys: it is
   * listed only once evidence binds it ({@link #promote}), or dropped ({@link #discard}).
   *
   * @throws IllegalStateException if a generation is pending already
   */
  public Generation prepare() {
    lock.writeLock().lock();
    try {
      if (pending != null) {
        throw new IllegalStateException(pending + " is pending already");
      }
      Set<Integer> taken = new HashSet<>();
      for (Generation g : live()) {
        g.configs().forEach(c -> taken.add(c.keyId()));
      }
      pending = newGeneration(taken);
      return pending;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Makes the pending generation current; the one that was current retires at {@code retiresAt}.
   */
  public void promote(Generation next, Instant retiresAt) {
    lock.writeLock().lock();
    try {
      requirePending(next);
      current.retiresAt = Objects.requireNonNull(retiresAt, "retiresAt");
      retiring.add(0, current);
      current = next;
      pending = null;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Drops the pending generation (its evidence could not be made) and zeroes its keys. */
  public void discard(Generation next) {
    lock.writeLock().lock();
    try {
      requirePending(next);
      pending = null;
      destroy(next);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Stops accepting a retiring generation and zeroes its private keys; requests sealed to it get
   * {@code inner-unknown-key} from then on. Waits for decapsulations in progress.
   */
  public void retire(Generation old) {
    lock.writeLock().lock();
    try {
      if (!retiring.remove(old)) {
        throw new IllegalStateException(old + " is not retiring");
      }
      destroy(old);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void requirePending(Generation g) {
    if (g == null || g != pending) {
      throw new IllegalStateException(g + " is not the pending generation");
    }
  }

  /** Pending, current, retiring newest first; call with a lock held. */
  private List<Generation> live() {
    List<Generation> out = new ArrayList<>(retiring.size() + 2);
    if (pending != null) {
      out.add(pending);
    }
    out.add(current);
    out.addAll(retiring);
    return out;
  }

  private Generation newGeneration(Set<Integer> taken) {
    for (int tries = 0; tries < KEY_IDS / 2; tries++) {
      int number = nextNumber++;
      int x25519 = (2 * number) % KEY_IDS;
      int xwing = x25519 + 1;
      if (!taken.contains(x25519) && !taken.contains(xwing)) {
        return new Generation(number, ServerKeys.generate(xwing, x25519, random));
      }
    }
    throw new IllegalStateException("every inner key id is held by a live generation");
  }

  private static void destroy(Generation g) {
    try {
      g.keys.destroy();
    } catch (DestroyFailedException e) {
      // The keys are unreachable from here on all the same; the log says what was not cleared.
      LOG.warning(
          "the private keys of inner "
              + g
              + " could not be zeroed ("
              + e.getMessage()
              + "); they are dropped and wait for the collector");
    }
  }
}
