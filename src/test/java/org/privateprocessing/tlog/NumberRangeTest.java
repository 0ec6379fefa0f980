package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Found by fuzzing ({@code TlogFuzzTestInputs/logEntry/crash-8b1a8d31...}): a number whose exponent
 * {@code BigDecimal} cannot hold made Jackson throw an unchecked {@code NumberFormatException} out
 * of the log's JSON reading, instead of the {@link TlogException} its callers handle.
 */
class NumberRangeTest {
  private static final String HUGE = "111111111E100000017933";

  @Test
  @DisplayName("a log entry with a number BigDecimal cannot hold is refused MALFORMED")
  void logEntry() {
    String entry =
        "{\"issuer\":\"i\",\"notBefore\":\"2026-11-24T00:00:00Z\",\"tokenKey\":\"AAAA\","
            + "\"tokenType\":"
            + HUGE
            + ",\"type\":\"issuer-key\"}";
    assertThatThrownBy(() -> LogEntry.parse(entry.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            TlogException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.reason())
                    .isEqualTo(TlogException.Reason.MALFORMED))
        .hasMessageContaining("not JSON")
        .hasMessageNotContaining(HUGE);
  }

  @Test
  @DisplayName("inclusion and consistency proofs with such a number are refused MALFORMED")
  void proofs() {
    assertThatThrownBy(() -> InclusionProof.fromJson("{\"leafIndex\":" + HUGE + ",\"treeSize\":1}"))
        .isInstanceOf(TlogException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> ConsistencyProof.fromJson("{\"size1\":" + HUGE + "}"))
        .isInstanceOf(TlogException.class)
        .hasMessageContaining("not JSON");
  }
}
