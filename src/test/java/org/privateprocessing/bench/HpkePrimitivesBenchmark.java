package org.privateprocessing.bench;

import com.sun.jna.Native;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The primitives under one HPKE decapsulation, each from every library that offers it, so the
 * choice of backend per primitive (issue #17, docs/PERFORMANCE.md) rests on a measurement: X25519
 * (BouncyCastle, libsodium through JNA), AES-128-GCM and ChaCha20-Poly1305 over 1 KiB (the JDK's
 * SunJCE provider, BouncyCastle, and libsodium for ChaCha20-Poly1305), HMAC-SHA256 over 64 bytes.
 *
 * <p>Each operation includes what a request pays: a fresh cipher or MAC object and its key setup
 * (every HPKE context has its own key). The libsodium calls use this class's own JNA binding to the
 * system library, the same way the project's binding does, so {@link #x25519Libsodium} is the
 * bare-libsodium-through-Java rate the decapsulation is compared with.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class HpkePrimitivesBenchmark {
  private static final Provider SUN_JCE = Security.getProvider("SunJCE");

  private final byte[] scalar = new byte[32];
  private final byte[] point = new byte[32];
  private final byte[] shared = new byte[32];
  private final byte[] key16 = new byte[16];
  private final byte[] key32 = new byte[32];
  private final byte[] nonce = new byte[12];
  private final byte[] plaintext = new byte[1024];
  private final byte[] hmacInput = new byte[64];
  private final long[] sealedLength = new long[1];
  private boolean libsodium;

  /** Direct-mapped libsodium functions (JNA), registered once per JVM. */
  static final class Sodium {
    static native int sodium_init();

    static native int crypto_scalarmult_curve25519(byte[] q, byte[] n, byte[] p);

    static native int crypto_scalarmult_curve25519_base(byte[] q, byte[] n);

    static native int crypto_aead_chacha20poly1305_ietf_encrypt(
        byte[] c,
        long[] clen,
        byte[] m,
        long mlen,
        byte[] ad,
        long adlen,
        byte[] nsec,
        byte[] npub,
        byte[] k);

    static {
      Native.register(Sodium.class, "sodium");
    }

    private Sodium() {}
  }

  @Setup(Level.Trial)
  public void setUp() {
    SecureRandom random = new SecureRandom();
    random.nextBytes(scalar);
    random.nextBytes(key16);
    random.nextBytes(key32);
    random.nextBytes(plaintext);
    random.nextBytes(hmacInput);
    byte[] other = new byte[32];
    random.nextBytes(other);
    X25519.scalarMultBase(other, 0, point, 0);
    try {
      libsodium = Sodium.sodium_init() >= 0;
    } catch (LinkageError e) {
      libsodium = false;
    }
  }

  @Benchmark
  public byte[] x25519BouncyCastle() {
    X25519.scalarMult(scalar, 0, point, 0, shared, 0);
    return shared;
  }

  @Benchmark
  public byte[] x25519Libsodium() {
    requireLibsodium();
    Sodium.crypto_scalarmult_curve25519(shared, scalar, point);
    return shared;
  }

  @Benchmark
  public byte[] aes128GcmSealJdk() throws GeneralSecurityException {
    nonce[0]++; // the JDK refuses to encrypt twice under one key and nonce
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", SUN_JCE);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key16, "AES"), new GCMParameterSpec(128, nonce));
    return c.doFinal(plaintext);
  }

  @Benchmark
  public byte[] aes128GcmSealBouncyCastle() throws InvalidCipherTextException {
    GCMBlockCipher c = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    c.init(true, new AEADParameters(new KeyParameter(key16), 128, nonce));
    byte[] out = new byte[c.getOutputSize(plaintext.length)];
    int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
    c.doFinal(out, n);
    return out;
  }

  @Benchmark
  public byte[] chacha20Poly1305SealJdk() throws GeneralSecurityException {
    nonce[0]++;
    Cipher c = Cipher.getInstance("ChaCha20-Poly1305", SUN_JCE);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key32, "ChaCha20"), new IvParameterSpec(nonce));
    return c.doFinal(plaintext);
  }

  @Benchmark
  public byte[] chacha20Poly1305SealBouncyCastle() throws InvalidCipherTextException {
    ChaCha20Poly1305 c = new ChaCha20Poly1305();
    c.init(true, new AEADParameters(new KeyParameter(key32), 128, nonce));
    byte[] out = new byte[c.getOutputSize(plaintext.length)];
    int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
    c.doFinal(out, n);
    return out;
  }

  @Benchmark
  public byte[] chacha20Poly1305SealLibsodium() {
    requireLibsodium();
    byte[] out = new byte[plaintext.length + 16];
    Sodium.crypto_aead_chacha20poly1305_ietf_encrypt(
        out, sealedLength, plaintext, plaintext.length, null, 0, null, nonce, key32);
    return out;
  }

  @Benchmark
  public byte[] hmacSha256Jdk() throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256", SUN_JCE);
    mac.init(new SecretKeySpec(key32, "HmacSHA256"));
    return mac.doFinal(hmacInput);
  }

  @Benchmark
  public byte[] hmacSha256BouncyCastle() {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key32));
    mac.update(hmacInput, 0, hmacInput.length);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  private void requireLibsodium() {
    if (!libsodium) {
      throw new IllegalStateException(
          "libsodium is not loadable here (apt-get install libsodium23)");
    }
  }
}
