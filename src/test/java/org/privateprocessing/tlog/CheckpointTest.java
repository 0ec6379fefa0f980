package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final String ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

  @Test
  void aCheckpointWithExtensionLinesRoundTrips() throws Exception {
    String body = "example.com/log\n0\n" + ROOT + "\nTimestamp: 1689177396617352539\n";
    Checkpoint cp = Checkpoint.parse(body);
    assertThat(cp.size()).isZero();
    assertThat(cp.extensions()).containsExactly("Timestamp: 1689177396617352539");
    assertThat(cp.encode()).isEqualTo(body);
    assertThat(new Checkpoint("o", Long.MAX_VALUE, new byte[32], List.of("x")).encode())
        .startsWith("o\n9223372036854775807\n");
  }

  @Test
  void nonCanonicalOrIncompleteBodiesAreMalformed() {
    String[] bad = {
      "example.com/log\n12\n" + ROOT,
      "example.com/log\n12\n",
      "\n12\n" + ROOT + "\n",
      "example.com/log\n012\n" + ROOT + "\n",
      "example.com/log\n+12\n" + ROOT + "\n",
      "example.com/log\n-1\n" + ROOT + "\n",
      "example.com/log\n 12\n" + ROOT + "\n",
      "example.com/log\n9223372036854775808\n" + ROOT + "\n",
      "example.com/log\n12\n" + ROOT.replace("=", "") + "\n",
      "example.com/log\n12\nAAAA\n",
      "example.com/log\n12\n" + ROOT + "\n\n",
      "example.com/log\n12\n" + ROOT + "\n\next\n",
      "example.com/log\n12\n" + ROOT.replace('/', '_') + "\n",
    };
    for (String b : bad) {
      assertThatThrownBy(() -> Checkpoint.parse(b))
          .as(b)
          .isInstanceOfSatisfying(
              TlogException.class,
              e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED));
    }
  }
}
