package org.privateprocessing.ohttp;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The three libsodium functions the HPKE fast path calls, bound to the system's libsodium through
 * JNA direct mapping (docs/PERFORMANCE.md says why this binding and not lazysodium-java). Only
 * X25519 runs here: libsodium's {@code crypto_scalarmult_curve25519}, constant-time C (and assembly
 * on x86-64); nothing in this package does field arithmetic of its own.
 *
 * <p>{@link #load()} binds the library once per JVM, initialises it and runs a known-answer test;
 * any failure leaves the natives unbound, and {@link Hpke} then uses BouncyCastle.
 */
final class Libsodium {
  /** X25519 scalar, point and output length. */
  static final int X25519_BYTES = 32;

  /**
   * Names tried in order: JNA's own search ({@code libsodium.so}, or the highest versioned file in
   * the library path), then the sonames of Debian/Ubuntu packages without the -dev symlink.
   */
  private static final List<String> LIBRARY_NAMES =
      List.of("sodium", "libsodium.so.23", "libsodium.so.26");

  // RFC 7748 section 5.2, first X25519 test vector: scalar, u-coordinate, output.
  private static final byte[] KAT_SCALAR =
      hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
  private static final byte[] KAT_POINT =
      hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
  private static final byte[] KAT_OUTPUT =
      hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");

  private static final Cleaner CLEANER = Cleaner.create();

  private static String loaded;
  private static RuntimeException failure;

  private Libsodium() {}

  /**
   * Binds and checks libsodium once; returns a description ({@code libsodium 1.0.18
   * (libsodium.so)}).
   *
   * @throws IllegalStateException (also on every later call) when it cannot be used
   */
  static synchronized String load() {
    if (loaded != null) {
      return loaded;
    }
    if (failure != null) {
      throw failure;
    }
    try {
      NativeLibrary library = open();
      Native.register(Libsodium.class, library);
      if (sodium_init() < 0) {
        throw new IllegalStateException("sodium_init failed");
      }
      byte[] out = new byte[X25519_BYTES];
      if (crypto_scalarmult_curve25519(out, KAT_SCALAR, KAT_POINT) != 0
          || !Arrays.equals(out, KAT_OUTPUT)) {
        throw new IllegalStateException("libsodium X25519 failed its RFC 7748 known-answer test");
      }
      loaded = "libsodium " + sodium_version_string() + " (" + library.getFile() + ")";
      return loaded;
    } catch (RuntimeException | LinkageError e) {
      failure = new IllegalStateException(reason(e), e);
      throw failure;
    }
  }

  // The log line gets the innermost message: JNA wraps the JVM's refusal of native access (JDK
  // 24+ with --illegal-native-access=deny) in an ExceptionInInitializerError without one.
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() != null ? t.getMessage() : e.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }

  private static NativeLibrary open() {
    List<String> errors = new ArrayList<>();
    for (String name : LIBRARY_NAMES) {
      try {
        return NativeLibrary.getInstance(name);
      } catch (UnsatisfiedLinkError e) {
        errors.add(name);
      }
    }
    throw new IllegalStateException(
        "no libsodium found (tried "
            + String.join(", ", errors)
            + "; apt-get install libsodium23)");
  }

  /**
   * X25519(scalar, point) into {@code out} (RFC 7748 section 5).
   *
   * @return false when the result is all zeros (a point of small order), which HPKE must reject
   */
  static boolean x25519(byte[] out, byte[] scalar, byte[] point) {
    // libsodium returns -1 for an all-zero result; the OR check below covers any other build.
    return crypto_scalarmult_curve25519(out, scalar, point) == 0 && !isZero(out);
  }

  /** As {@link #x25519(byte[], byte[], byte[])} with an off-heap scalar. */
  static boolean x25519(byte[] out, Scalar scalar, byte[] point) {
    // A cleared scalar is clamped to a valid one by libsodium, so it must be refused here.
    return !scalar.destroyed
        && crypto_scalarmult_curve25519(out, scalar.memory, point) == 0
        && !isZero(out);
  }

  /** X25519(scalar, 9): the public key of {@code scalar}. */
  static byte[] x25519Base(byte[] scalar) {
    byte[] out = new byte[X25519_BYTES];
    if (crypto_scalarmult_curve25519_base(out, scalar) != 0) {
      throw new IllegalStateException("X25519 base point multiplication failed");
    }
    return out;
  }

  // Constant time in the contents: no early exit on a non-zero byte.
  private static boolean isZero(byte[] b) {
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }

  /**
   * A long-lived X25519 private scalar held off the Java heap, so the collector never copies it
   * around; zeroed and freed when its owner becomes unreachable.
   */
  static final class Scalar {
    private final Memory memory;

    /** Copies {@code scalar} off-heap; the caller zeroes its array. */
    Scalar(byte[] scalar) {
      Memory m = new Memory(X25519_BYTES);
      m.write(0, scalar, 0, X25519_BYTES);
      this.memory = m;
      CLEANER.register(this, new Wipe(m));
    }

    private volatile boolean destroyed;

    /**
     * Zeroes the scalar now; it computes nothing afterwards. The memory itself is freed when the
     * Scalar is unreachable (freeing it here could race a computation still reading it).
     */
    void destroy() {
      destroyed = true;
      memory.clear();
    }

    /** Whether {@link #destroy} ran and the memory reads back as zeros. */
    boolean isDestroyed() {
      return destroyed && isZero(memory.getByteArray(0, X25519_BYTES));
    }

    /** Runs after the Scalar is unreachable; holds the memory, never the Scalar. */
    private static final class Wipe implements Runnable {
      private final Memory memory;

      Wipe(Memory memory) {
        this.memory = memory;
      }

      @Override
      public void run() {
        memory.clear();
        memory.close();
      }
    }
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static native int sodium_init();

  private static native String sodium_version_string();

  private static native int crypto_scalarmult_curve25519(byte[] q, byte[] n, byte[] p);

  private static native int crypto_scalarmult_curve25519(byte[] q, Pointer n, byte[] p);

  private static native int crypto_scalarmult_curve25519_base(byte[] q, byte[] n);
}
