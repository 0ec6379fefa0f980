package org.privateprocessing.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.privateprocessing.api.Problem;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.ohttp.MediaTypes;

/** Every decision of the relay about a gateway's answers, without Vert.x. */
class RelayPolicyTest {
  private static final String RES = MediaTypes.OHTTP_RESPONSE;
  private static final String KEYS = MediaTypes.OHTTP_KEYS;
  private static final String PROBLEM = Problem.MEDIA_TYPE;

  private static PipelineException refused(
      int status, String contentType, String retryAfter, String expected) {
    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> RelayPolicy.pass(status, contentType, retryAfter, expected));
    assertThat(e).as("HTTP %d %s refused", status, contentType).isNotNull();
    return e;
  }

  @Test
  @DisplayName("a 200 of the expected type passes with its status and type only")
  void pass_okOfExpectedType_passes() throws Exception {
    assertThat(RelayPolicy.pass(200, RES, null, RES))
        .isEqualTo(new RelayPolicy.Passed(200, RES, Optional.empty()));
    assertThat(RelayPolicy.pass(200, KEYS, null, KEYS))
        .isEqualTo(new RelayPolicy.Passed(200, KEYS, Optional.empty()));
  }

  @Test
  @DisplayName("the content type passes as its essence: parameters dropped, lower-cased")
  void pass_contentTypeParameters_areDropped() throws Exception {
    assertThat(RelayPolicy.pass(200, "Message/OHTTP-res; tag=abc", null, RES).contentType())
        .isEqualTo(RES);
    assertThat(
            RelayPolicy.pass(400, "application/problem+json; charset=utf-8", null, RES)
                .contentType())
        .isEqualTo(PROBLEM);
  }

  @ParameterizedTest(name = "HTTP 200 {0}")
  @ValueSource(strings = {"text/html", "application/json", "message/ohttp-req", "", "  "})
  @DisplayName("a 200 with another content type is a 502 bad-gateway-answer")
  void pass_okWithWrongType_is502(String type) {
    PipelineException e = refused(200, type, "1", RES);
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.problem().type()).isEqualTo(Problem.TYPE_PREFIX + "bad-gateway-answer");
    assertThat(e.getMessage()).contains("HTTP 200");
    assertThat(e.headers()).as("no Retry-After of the gateway's").isEmpty();
  }

  @Test
  @DisplayName("a 200 without a content type, or with the other endpoint's type, is a 502")
  void pass_okWithMissingOrSwappedType_is502() {
    assertThat(refused(200, null, null, RES).status()).isEqualTo(502);
    assertThat(refused(200, KEYS, null, RES).status()).isEqualTo(502);
    assertThat(refused(200, RES, null, KEYS).status()).isEqualTo(502);
    assertThat(refused(200, PROBLEM, null, RES).status())
        .as("a problem with a success status")
        .isEqualTo(502);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {201, 202, 204, 206, 301, 302, 304, 307, 308, 100})
  @DisplayName("a status other than 200 below 400 is a 502, even with the expected type")
  void pass_otherSuccessOrRedirect_is502(int status) {
    PipelineException e = refused(status, RES, null, RES);
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.getMessage()).contains("HTTP " + status);
    assertThat(refused(status, PROBLEM, null, RES).status()).isEqualTo(502);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 401, 404, 405, 413, 415, 429, 500, 502, 503, 504, 599})
  @DisplayName("an error status with a problem passes as it is")
  void pass_errorWithProblem_passes(int status) throws Exception {
    assertThat(RelayPolicy.pass(status, PROBLEM, null, RES))
        .isEqualTo(new RelayPolicy.Passed(status, PROBLEM, Optional.empty()));
    assertThat(RelayPolicy.pass(status, PROBLEM, null, KEYS).status()).isEqualTo(status);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 404, 500, 502, 503})
  @DisplayName("an error status without a problem (an HTML error page, say) is a 502")
  void pass_errorWithoutProblem_is502(int status) {
    assertThat(refused(status, "text/html", null, RES).status()).isEqualTo(502);
    assertThat(refused(status, null, null, RES).status()).isEqualTo(502);
    assertThat(refused(status, RES, null, RES).status())
        .as("an encapsulated response with an error status")
        .isEqualTo(502);
  }

  @Test
  @DisplayName("a numeric Retry-After passes with the answer, on a problem and on a 200")
  void pass_numericRetryAfter_passes() throws Exception {
    assertThat(RelayPolicy.pass(503, PROBLEM, "5", RES).retryAfter()).contains("5");
    assertThat(RelayPolicy.pass(429, PROBLEM, "120", RES).retryAfter()).contains("120");
    assertThat(RelayPolicy.pass(200, RES, "0", RES).retryAfter()).contains("0");
  }

  @ParameterizedTest(name = "Retry-After: \"{0}\"")
  @ValueSource(
      strings = {
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "-1",
        "1.5",
        " 5",
        "5 ",
        "5s",
        "",
        "1234567",
        "５",
        "5\r\nSet-Cookie: x=1"
      })
  @DisplayName("a Retry-After that is not 1 to 6 ASCII digits is dropped, the answer still passes")
  void pass_nonNumericRetryAfter_isDropped(String value) throws Exception {
    RelayPolicy.Passed passed = RelayPolicy.pass(503, PROBLEM, value, RES);
    assertThat(passed.status()).isEqualTo(503);
    assertThat(passed.retryAfter()).isEmpty();
    assertThat(RelayPolicy.retryAfter(value)).isEmpty();
  }

  @Test
  @DisplayName("Retry-After limits: six digits pass, none and seven do not")
  void retryAfter_bounds() {
    assertThat(RelayPolicy.retryAfter("999999")).contains("999999");
    assertThat(RelayPolicy.retryAfter(null)).isEmpty();
    assertThat(RelayPolicy.retryAfter("0000000")).isEmpty();
  }

  @ParameterizedTest(name = "HTTP {0} {1} -> unopened {2}")
  @CsvSource({
    "400, application/problem+json, true",
    "400, application/problem+json; charset=utf-8, true",
    "400, Application/Problem+JSON, true",
    "400, text/html, false",
    "400, , false",
    "401, application/problem+json, false",
    "404, application/problem+json, false",
    "503, application/problem+json, false",
    "200, message/ohttp-res, false",
    "200, application/problem+json, false"
  })
  @DisplayName("only a plain 400 problem shows the gateway could not open the request")
  void unopened_onlyAPlain400Problem(int status, String contentType, boolean unopened) {
    assertThat(RelayPolicy.unopened(status, contentType)).isEqualTo(unopened);
  }

  @Test
  @DisplayName("a refused connection is a 502 gateway-unreachable with Retry-After 5")
  void unreachable_connectionRefused_is502() {
    PipelineException e =
        RelayPolicy.unreachable(new ConnectException("Connection refused: /10.9.8.7:8081"));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.problem().type()).isEqualTo(Problem.TYPE_PREFIX + "gateway-unreachable");
    assertThat(e.getMessage()).contains("not reachable").doesNotContain("10.9.8.7");
    assertThat(e.headers()).containsExactlyEntriesOf(java.util.Map.of("retry-after", "5"));
  }

  @Test
  @DisplayName("any other failure of the connection is a 502 too, without its message")
  void unreachable_otherFailure_is502() {
    PipelineException e = RelayPolicy.unreachable(new IOException("Connection reset by 10.9.8.7"));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.problem().type()).isEqualTo(Problem.TYPE_PREFIX + "gateway-unreachable");
    assertThat(e.getMessage()).contains("connection failed").doesNotContain("10.9.8.7");
    assertThat(e.headers()).containsEntry("retry-after", "5");
    assertThat(RelayPolicy.unreachable(new IllegalStateException("closed")).status())
        .isEqualTo(502);
  }

  /** Stands for Vert.x's own timeout type, which is internal to it. */
  private static final class NoStackTraceTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  @DisplayName(
      "a timeout (java's, Vert.x's, or Netty's connect timeout) is a 504 gateway-timeout with Retry-After 2")
  void unreachable_timeout_is504() {
    for (Throwable t :
        new Throwable[] {
          new TimeoutException("late"),
          new NoStackTraceTimeoutException(),
          new ConnectTimeoutException("connection timed out: /10.9.8.7:8081")
        }) {
      PipelineException e = RelayPolicy.unreachable(t);
      assertThat(e.status()).as(t.getClass().getName()).isEqualTo(504);
      assertThat(e.problem().type()).isEqualTo(Problem.TYPE_PREFIX + "gateway-timeout");
      assertThat(e.getMessage()).doesNotContain("10.9.8.7");
      assertThat(e.headers()).containsEntry("retry-after", "2");
    }
  }
}
