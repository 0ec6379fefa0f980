package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the {@code pp.crypto} property and a failing libsodium pick the backend and its log line. */
class HpkeBackendChoiceTest {
  /** Stands in for a loaded libsodium backend: only its name and description are used. */
  private static final HpkeBackend FAST =
      (HpkeBackend)
          Proxy.newProxyInstance(
              HpkeBackend.class.getClassLoader(),
              new Class<?>[] {HpkeBackend.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "name":
                    return "libsodium";
                  case "toString":
                    return "X25519 from libsodium 1.0.18 at /usr/lib/libsodium.so";
                  default:
                    throw new UnsupportedOperationException(method.getName());
                }
              });

  private final AtomicInteger loads = new AtomicInteger();

  private Supplier<HpkeBackend> loads() {
    return () -> {
      loads.incrementAndGet();
      return FAST;
    };
  }

  private static Supplier<HpkeBackend> fails(RuntimeException e) {
    return () -> {
      throw e;
    };
  }

  @Test
  @DisplayName("unset, auto or libsodium (any case) choose libsodium when it loads, at INFO")
  void default_prefersLibsodium() {
    for (String p : new String[] {null, "auto", "libsodium", " LibSodium "}) {
      HpkeBackend.Choice c = HpkeBackend.choose(p, loads());
      assertThat(c.backend()).as(p).isSameAs(FAST);
      assertThat(c.warning()).as(p).isFalse();
      assertThat(c.message())
          .as(p)
          .isEqualTo("HPKE backend: X25519 from libsodium 1.0.18 at /usr/lib/libsodium.so");
    }
  }

  @Test
  @DisplayName("bouncycastle forces the fallback without touching libsodium")
  void bouncycastle_forcesFallbackWithoutLoading() {
    HpkeBackend.Choice c = HpkeBackend.choose("bouncycastle", loads());
    assertThat(c.backend()).isInstanceOf(BouncyCastleHpke.class);
    assertThat(c.backend().name()).isEqualTo("bouncycastle");
    assertThat(c.message()).isEqualTo("HPKE backend: BouncyCastle (pp.crypto=bouncycastle)");
    assertThat(c.warning()).isFalse();
    assertThat(loads.get()).isZero();
  }

  @Test
  @DisplayName("a libsodium that cannot load falls back to BouncyCastle and says why, on one line")
  void loadFailure_fallsBackWithReason() {
    HpkeBackend.Choice c =
        HpkeBackend.choose(null, fails(new IllegalStateException("no libsodium found\nat x")));
    assertThat(c.backend()).isInstanceOf(BouncyCastleHpke.class);
    assertThat(c.message())
        .isEqualTo(
            "HPKE backend: BouncyCastle, because libsodium did not load: no libsodium found");
    assertThat(c.warning()).as("normal on other platforms").isFalse();

    HpkeBackend.Choice asked =
        HpkeBackend.choose("libsodium", fails(new IllegalStateException("no libsodium found")));
    assertThat(asked.backend()).isInstanceOf(BouncyCastleHpke.class);
    assertThat(asked.warning()).as("asked for by name").isTrue();
  }

  @Test
  @DisplayName("a JNA that cannot link falls back too")
  void linkageError_fallsBack() {
    HpkeBackend.Choice c =
        HpkeBackend.choose(
            "auto",
            () -> {
              throw new UnsatisfiedLinkError("jnidispatch");
            });
    assertThat(c.backend()).isInstanceOf(BouncyCastleHpke.class);
    assertThat(c.message()).endsWith("libsodium did not load: jnidispatch");
  }

  @Test
  @DisplayName("an unknown value is named in a warning and treated as auto")
  void unknownValue_warnsAndActsAsAuto() {
    HpkeBackend.Choice c = HpkeBackend.choose("openssl", loads());
    assertThat(c.backend()).isSameAs(FAST);
    assertThat(c.warning()).isTrue();
    assertThat(c.message())
        .endsWith("; pp.crypto=openssl is not one of auto, libsodium, bouncycastle, so auto");
  }

  @Test
  @DisplayName(
      "this JVM's backend is libsodium on Linux x86-64 unless pp.crypto forces BouncyCastle")
  void thisJvm_usesExpectedBackend() {
    String expected =
        "bouncycastle".equals(System.getProperty(Hpke.BACKEND_PROPERTY))
                || !HpkeBackends.expectLibsodium()
            ? "bouncycastle"
            : "libsodium";
    assertThat(Hpke.backend().name()).isEqualTo(expected);
    assertThat(OhttpCrypto.backend()).isEqualTo(expected);
  }
}
