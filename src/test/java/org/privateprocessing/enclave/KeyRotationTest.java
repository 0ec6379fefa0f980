package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.attest.AttestationException;
import org.privateprocessing.client.EnclaveTrust;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * Inner key rotation (issue #14, finding 6) with a controllable clock: every step is driven by the
 * instants given to {@link KeyRotation#tick}, and evidence is made by a real (simulated) {@link
 * EnclaveAttestation}, so what a client would verify is checked too.
 */
class KeyRotationTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
  private static final Duration PERIOD = Duration.ofHours(1);
  private static final Duration GRACE = Duration.ofMinutes(5);

  private static final String CHAT =
      "{\"chat\":{\"id\":\"c1\"},\"messages\":[{\"id\":\"m1\",\"from\":\"A\","
          + "\"text\":\"Shall we meet on Saturday at the bakery?\"}]}";

  private final EnclaveIdentity unattested = EnclaveIdentity.generate("ab12", null, RANDOM);
  private final EnclaveAttestation attestation = attest(unattested);
  private final EnclaveIdentity identity = unattested.withAttestation(attestation);
  private final EnclaveStage stage = new EnclaveStage(identity, new EmbeddedModel());
  private final EnclaveHandshake handshake = new EnclaveHandshake(identity);

  private static EnclaveAttestation attest(EnclaveIdentity keys) {
    try {
      return EnclaveAttestation.start(
          new AttestationOptions(
              AttestationOptions.SIMULATED, Path.of("/nonexistent"), 60, "127.0.0.1", -1),
          keys.id(),
          keys.keyConfigs(),
          null,
          RANDOM,
          START);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private KeyRotation rotation(KeyRotation.Binder binder) {
    return new KeyRotation(identity.id(), identity.keys(), binder, PERIOD, GRACE, START);
  }

  private KeyRotation rotation() {
    return rotation(attestation::bind);
  }

  /** Sends a summarise request sealed to {@code config} through the whole stage. */
  private int statusOfRequestTo(KeyConfig config) throws Exception {
    EncapsulatedRequest sealed =
        RequestEncapsulator.encapsulate(
            config,
            EnclaveApiTest.post("/v1/summarize", "application/json", CHAT).encode(),
            RANDOM);
    Envelope answer = stage.handle(Envelope.of(Envelope.Kind.INNER_REQUEST, sealed.bytes()));
    return BinaryHttpResponse.parse(sealed.opener().open(answer.ciphertext())).status();
  }

  private String refusalOfRequestTo(KeyConfig config) throws Exception {
    byte[] sealed = RequestEncapsulator.encapsulate(config, new byte[] {1}, RANDOM).bytes();
    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> stage.handle(Envelope.of(Envelope.Kind.INNER_REQUEST, sealed)));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.status()).isEqualTo(400);
    return e.problem().type().substring(Problem.TYPE_PREFIX.length());
  }

  private static KeyConfig xwing(List<KeyConfig> configs) {
    return configs.stream().filter(c -> c.kemId() == HpkeIds.KEM_X_WING).findFirst().orElseThrow();
  }

  private static List<Integer> ids(List<KeyConfig> configs) {
    return configs.stream().map(KeyConfig::keyId).toList();
  }

  /** The key configs of the listing, as a client reads them. */
  private List<KeyConfig> listed() throws Exception {
    return KeyConfigs.parse(
        Base64.getUrlDecoder().decode(handshake.describe().getString("keyConfigs")));
  }

  /** What a client trusting this enclave's release makes of its listing at {@code now}. */
  private EnclaveTrust.Outcome verifiedAt(Instant now) throws Exception {
    JsonObject entry = handshake.describe();
    return EnclaveTrust.simulated(
            attestation.simulatedRoot().orElseThrow(), List.of(attestation.measurementHex()))
        .withClock(Clock.fixed(now, ZoneOffset.UTC))
        .verify(entry.getString("id"), entry.getString("evidence"), listed());
  }

  @Test
  @DisplayName("before the period ends nothing changes and the first keys serve")
  void beforeThePeriod_theFirstKeysServe() throws Exception {
    KeyRotation rotation = rotation();
    List<KeyConfig> first = identity.keyConfigs();
    assertThat(ids(first)).containsExactly(1, 0);
    Instant almost = START.plus(PERIOD).minusSeconds(1);
    assertThat(rotation.due(almost)).isFalse();
    assertThat(rotation.tick(almost)).isEqualTo(KeyRotation.Outcome.NOTHING);
    assertThat(identity.keyConfigs()).isEqualTo(first);
    assertThat(listed()).isEqualTo(first);
    for (KeyConfig c : first) {
      assertThat(statusOfRequestTo(c)).isEqualTo(200);
    }
  }

  @Test
  @DisplayName(
      "at the period, new keys are attested and listed first; during the grace old and new keys"
          + " both serve and the evidence a client verifies covers both")
  void atThePeriod_newKeysAreListedFirst_bothServe() throws Exception {
    KeyRotation rotation = rotation();
    List<KeyConfig> old = identity.keyConfigs();
    Instant at = START.plus(PERIOD);
    assertThat(rotation.due(at)).isTrue();

    KeyRotation.Outcome outcome = rotation.tick(at);

    assertThat(outcome.rotated()).isTrue();
    assertThat(outcome.changed()).isTrue();
    assertThat(outcome.retired()).isEmpty();
    List<KeyConfig> now = listed();
    assertThat(ids(now)).containsExactly(3, 2, 1, 0);
    assertThat(now.subList(2, 4)).isEqualTo(old);
    // The evidence binds exactly the listed configs, and was made at the rotation.
    assertThat(attestation.evidence().keyConfigs()).isEqualTo(KeyConfigs.encode(now));
    assertThat(attestation.evidence().producedAt()).isEqualTo(at);
    EnclaveTrust.Outcome verdict = verifiedAt(at.plusSeconds(10));
    assertThat(verdict).isInstanceOf(EnclaveTrust.Verified.class);
    // Clients seal to the first X-Wing config: the new one.
    assertThat(((EnclaveTrust.Verified) verdict).descriptor().preferredKeyConfig().keyId())
        .isEqualTo(3);
    for (KeyConfig c : now) {
      assertThat(statusOfRequestTo(c)).as("key id %d", c.keyId()).isEqualTo(200);
    }
    assertThat(rotation.due(at.plus(GRACE).minusSeconds(1))).isFalse();
    assertThat(rotation.nextRotation()).isEqualTo(at.plus(PERIOD));
  }

  @Test
  @DisplayName(
      "after the grace the old keys get inner-unknown-key, their private bytes are zeroed, and the"
          + " evidence binds the new keys only")
  void afterTheGrace_oldKeysAreRefusedAndZeroed() throws Exception {
    KeyRotation rotation = rotation();
    List<KeyConfig> old = identity.keyConfigs();
    InnerKeys.Generation first = identity.keys().current();
    rotation.tick(START.plus(PERIOD));
    List<KeyConfig> fresh = identity.keys().current().configs();
    assertThat(first.isDestroyed()).isFalse();
    Instant end = START.plus(PERIOD).plus(GRACE);

    KeyRotation.Outcome outcome = rotation.tick(end);

    assertThat(outcome.rotated()).isFalse();
    assertThat(outcome.retired()).containsExactly(first);
    assertThat(first.isDestroyed()).as("the old private keys are zeroed").isTrue();
    for (KeyConfig c : old) {
      assertThat(refusalOfRequestTo(c)).isEqualTo("inner-unknown-key");
    }
    for (KeyConfig c : fresh) {
      assertThat(statusOfRequestTo(c)).isEqualTo(200);
    }
    assertThat(listed()).isEqualTo(fresh);
    assertThat(attestation.evidence().keyConfigs()).isEqualTo(KeyConfigs.encode(fresh));
    assertThat(verifiedAt(end)).isInstanceOf(EnclaveTrust.Verified.class);
  }

  @Test
  @DisplayName(
      "key ids cycle through the byte, two per generation, and never repeat one that is still live")
  void keyIds_cycleWithoutCollision() throws Exception {
    List<List<KeyConfig>> bound = new ArrayList<>();
    KeyRotation rotation =
        rotation((configs, now) -> bound.add(configs)); // no evidence needed for the ids
    Instant t = START;
    for (int n = 1; n <= 300; n++) {
      t = t.plus(PERIOD);
      rotation.tick(t);
      List<Integer> live = ids(identity.keyConfigs());
      assertThat(new HashSet<>(live)).as("rotation %d: live ids distinct", n).hasSize(4);
      int x25519 = (2 * n) % 256;
      assertThat(ids(identity.keys().current().configs()))
          .as("rotation %d", n)
          .containsExactly(x25519 + 1, x25519);
      rotation.tick(t.plus(GRACE));
      assertThat(identity.keyConfigs()).hasSize(2);
    }
    assertThat(bound).hasSize(600);
    Set<Integer> all = new HashSet<>();
    bound.forEach(list -> all.addAll(ids(list)));
    assertThat(all).hasSize(256);
  }

  @Test
  @DisplayName(
      "when evidence cannot be made the new keys are dropped and zeroed, the old ones stay current,"
          + " and the rotation is tried again later")
  void evidenceFailure_keepsTheCurrentKeys() throws Exception {
    boolean[] fail = {true};
    KeyRotation rotation =
        rotation(
            (configs, now) -> {
              if (fail[0]) {
                throw new AttestationException(
                    AttestationException.Reason.UNAVAILABLE, "no report now");
              }
              attestation.bind(configs, now);
            });
    List<KeyConfig> old = identity.keyConfigs();
    Instant at = START.plus(PERIOD);

    KeyRotation.Outcome failed = rotation.tick(at);

    assertThat(failed.rotated()).isFalse();
    assertThat(failed.changed()).isFalse();
    assertThat(identity.keyConfigs()).isEqualTo(old);
    assertThat(listed()).isEqualTo(old);
    assertThat(rotation.nextRotation()).isEqualTo(at.plus(KeyRotation.RETRY));
    assertThat(rotation.due(at.plusSeconds(1))).isFalse();

    fail[0] = false;
    KeyRotation.Outcome retried = rotation.tick(at.plus(KeyRotation.RETRY));
    assertThat(retried.rotated()).isTrue();
    // Generation 1 was dropped; its ids are free, but the next generation takes its own.
    assertThat(ids(listed())).containsExactly(5, 4, 1, 0);
  }

  @Test
  @DisplayName("a dropped pending generation is zeroed")
  void discard_zeroesThePendingGeneration() {
    InnerKeys keys = InnerKeys.generate(RANDOM);
    InnerKeys.Generation pending = keys.prepare();
    assertThat(keys.configs()).hasSize(4);
    assertThatThrownBy(keys::prepare).isInstanceOf(IllegalStateException.class);
    keys.discard(pending);
    assertThat(pending.isDestroyed()).isTrue();
    assertThat(ids(keys.configs())).containsExactly(1, 0);
  }

  @Test
  @DisplayName("an expired key is zeroed on time even when evidence cannot be renewed")
  void retirement_doesNotWaitForEvidence() throws Exception {
    boolean[] fail = {false};
    KeyRotation rotation =
        rotation(
            (configs, now) -> {
              if (fail[0]) {
                throw new AttestationException(
                    AttestationException.Reason.UNAVAILABLE, "no report now");
              }
              attestation.bind(configs, now);
            });
    InnerKeys.Generation first = identity.keys().current();
    rotation.tick(START.plus(PERIOD));
    fail[0] = true;

    KeyRotation.Outcome outcome = rotation.tick(START.plus(PERIOD).plus(GRACE));

    assertThat(outcome.retired()).containsExactly(first);
    assertThat(outcome.changed()).isFalse();
    assertThat(first.isDestroyed()).isTrue();
    assertThat(refusalOfRequestTo(first.configs().get(0))).isEqualTo("inner-unknown-key");
  }

  @Test
  @DisplayName("the grace must be positive and shorter than the period")
  void graceMustBeShorterThanThePeriod() {
    for (Duration grace : List.of(Duration.ZERO, PERIOD, PERIOD.plusSeconds(1))) {
      assertThatThrownBy(
              () -> new KeyRotation("ab12", identity.keys(), (c, n) -> {}, PERIOD, grace, START))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("grace");
    }
  }

  @Nested
  @DisplayName("enclave.keyRotationSeconds and enclave.keyGraceSeconds")
  class Settings {
    @Test
    @DisplayName("default to an hour and five minutes; the grace defaults to half a short period")
    void defaults() {
      EnclaveOptions none = EnclaveOptions.fromJson(new JsonObject());
      assertThat(none.keyRotation()).isEqualTo(Duration.ofHours(1));
      assertThat(none.keyGrace()).isEqualTo(Duration.ofMinutes(5));
      EnclaveOptions short60 =
          EnclaveOptions.fromJson(new JsonObject().put("keyRotationSeconds", 60));
      assertThat(short60.keyGrace()).isEqualTo(Duration.ofSeconds(30));
      EnclaveOptions both =
          EnclaveOptions.fromJson(
              new JsonObject().put("keyRotationSeconds", 600).put("keyGraceSeconds", 120));
      assertThat(both.keyRotation()).isEqualTo(Duration.ofMinutes(10));
      assertThat(both.keyGrace()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    @DisplayName("bad values are refused naming the setting")
    void badValues() {
      List<JsonObject> bad =
          List.of(
              new JsonObject().put("keyRotationSeconds", 0),
              new JsonObject().put("keyRotationSeconds", 86_401),
              new JsonObject().put("keyRotationSeconds", "3600"),
              new JsonObject().put("keyRotationSeconds", 1.5),
              new JsonObject().put("keyGraceSeconds", 0),
              new JsonObject().put("keyGraceSeconds", 3600),
              new JsonObject().put("keyRotationSeconds", 60).put("keyGraceSeconds", 60),
              new JsonObject().put("keyGraceSeconds", "300"));
      for (JsonObject section : bad) {
        assertThatThrownBy(() -> EnclaveOptions.fromJson(section))
            .as(section.encode())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("enclave.key");
      }
    }
  }
}
