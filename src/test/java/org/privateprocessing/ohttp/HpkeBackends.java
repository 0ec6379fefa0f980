package org.privateprocessing.ohttp;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Both HPKE backends for parameterised tests. libsodium must load on Linux x86-64, the platform the
 * project runs on (install {@code libsodium23}); elsewhere only BouncyCastle is tested.
 */
final class HpkeBackends {
  static final HpkeBackend BOUNCY_CASTLE = new BouncyCastleHpke();

  private HpkeBackends() {}

  /** The libsodium backend, or null on a platform where it is not expected. */
  static HpkeBackend libsodium() {
    try {
      return LibsodiumHpke.load();
    } catch (RuntimeException | LinkageError e) {
      if (expectLibsodium()) {
        throw new AssertionError(
            "libsodium must load on Linux x86-64 (apt-get install libsodium23): " + e, e);
      }
      return null;
    }
  }

  static boolean expectLibsodium() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /** Every backend that runs here: BouncyCastle, then libsodium. */
  static List<HpkeBackend> all() {
    HpkeBackend fast = libsodium();
    return fast == null ? List.of(BOUNCY_CASTLE) : List.of(BOUNCY_CASTLE, fast);
  }

  static Stream<HpkeBackend> stream() {
    return all().stream();
  }
}
