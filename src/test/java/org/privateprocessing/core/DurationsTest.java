package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  @DisplayName("a duration is written in the largest unit that says it exactly, and reads back")
  void formatsInTheLargestExactUnit() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("24h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    for (long ms : new long[] {0, 1, 999, 1000, 61_000, 3_600_000, 5_400_000, 86_400_000}) {
      Duration d = Duration.ofMillis(ms);
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "30 s", "1.5s", "-1s", "5d", "PT30S", "30S", ""})
  @DisplayName("anything but a whole number and ms, s, m or h is refused, naming the forms")
  void refusesOtherForms(String text) {
    assertThat(Durations.isDuration(text)).isFalse();
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1500ms, 30s, 5m or 1h");
  }

  @Test
  @DisplayName("no written form for what the forms cannot say")
  void refusesUnwritable() {
    assertThatThrownBy(() -> Durations.format(Duration.ofNanos(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
