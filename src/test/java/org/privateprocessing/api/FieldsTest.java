package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The hand-written date check must accept exactly what the JDK's ISO_OFFSET_DATE_TIME accepts. */
class FieldsTest {
  private static boolean formatter(String t) {
    try {
      OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  @Test
  @DisplayName(
      "edge cases: leap days, 24:00, leap seconds, offsets beyond 18 h, fractions of 0 to 10 digits, other shapes")
  void agreesWithTheFormatterOnEdgeCases() {
    List<String> cases =
        List.of(
            "2026-11-24T10:00:00Z",
            "2026-11-24T10:00:00+01:00",
            "2026-11-24T10:00:00-05:30",
            "2024-02-29T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-11-24T24:00:00Z",
            "2026-11-24T23:60:00Z",
            "2026-11-24T23:59:60Z",
            "2026-11-24T23:59:59.999999999Z",
            "2026-11-24T23:59:59.1234567890Z",
            "2026-11-24T23:59:59.Z",
            "2026-11-24T10:00:00.5+18:00",
            "2026-11-24T10:00:00+18:01",
            "2026-11-24T10:00:00-18:00",
            "2026-11-24T10:00:00+01:60",
            "2026-11-24T10:00:00+0100",
            "2026-11-24T10:00:00+01",
            "2026-11-24T10:00:00+01:00:30",
            "2026-11-24T10:00Z",
            "2026-11-24t10:00:00Z",
            "2026-11-24T10:00:00z",
            "2026-11-24 10:00:00Z",
            "2026-11-24T10:00:00",
            "+12026-11-24T10:00:00Z",
            "0000-01-01T00:00:00Z",
            "2026-11-24T1a:00:00Z",
            "2026-11-24T10:00:00Z ",
            " 2026-11-24T10:00:00Z",
            "2026-11-24T10:00:00-00:00",
            "2026-11-24T10:00:00+00:00[Europe/Paris]",
            "",
            "Z",
            "2026-11-24T10:00:00.000+05:45",
            "2026-11-24T10:00:00,5Z",
            "2026-11-24T10:00:00+1:00");
    for (String t : cases) {
      assertThat(Fields.isOffsetDateTime(t)).as("'%s'", t).isEqualTo(formatter(t));
    }
  }

  @Test
  @DisplayName("random mutations of valid times: same verdict as the formatter every time")
  void agreesWithTheFormatterOnMutations() {
    Random random = new Random(7);
    String alphabet = "0123456789-:+.TZtz ";
    List<String> seeds =
        List.of(
            "2024-02-29T23:59:59.123+05:30", "2026-11-24T10:00:00Z", "1999-12-31T00:00:00-18:00");
    List<String> disagreements = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      char[] c = seeds.get(n % seeds.size()).toCharArray();
      for (int k = 0; k < 1 + random.nextInt(2); k++) {
        c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String t = new String(c);
      if (Fields.isOffsetDateTime(t) != formatter(t)) {
        disagreements.add(t);
      }
    }
    assertThat(disagreements).isEmpty();
  }
}
