package org.privateprocessing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.SimulatedSnpProvider;
import org.privateprocessing.enclave.EnclaveIdentity;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;

/** The client believes an enclave only when every part of its evidence checks out. */
class EnclaveTrustTest {
  static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
  static final byte[] MEASUREMENT =
      SimulatedSnpProvider.measure("release 1".getBytes(StandardCharsets.UTF_8));
  static final String HEX = HexFormat.of().formatHex(MEASUREMENT);
  static SimulatedSnpProvider provider;
  static List<KeyConfig> configs;
  static String evidence;

  @BeforeAll
  static void setUp() throws Exception {
    provider = new SimulatedSnpProvider(MEASUREMENT, new SecureRandom(), NOW);
    configs = EnclaveIdentity.generate("ab", null, new SecureRandom()).keyConfigs();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair tls = g.generateKeyPair();
    evidence =
        b64(
            EnclaveEvidence.produce(provider, KeyConfigs.encode(configs), tls.getPublic(), NOW)
                .encode());
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static EnclaveTrust trust() {
    return EnclaveTrust.simulated(provider.ark(), List.of(HEX))
        .withClock(Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC));
  }

  static String refusal(EnclaveTrust.Outcome o) {
    assertThat(o).isInstanceOf(EnclaveTrust.Refused.class);
    return ((EnclaveTrust.Refused) o).reason();
  }

  @Test
  @DisplayName("genuine evidence for an allowed measurement yields the keys its report binds")
  void verified() {
    EnclaveTrust.Outcome o = trust().verify("ab", evidence, configs);
    assertThat(o).isInstanceOf(EnclaveTrust.Verified.class);
    EnclaveDescriptor d = ((EnclaveTrust.Verified) o).descriptor();
    assertThat(d.measurement()).isEqualTo(HEX);
    assertThat(d.keyConfigs())
        .extracting(KeyConfig::encode)
        .containsExactlyElementsOf(configs.stream().map(KeyConfig::encode).toList());
  }

  @Test
  @DisplayName(
      "a client told to trust nothing refuses every enclave and says how to configure trust")
  void trustsNothingByDefault() {
    assertThat(refusal(EnclaveTrust.none().verify("ab", evidence, configs)))
        .contains("trusts no enclave measurement");
  }

  @Test
  @DisplayName(
      "missing, unreadable, other-measurement, stale, untrusted-root evidence and swapped keys are refused with the reason")
  void refusals() {
    assertThat(refusal(trust().verify("ab", null, configs)))
        .contains("without attestation evidence");
    assertThat(refusal(trust().verify("ab", "!!", configs))).contains("cannot be read");
    assertThat(
            refusal(
                EnclaveTrust.simulated(provider.ark(), List.of("00".repeat(48)))
                    .withClock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .verify("ab", evidence, configs)))
        .contains("MEASUREMENT");
    assertThat(
            refusal(
                trust()
                    .withClock(Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC))
                    .verify("ab", evidence, configs)))
        .contains("FRESHNESS");
    assertThat(
            refusal(
                EnclaveTrust.amd(List.of(HEX))
                    .withClock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .verify("ab", evidence, configs)))
        .contains("SIMULATED_ROOT");
    List<KeyConfig> other = EnclaveIdentity.generate("cd", null, new SecureRandom()).keyConfigs();
    assertThat(refusal(trust().verify("ab", evidence, other)))
        .contains("not the ones its evidence binds");
  }

  @Test
  @DisplayName("a single flipped bit anywhere in the evidence gets the enclave refused")
  void everyFlippedBit() {
    byte[] der = Base64.getUrlDecoder().decode(evidence);
    for (int i = 0; i < der.length; i += 3) {
      byte[] bad = der.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      assertThat(trust().verify("ab", b64(bad), configs))
          .as("flip at %d", i)
          .isInstanceOf(EnclaveTrust.Refused.class);
    }
  }

  @Test
  @DisplayName("malformed measurements in trust settings are refused when the settings are made")
  void badMeasurements() {
    assertThatThrownBy(() -> EnclaveTrust.amd(List.of("xyz")))
        .hasMessageContaining("96 hex digits");
  }
}
