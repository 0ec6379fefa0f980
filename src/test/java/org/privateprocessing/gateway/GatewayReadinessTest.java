package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.ReadinessCheck;
import org.privateprocessing.issuer.TestTokens;

class GatewayReadinessTest {
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final EnclaveRegistry registry = new EnclaveRegistry(clock);
  private final ReadinessCheck check = GatewayRole.enclaveAvailable(registry);

  private void announce(String id) {
    registry.announce(
        new JsonObject().put("id", id).put("descriptor", new JsonObject()).put("ttlMs", 3_000));
  }

  @Test
  @DisplayName(
      "enclave available: down with none, up once one announces, down when it leaves or goes quiet")
  void followsTheRegistry() {
    Future<Void> none = check.probe().get();
    assertThat(none.failed()).isTrue();
    assertThat(none.cause().getMessage()).startsWith("no enclave has announced itself");
    assertThat(check.name()).isEqualTo("enclave available");

    announce("e1");
    assertThat(check.probe().get().succeeded()).isTrue();
    assertThat(registry.liveCount()).isEqualTo(1);

    registry.leave(new JsonObject().put("id", "e1"));
    assertThat(check.probe().get().failed()).isTrue();

    announce("e2");
    assertThat(check.probe().get().succeeded()).isTrue();
    clock.now = clock.now.plus(Duration.ofSeconds(4));
    assertThat(check.probe().get().failed()).as("past its ttl").isTrue();
    assertThat(registry.liveCount()).isZero();
  }
}
