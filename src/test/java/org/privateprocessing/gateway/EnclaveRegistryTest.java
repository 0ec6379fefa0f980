package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.gateway.EnclaveRegistry.Status;
import org.privateprocessing.issuer.TestTokens;

class EnclaveRegistryTest {
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final EnclaveRegistry registry = new EnclaveRegistry(clock, 3_000, 1_024, 3);

  private static JsonObject announcement(String id, Long ttlMs) {
    JsonObject a =
        new JsonObject()
            .put("id", id)
            .put(
                "descriptor",
                new JsonObject().put("id", id).put("keyConfig", "AAEC").put("evidence", "ZXZp"));
    return ttlMs == null ? a : a.put("ttlMs", ttlMs);
  }

  private void advance(long ms) {
    clock.now = clock.now.plus(Duration.ofMillis(ms));
  }

  @Test
  @DisplayName("an announced enclave is live and listed with its descriptor exactly as announced")
  void announcedIsLive() {
    assertThat(registry.announce(announcement("e1", 3_000L))).isTrue();
    assertThat(registry.status("e1")).isEqualTo(Status.LIVE);
    assertThat(registry.live())
        .containsExactly(announcement("e1", null).getJsonObject("descriptor"));
  }

  @Test
  @DisplayName("an id never announced is unknown")
  void neverAnnouncedIsUnknown() {
    assertThat(registry.status("e9")).isEqualTo(Status.UNKNOWN);
    assertThat(registry.live()).isEmpty();
  }

  @Test
  @DisplayName(
      "an enclave silent past its ttl is gone and leaves the listing; a new beat brings it back")
  void silentPastTtlIsGone() {
    registry.announce(announcement("e1", 2_000L));
    advance(1_999);
    assertThat(registry.status("e1")).isEqualTo(Status.LIVE);
    advance(1);
    assertThat(registry.status("e1")).isEqualTo(Status.GONE);
    assertThat(registry.live()).isEmpty();
    registry.announce(announcement("e1", 2_000L));
    assertThat(registry.status("e1")).isEqualTo(Status.LIVE);
  }

  @Test
  @DisplayName(
      "without a ttl the default applies, and a huge ttl is capped so a forged beat cannot pin an entry")
  void ttlDefaultsAndIsCapped() {
    registry.announce(announcement("e1", null));
    registry.announce(announcement("e2", 86_400_000L));
    advance(3_000);
    assertThat(registry.status("e1")).isEqualTo(Status.GONE);
    assertThat(registry.status("e2")).isEqualTo(Status.LIVE);
    advance(EnclaveRegistry.MAX_TTL_MS);
    assertThat(registry.status("e2")).isEqualTo(Status.GONE);
  }

  @Test
  @DisplayName(
      "a leave message makes an enclave gone at once; a leave for an unknown id changes nothing")
  void leaveIsImmediate() {
    registry.announce(announcement("e1", 3_000L));
    assertThat(registry.leave(new JsonObject().put("id", "e1"))).isTrue();
    assertThat(registry.status("e1")).isEqualTo(Status.GONE);
    assertThat(registry.live()).isEmpty();
    registry.leave(new JsonObject().put("id", "e7"));
    assertThat(registry.status("e7")).isEqualTo(Status.UNKNOWN);
  }

  @Test
  @DisplayName("a gone enclave is forgotten after a while and becomes unknown")
  void goneIsForgotten() {
    registry.announce(announcement("e1", 3_000L));
    advance(EnclaveRegistry.FORGET_AFTER_MS + 1);
    assertThat(registry.status("e1")).isEqualTo(Status.UNKNOWN);
  }

  @Test
  @DisplayName("malformed announcements are ignored and counted, and change nothing")
  void malformedAreIgnoredAndCounted() {
    registry.announce(announcement("e1", 3_000L));
    Object[] bad = {
      null,
      "e2",
      new JsonArray().add("e2"),
      new JsonObject(),
      new JsonObject().put("id", "e2"),
      new JsonObject().put("id", 42).put("descriptor", new JsonObject()),
      new JsonObject().put("id", "e2").put("descriptor", "not an object"),
      new JsonObject().put("id", "../e2").put("descriptor", new JsonObject()),
      new JsonObject().put("id", "x".repeat(65)).put("descriptor", new JsonObject()),
      new JsonObject().put("id", "e2").put("descriptor", new JsonObject()).put("ttlMs", -5),
      new JsonObject().put("id", "e2").put("descriptor", new JsonObject()).put("ttlMs", "soon"),
      new JsonObject().put("id", "e1").put("descriptor", new JsonObject()).put("ttlMs", 0),
    };
    for (Object message : bad) {
      assertThat(registry.announce(message)).as(String.valueOf(message)).isFalse();
    }
    assertThat(registry.leave("e1")).isFalse();
    assertThat(registry.leave(new JsonObject().put("id", 1))).isFalse();
    assertThat(registry.rejected()).isEqualTo(bad.length + 2);
    assertThat(registry.status("e1")).isEqualTo(Status.LIVE);
    assertThat(registry.status("e2")).isEqualTo(Status.UNKNOWN);
    assertThat(registry.live()).hasSize(1);
  }

  @Test
  @DisplayName("an oversized descriptor is refused and the previous one stays")
  void oversizedDescriptorIsRefused() {
    registry.announce(announcement("e1", 3_000L));
    JsonObject huge =
        new JsonObject()
            .put("id", "e1")
            .put("descriptor", new JsonObject().put("evidence", "A".repeat(2_000)));
    assertThat(registry.announce(huge)).isFalse();
    assertThat(registry.rejected()).isEqualTo(1);
    assertThat(registry.live().get(0).getString("evidence")).isEqualTo("ZXZp");
  }

  @Test
  @DisplayName("past the entry cap a new enclave is refused while known ones still renew")
  void entryCapHolds() {
    for (String id : new String[] {"e1", "e2", "e3"}) {
      assertThat(registry.announce(announcement(id, 3_000L))).isTrue();
    }
    assertThat(registry.announce(announcement("e4", 3_000L))).isFalse();
    assertThat(registry.announce(announcement("e2", 3_000L))).isTrue();
    assertThat(registry.status("e4")).isEqualTo(Status.UNKNOWN);
  }

  @Test
  @DisplayName("a listed descriptor is a copy: changing it does not change the registry")
  void listingIsACopy() {
    registry.announce(announcement("e1", 3_000L));
    registry.live().get(0).put("evidence", "forged");
    assertThat(registry.live().get(0).getString("evidence")).isEqualTo("ZXZp");
  }
}
