package org.privateprocessing.ohttp;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Zeroes a private key in place. The HPKE backend keeps key bytes in private arrays of its
 * parameter objects and, for X25519 and X-Wing, offers no way to clear them (only ML-KEM's
 * parameters are {@link Destroyable}), so this clears them by reflection: every primitive array
 * held by the key holder itself, by a private {@link AsymmetricKeyParameter} it reaches, or by an
 * {@link AsymmetricCipherKeyPair}'s private half. It never follows anything else (public keys,
 * algorithm parameters, which may be shared by every key of a kind).
 *
 * <p>What this cannot reach: copies the JVM made when its collector moved the arrays, values the
 * backend derived during an operation (shared secrets, expanded keys) and left as garbage, and
 * register or stack spills of compiled code. Those are unreachable and overwritten as memory is
 * reused, but not at a time anyone controls.
 */
final class KeyErasure {
  private KeyErasure() {}

  /**
   * Zeroes what {@code holder} keeps of a private key.
   *
   * @throws DestroyFailedException when the platform refuses the reflective access (the backend
   *     loaded as a named module that does not open its packages)
   */
  static void erase(Object holder) throws DestroyFailedException {
    try {
      walk(holder, true, Collections.newSetFromMap(new IdentityHashMap<>()));
    } catch (InaccessibleObjectException | IllegalAccessException e) {
      DestroyFailedException failed =
          new DestroyFailedException("the HPKE backend's key objects cannot be cleared here");
      failed.initCause(e);
      throw failed;
    }
  }

  /** Whether every byte {@link #erase} would clear is zero (false if it cannot look). */
  static boolean isErased(Object holder) {
    try {
      return walk(holder, false, Collections.newSetFromMap(new IdentityHashMap<>()));
    } catch (InaccessibleObjectException | IllegalAccessException e) {
      return false;
    }
  }

  /** Clears (or, with {@code clear} false, checks) the arrays; true when all were zero. */
  private static boolean walk(Object o, boolean clear, Set<Object> seen)
      throws IllegalAccessException {
    if (o == null || !seen.add(o)) {
      return true;
    }
    boolean zero = true;
    for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        f.setAccessible(true);
        Object v = f.get(o);
        if (v instanceof byte[] b) {
          zero &= clearOrCheck(b, clear);
        } else if (v instanceof short[] s) {
          zero &= clearOrCheck(s, clear);
        } else if (v instanceof int[] i) {
          zero &= clearOrCheck(i, clear);
        } else if (v instanceof long[] l) {
          zero &= clearOrCheck(l, clear);
        } else if (v instanceof AsymmetricCipherKeyPair pair) {
          zero &= walk(pair.getPrivate(), clear, seen);
        } else if (v instanceof AsymmetricKeyParameter p && p.isPrivate()) {
          zero &= walk(p, clear, seen);
        }
      }
    }
    if (clear && o instanceof Destroyable d && !d.isDestroyed()) {
      try {
        d.destroy(); // ML-KEM: also marks the key unusable
      } catch (DestroyFailedException alreadyCleared) {
        // its arrays are zero already
      }
    }
    return zero;
  }

  private static boolean clearOrCheck(byte[] b, boolean clear) {
    if (clear) {
      java.util.Arrays.fill(b, (byte) 0);
      return true;
    }
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean clearOrCheck(short[] s, boolean clear) {
    if (clear) {
      java.util.Arrays.fill(s, (short) 0);
      return true;
    }
    for (short x : s) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean clearOrCheck(int[] a, boolean clear) {
    if (clear) {
      java.util.Arrays.fill(a, 0);
      return true;
    }
    for (int x : a) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean clearOrCheck(long[] a, boolean clear) {
    if (clear) {
      java.util.Arrays.fill(a, 0L);
      return true;
    }
    for (long x : a) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
