package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;

/** The catalogue itself, and the exceptions built from it. */
class ProblemTypeTest {
  @Test
  @DisplayName("every slug is unique and lower-case words joined by hyphens")
  void slugsAreUniqueAndWellFormed() {
    Set<String> seen = new HashSet<>();
    for (ProblemType type : ProblemType.values()) {
      assertThat(seen.add(type.slug())).as("duplicate slug %s", type.slug()).isTrue();
      assertThat(type.slug()).as(type.name()).matches("[a-z0-9]+(?:-[a-z0-9]+)*");
      assertThat(ProblemType.bySlug(type.slug())).contains(type);
      assertThat(type.uri()).isEqualTo("urn:private-processing:problem:" + type.slug());
    }
    assertThat(ProblemType.bySlug("no-such-problem")).isEmpty();
    assertThat(ProblemType.bySlug(null)).isEmpty();
  }

  @Test
  @DisplayName("every status is a client or server error, and every title is set")
  void statusesAreErrors() {
    for (ProblemType type : ProblemType.values()) {
      assertThat(type.status()).as(type.name()).isBetween(400, 599);
      assertThat(type.title()).as(type.name()).isNotBlank();
    }
  }

  @Test
  @DisplayName("the same status has the same title, except the two that say more than the status")
  void titlesFollowStatus() {
    Map<Integer, Set<String>> titles =
        Arrays.stream(ProblemType.values())
            .filter(t -> t != ProblemType.HTTP_REQUEST_REFUSED && t != ProblemType.INTERNAL)
            .collect(
                Collectors.groupingBy(
                    ProblemType::status,
                    Collectors.mapping(ProblemType::title, Collectors.toSet())));
    titles.forEach((status, set) -> assertThat(set).as("titles of %d", status).hasSize(1));
  }

  @Test
  @DisplayName("Retry-After is carried only by 429, 502, 503 and 504, and by every 429 and 503")
  void retryAfterOnlyWhereARetryHelps() {
    for (ProblemType type : ProblemType.values()) {
      if (type.carriesRetryAfter()) {
        assertThat(type.status()).as(type.name()).isIn(429, 502, 503, 504);
      }
      if (type.status() == 429 || type.status() == 503) {
        assertThat(type.carriesRetryAfter()).as(type.name()).isTrue();
      }
      assertThat(type.retryAfterSeconds())
          .as(type.name())
          .isBetween(ProblemType.RETRY_AFTER_COMPUTED, 60);
    }
    assertThat(ProblemType.RATE_LIMITED.retryAfterSeconds())
        .isEqualTo(ProblemType.RETRY_AFTER_COMPUTED);
    assertThat(ProblemType.OVERLOADED.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  @DisplayName("an exception of a type carries its status, slug, title, detail and Retry-After")
  void ofCarriesTheType() {
    PipelineException e = PipelineException.of(ProblemType.ENCLAVE_UNAVAILABLE, "gone");
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.is(ProblemType.ENCLAVE_UNAVAILABLE)).isTrue();
    assertThat(e.is(ProblemType.UNAVAILABLE)).isFalse();
    assertThat(e.headers()).containsExactly(Map.entry("retry-after", "1"));
    Problem p = e.problem();
    assertThat(p)
        .isEqualTo(
            new Problem(
                "urn:private-processing:problem:enclave-unavailable",
                "Service unavailable",
                503,
                "gone"));

    PipelineException plain = PipelineException.of(ProblemType.BAD_QUERY, "no");
    assertThat(plain.headers()).isEmpty();
  }

  @Test
  @DisplayName("protocol headers are added; Retry-After never comes from the caller's map")
  void headersBesideRetryAfter() {
    PipelineException e =
        PipelineException.of(
            ProblemType.UNAUTHORIZED, "who?", Map.of("www-authenticate", "Bearer realm=\"x\""));
    assertThat(e.headers()).containsExactly(Map.entry("www-authenticate", "Bearer realm=\"x\""));
    assertThatThrownBy(
            () -> PipelineException.of(ProblemType.UNAVAILABLE, "x", Map.of("retry-after", "9")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a computed Retry-After must be given, and only a type that carries one takes it")
  void retryAfterOverrides() {
    assertThatThrownBy(() -> PipelineException.of(ProblemType.RATE_LIMITED, "slow down"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retryAfter");
    PipelineException limited =
        PipelineException.retryAfter(ProblemType.RATE_LIMITED, "slow down", 42);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers()).containsExactly(Map.entry("retry-after", "42"));
    assertThat(
            PipelineException.retryAfter(
                    ProblemType.UNAVAILABLE, "store", ProblemType.STORE_RETRY_AFTER_SECONDS)
                .headers())
        .containsExactly(Map.entry("retry-after", "5"));
    assertThatThrownBy(() -> PipelineException.retryAfter(ProblemType.BAD_QUERY, "x", 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PipelineException.retryAfter(ProblemType.UNAVAILABLE, "x", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
