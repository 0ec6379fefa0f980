package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The listeners' limits as configured, and the checks every listener runs before routing. */
class ListenerLimitsTest {
  @Test
  @DisplayName("no http section: the defaults (10 s headers, 30 s body, 75 s idle, 4096, 8192)")
  void defaults() {
    ListenerLimits l = ListenerLimits.fromJson(null);
    assertThat(l).isEqualTo(ListenerLimits.DEFAULTS);
    assertThat(l.headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(l.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(75));
    assertThat(l.maxRequestLineBytes()).isEqualTo(4096);
    assertThat(l.maxHeaderBytes()).isEqualTo(8192);
  }

  @Test
  @DisplayName("an http section sets each limit; a missing member keeps its default")
  void fromJson() {
    ListenerLimits l =
        ListenerLimits.fromJson(
            new JsonObject().put("headerReadTimeoutMs", 2_500).put("maxHeaderBytes", 16_384));
    assertThat(l.headerReadTimeout()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(l.maxHeaderBytes()).isEqualTo(16_384);
    assertThat(l.idleTimeout()).isEqualTo(ListenerLimits.DEFAULTS.idleTimeout());
  }

  @Test
  @DisplayName("nonsense is refused with the setting's name: zero, negative, too small, too big")
  void refusals() {
    for (JsonObject bad :
        new JsonObject[] {
          new JsonObject().put("headerReadTimeoutMs", 0),
          new JsonObject().put("bodyReadTimeoutMs", -1),
          new JsonObject().put("idleTimeoutMs", 0),
          new JsonObject().put("maxRequestLineBytes", 10),
          new JsonObject().put("maxHeaderBytes", 1 << 20)
        }) {
      String name = bad.fieldNames().iterator().next();
      assertThatThrownBy(() -> ListenerLimits.fromJson(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("http." + name);
    }
  }

  @Test
  @DisplayName("applied to a server: idle timeout in ms, TLS handshake bound, sizes, no h2c")
  void appliedToServerOptions() {
    ListenerLimits l =
        new ListenerLimits(
            Duration.ofMillis(1_500), Duration.ofSeconds(3), Duration.ofSeconds(7), 2_048, 4_096);
    HttpServerOptions o = l.applyTo(new HttpServerOptions().setPort(1234));
    assertThat(o.getPort()).isEqualTo(1234);
    assertThat(o.getIdleTimeout()).isEqualTo(7_000);
    assertThat(o.getIdleTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    assertThat(o.getSslHandshakeTimeout()).isEqualTo(1_500);
    assertThat(o.getSslHandshakeTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    assertThat(o.getMaxInitialLineLength()).isEqualTo(2_048);
    assertThat(o.getMaxHeaderSize()).isEqualTo(4_096);
    assertThat(o.isHttp2ClearTextEnabled()).isFalse();
  }

  @Test
  @DisplayName("request targets: visible ASCII with whole percent-escapes pass, anything else not")
  void requestTargets() {
    for (String good :
        new String[] {
          "/",
          "/token-request",
          "/.well-known/ohttp-gateway",
          "/entries?start=0&end=10",
          "/lookup?keyConfig=AbC-_d%3D",
          "/%2e%2e/%00",
          "*",
          "http://localhost/x?y=%7A"
        }) {
      assertThat(RequestTargets.malformed(good)).as(good).isNull();
    }
    assertThat(RequestTargets.malformed("/%zz")).contains("position 1").contains("two hex");
    assertThat(RequestTargets.malformed("/%4")).contains("position 1");
    assertThat(RequestTargets.malformed("/a%")).contains("position 2");
    assertThat(RequestTargets.malformed("/?q=%g0")).contains("position 4");
    assertThat(RequestTargets.malformed("/\u00ffsecret"))
        .contains("position 1")
        .doesNotContain("secret");
    assertThat(RequestTargets.malformed("/a b")).contains("visible ASCII");
    assertThat(RequestTargets.malformed("/\u007f")).contains("visible ASCII");
    assertThat(RequestTargets.malformed("")).contains("empty");
    assertThat(RequestTargets.malformed(null)).contains("empty");
  }

  @Test
  @DisplayName(
      "what Netty could not decode: 414, 431, or a 400 that names the check, not the bytes")
  void undecodable() {
    assertThat(
            HttpListeners.undecodable(new TooLongHttpLineException("line /secret"))
                .is(ProblemType.URI_TOO_LONG))
        .isTrue();
    assertThat(
            HttpListeners.undecodable(new TooLongHttpHeaderException("header secret"))
                .is(ProblemType.HEADERS_TOO_LARGE))
        .isTrue();
    PipelineException lf = HttpListeners.undecodable(new InvalidLineSeparatorException());
    assertThat(lf.is(ProblemType.HTTP_REQUEST_REFUSED)).isTrue();
    assertThat(lf.getMessage()).contains("CRLF");
    PipelineException other =
        HttpListeners.undecodable(new IllegalArgumentException("invalid version format: SECRET"));
    assertThat(other.is(ProblemType.HTTP_REQUEST_REFUSED)).isTrue();
    assertThat(other.getMessage()).doesNotContain("SECRET");
    assertThat(HttpListeners.undecodable(null).is(ProblemType.HTTP_REQUEST_REFUSED)).isTrue();
  }
}
