package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {
  @Test
  @DisplayName("milliseconds, seconds, minutes and hours are read as written")
  void readsEveryUnit() {
    assertThat(DurationParser.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationParser.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationParser.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationParser.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationParser.parse(" 0s ")).isZero();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "30",
        "s",
        "-5s",
        "1.5s",
        "5d",
        "5 m",
        "5M",
        "10sec",
        "ms",
        "9999999999s",
        "1h30m"
      })
  @DisplayName("anything but a whole number and a known unit is refused, naming the accepted forms")
  void refusesOtherForms(String text) {
    assertThatThrownBy(() -> DurationParser.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30s")
        .hasMessageContaining("5m");
  }
}
