package org.privateprocessing.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IssuerRotationTest {
  @Test
  @DisplayName(
      "keys rotate every quarter of their lifetime, never more often than 1 s nor less than 60 s")
  void rotationPeriodIsAQuarterOfTheLifetimeWithinBounds() {
    assertThat(IssuerVerticle.rotationPeriodMs(Duration.ofSeconds(40))).isEqualTo(10_000);
    assertThat(IssuerVerticle.rotationPeriodMs(Duration.ofSeconds(2))).isEqualTo(1_000);
    assertThat(IssuerVerticle.rotationPeriodMs(Duration.ofDays(1))).isEqualTo(60_000);
  }
}
