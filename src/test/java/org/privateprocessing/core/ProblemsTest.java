package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.tlog.TlogException;
import org.privateprocessing.token.TokenException;

/** Every protocol failure's reason mapped to the catalogue, and every failure to a problem. */
class ProblemsTest {
  private static final Path MAIN = Path.of("src/main/java/org/privateprocessing");

  private static String slug(Enum<?> reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Test
  @DisplayName("an outer-layer refusal is a plain 400 named ohttp-<reason>, as the SDK expects")
  void outerLayerKeepsItsSlugs() {
    for (OhttpException.Reason reason : OhttpException.Reason.values()) {
      ProblemType type = Problems.outerLayer(reason);
      assertThat(type.slug()).isEqualTo("ohttp-" + slug(reason));
      assertThat(type.status()).isEqualTo(400);
    }
  }

  @Test
  @DisplayName(
      "an inner-layer refusal is a 400 named inner-<reason>; an unknown key id is the header check's inner-unknown-key")
  void innerLayerKeepsItsSlugs() {
    for (OhttpException.Reason reason : OhttpException.Reason.values()) {
      ProblemType type = Problems.innerLayer(reason);
      assertThat(type.slug())
          .isEqualTo(
              reason == OhttpException.Reason.UNKNOWN_KEY_ID
                  ? "inner-unknown-key"
                  : "inner-" + slug(reason));
      assertThat(type.status()).isEqualTo(400);
    }
  }

  @Test
  @DisplayName("every Binary HTTP failure is binary-http; the detail names the check")
  void binaryHttpIsOneProblem() {
    for (BinaryHttpException.Reason reason : BinaryHttpException.Reason.values()) {
      assertThat(Problems.binaryHttp(reason)).isEqualTo(ProblemType.BINARY_HTTP);
    }
  }

  @Test
  @DisplayName("a token presented to the gateway is refused with a 401 per reason")
  void presentedTokenReasons() {
    Map<TokenException.Reason, ProblemType> expected = new EnumMap<>(TokenException.Reason.class);
    expected.put(TokenException.Reason.MALFORMED, ProblemType.MALFORMED_TOKEN);
    expected.put(TokenException.Reason.TRUNCATED, ProblemType.MALFORMED_TOKEN);
    expected.put(TokenException.Reason.UNSUPPORTED_TYPE, ProblemType.MALFORMED_TOKEN);
    expected.put(TokenException.Reason.UNKNOWN_KEY, ProblemType.UNKNOWN_TOKEN_KEY);
    expected.put(TokenException.Reason.EXPIRED_KEY, ProblemType.UNKNOWN_TOKEN_KEY);
    expected.put(TokenException.Reason.WRONG_CHALLENGE, ProblemType.WRONG_CHALLENGE);
    expected.put(TokenException.Reason.INVALID_SIGNATURE, ProblemType.INVALID_TOKEN);
    expected.put(TokenException.Reason.INVALID_PROOF, ProblemType.INVALID_TOKEN);
    assertThat(expected).hasSize(TokenException.Reason.values().length);
    expected.forEach(
        (reason, type) -> {
          assertThat(Problems.presentedToken(reason)).as(reason.name()).isEqualTo(type);
          assertThat(type.status()).isEqualTo(401);
        });
  }

  @Test
  @DisplayName("a token request is refused with a 400: unknown key or the request's fault")
  void tokenRequestReasons() {
    for (TokenException.Reason reason : TokenException.Reason.values()) {
      ProblemType type = Problems.tokenRequest(reason);
      boolean keyGone =
          reason == TokenException.Reason.UNKNOWN_KEY
              || reason == TokenException.Reason.EXPIRED_KEY;
      assertThat(type)
          .as(reason.name())
          .isEqualTo(
              keyGone ? ProblemType.UNKNOWN_TRUNCATED_KEY_ID : ProblemType.MALFORMED_TOKEN_REQUEST);
    }
  }

  @Test
  @DisplayName("a log failure blames the input (400) unless the log's own store is damaged (500)")
  void tlogReasons() {
    Set<TlogException.Reason> ownFault =
        Set.of(TlogException.Reason.CORRUPT_STORE, TlogException.Reason.INCONSISTENT);
    for (TlogException.Reason reason : TlogException.Reason.values()) {
      ProblemType own = ProblemType.INTERNAL;
      assertThat(Problems.logEntry(reason))
          .as(reason.name())
          .isEqualTo(ownFault.contains(reason) ? own : ProblemType.BAD_ENTRY);
      assertThat(Problems.cosignature(reason))
          .as(reason.name())
          .isEqualTo(ownFault.contains(reason) ? own : ProblemType.BAD_COSIGNATURE);
    }
    assertThat(Problems.proof(TlogException.Reason.SIZE)).isEqualTo(ProblemType.BAD_SIZE);
    assertThat(Problems.proof(TlogException.Reason.MALFORMED)).isEqualTo(ProblemType.BAD_SIZE);
    assertThat(Problems.proof(TlogException.Reason.CORRUPT_STORE)).isEqualTo(ProblemType.INTERNAL);
    assertThat(Problems.proof(TlogException.Reason.BAD_PROOF)).isEqualTo(ProblemType.INTERNAL);
  }

  /**
   * Subclasses of ProtocolException that never meet a request, and why; every other one has a
   * mapping function in Problems. A new subclass fails this test until it is put in one list.
   */
  private static final Map<String, String> NEVER_IN_A_REQUEST =
      Map.of(
          "VoprfException", "token/ rethrows it as a TokenException",
          "EvidenceFormatException", "evidence bundles are read by clients (client/, cli/)",
          "SnpFormatException",
              "SEV-SNP reports are read by clients (client/, cli/), and by an enclave from its own"
                  + " provider, never from a request");

  private static final Set<String> MAPPED =
      Set.of("OhttpException", "BinaryHttpException", "TokenException", "TlogException");

  @Test
  @DisplayName("every ProtocolException subclass is mapped in Problems or never meets a request")
  void everyProtocolExceptionIsAccountedFor() throws IOException {
    Set<String> found = new TreeSet<>();
    for (Path file : javaFiles(MAIN)) {
      if (read(file).contains("extends ProtocolException")) {
        found.add(file.getFileName().toString().replace(".java", ""));
      }
    }
    Set<String> known = new TreeSet<>(MAPPED);
    known.addAll(NEVER_IN_A_REQUEST.keySet());
    assertThat(found).isEqualTo(known);

    String problems = read(MAIN.resolve("core/Problems.java"));
    for (String mapped : MAPPED) {
      assertThat(problems).as("Problems maps %s", mapped).contains(mapped + ".Reason reason");
    }
  }

  @Test
  @DisplayName("the exceptions said never to meet a request are read only where the list says")
  void unmappedExceptionsStayOutOfServers() throws IOException {
    Map<String, List<String>> allowedUnder =
        Map.of(
            "VoprfException", List.of("token/"),
            "EvidenceFormatException", List.of("attest/", "client/", "cli/"),
            "SnpFormatException", List.of("attest/", "client/", "cli/", "enclave/"));
    for (Path file : javaFiles(MAIN)) {
      String where = MAIN.relativize(file).toString().replace('\\', '/');
      String text = read(file);
      allowedUnder.forEach(
          (name, dirs) -> {
            if (text.contains(name)) {
              assertThat(dirs.stream().anyMatch(where::startsWith))
                  .as("%s uses %s (%s)", where, name, NEVER_IN_A_REQUEST.get(name))
                  .isTrue();
            }
          });
    }
  }

  @Test
  @DisplayName("failures a stage does not catch become their problem, or a 500 that quotes nothing")
  void toPipelineException() {
    PipelineException outer =
        Problems.toPipelineException(
            new OhttpException(OhttpException.Reason.UNKNOWN_KEY_ID, "key id 9"));
    assertThat(outer.is(ProblemType.OHTTP_UNKNOWN_KEY_ID)).isTrue();
    assertThat(outer.getMessage()).contains("key id 9");

    assertThat(
            Problems.toPipelineException(
                    new BinaryHttpException(BinaryHttpException.Reason.TRUNCATED, "short"))
                .is(ProblemType.BINARY_HTTP))
        .isTrue();
    PipelineException invalid =
        Problems.toPipelineException(new InvalidRequestException("messages[3].text", "too long"));
    assertThat(invalid.is(ProblemType.INVALID_REQUEST)).isTrue();
    assertThat(invalid.getMessage()).contains("messages[3].text");

    PipelineException same = PipelineException.of(ProblemType.BAD_QUERY, "q");
    assertThat(Problems.toPipelineException(same)).isSameAs(same);

    for (Throwable unexpected :
        List.of(
            new IllegalStateException("secret user text"),
            new TokenException(TokenException.Reason.MALFORMED, "secret user text"))) {
      PipelineException internal = Problems.toPipelineException(unexpected);
      assertThat(internal.is(ProblemType.INTERNAL)).isTrue();
      assertThat(new String(internal.problem().encode(), StandardCharsets.UTF_8))
          .doesNotContain("secret");
    }
  }

  private static ReplyException recipientFailure(PipelineException e) {
    return new ReplyException(
        ReplyFailure.RECIPIENT_FAILURE,
        e.status(),
        new String(e.problem().encode(), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("an event-bus failure becomes the stage's problem, an unavailable, or a 502")
  void fromReply() {
    PipelineException gone =
        Problems.fromReply(new ReplyException(ReplyFailure.NO_HANDLERS, "none"));
    assertThat(gone.is(ProblemType.UNAVAILABLE)).isTrue();
    assertThat(gone.headers()).containsEntry("retry-after", "2");
    assertThat(
            Problems.fromReply(new ReplyException(ReplyFailure.TIMEOUT, "slow"))
                .is(ProblemType.UNAVAILABLE))
        .isTrue();

    PipelineException refused =
        Problems.fromReply(
            recipientFailure(PipelineException.of(ProblemType.INNER_TRUNCATED, "short")));
    assertThat(refused.is(ProblemType.INNER_TRUNCATED)).isTrue();
    assertThat(refused.getMessage()).isEqualTo("short");
    assertThat(refused.headers()).isEmpty();

    PipelineException busy =
        Problems.fromReply(recipientFailure(InFlightLimiter.overloaded("the enclave")));
    assertThat(busy.is(ProblemType.OVERLOADED)).isTrue();
    assertThat(busy.headers()).containsEntry("retry-after", "1");

    // A slug this build does not know (a newer peer) passes on as it came.
    PipelineException newer =
        Problems.fromReply(
            new ReplyException(
                ReplyFailure.RECIPIENT_FAILURE,
                409,
                "{\"type\":\"urn:private-processing:problem:from-the-future\","
                    + "\"title\":\"Conflict\",\"status\":409,\"detail\":\"d\"}"));
    assertThat(newer.status()).isEqualTo(409);
    assertThat(newer.problem().type()).endsWith(":from-the-future");

    for (String garbage :
        List.of(
            "not json",
            "{\"type\":\"about:blank\",\"title\":\"x\",\"status\":400}",
            "{\"type\":\"urn:private-processing:problem:Not A Slug\",\"title\":\"x\",\"status\":400}")) {
      PipelineException upstream =
          Problems.fromReply(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, garbage));
      assertThat(upstream.is(ProblemType.UPSTREAM)).as(garbage).isTrue();
    }
    assertThat(
            Problems.fromReply(new ReplyException(ReplyFailure.ERROR, 500, "codec"))
                .is(ProblemType.UPSTREAM))
        .isTrue();
  }

  @Test
  @DisplayName("a status Vert.x failed a request with maps to the catalogue")
  void refusedByVertx() {
    Map<Integer, ProblemType> expected =
        Map.of(
            413, ProblemType.BODY_TOO_LARGE,
            405, ProblemType.METHOD_NOT_ALLOWED,
            404, ProblemType.NO_SUCH_ENDPOINT,
            415, ProblemType.UNSUPPORTED_MEDIA_TYPE,
            400, ProblemType.HTTP_REQUEST_REFUSED,
            431, ProblemType.HTTP_REQUEST_REFUSED,
            500, ProblemType.INTERNAL,
            200, ProblemType.INTERNAL);
    expected.forEach(
        (status, type) ->
            assertThat(HttpListeners.refusedByVertx(status, "GET /x").is(type))
                .as("%d", status)
                .isTrue());
  }

  static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
