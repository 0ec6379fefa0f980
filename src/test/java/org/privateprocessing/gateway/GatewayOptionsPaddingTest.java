package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.ohttp.ResponsePadding;

class GatewayOptionsPaddingTest {
  @Test
  @DisplayName("gateway.responsePadding defaults to the default buckets and reads none or sizes")
  void responsePadding_isRead() {
    assertThat(GatewayOptions.fromJson(null).padding()).isEqualTo(ResponsePadding.DEFAULT);
    assertThat(GatewayOptions.fromJson(new JsonObject().put("responsePadding", "none")).padding())
        .isEqualTo(ResponsePadding.NONE);
    assertThat(
            GatewayOptions.fromJson(new JsonObject().put("responsePadding", "2k,8k"))
                .padding()
                .buckets())
        .containsExactly(2048, 8192);
    GatewayOptions o = GatewayOptions.fromJson(new JsonObject().put("responsePadding", "none"));
    assertThat(o.withPort(1).padding()).isEqualTo(ResponsePadding.NONE);
    assertThat(o.withIssuer("i", "http://127.0.0.1:1").padding()).isEqualTo(ResponsePadding.NONE);
  }

  @Test
  @DisplayName("a bad gateway.responsePadding names the setting and the form it takes")
  void badResponsePadding_isRefusedWithTheFix() {
    assertThatThrownBy(
            () -> GatewayOptions.fromJson(new JsonObject().put("responsePadding", "lots")))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("gateway.responsePadding: 'lots' is not a size")
        .hasMessageContaining("1k,4k,16k,64k");
    assertThatThrownBy(() -> GatewayOptions.fromJson(new JsonObject().put("responsePadding", 1024)))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("gateway.responsePadding")
        .hasMessageContaining("expected a string");
  }
}
