package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.infer.Answer;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.ModelException;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.RequestHeader;
import org.privateprocessing.ohttp.SymmetricSuite;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * The enclave's pipeline without Vert.x: header check, inner decapsulation, enclave API, sealing;
 * every answer opened with the client's own opener, every refusal checked for its slug and for
 * leaks of the request's content.
 */
class EnclaveStageTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Planted in every request: no exception message or problem detail may repeat it. */
  private static final String CANARY = "CANARY-5e1ec7ed";

  private static final String CHAT =
      """
      {"chat":{"id":"c1","title":"%1$s"},
       "messages":[
        {"id":"m1","from":"Alice","sentAt":"2026-11-24T10:00:00Z","text":"Shall we have dinner on Saturday? %1$s"},
        {"id":"m2","from":"Bob","sentAt":"2026-11-24T10:01:00Z","text":"Yes! I can book the Italian place at seven."},
        {"id":"m3","from":"Alice","sentAt":"2026-11-24T10:02:00Z","text":"Great, I will order the cake from the bakery."}],
       "maxSentences":2}"""
          .formatted(CANARY);

  private final EnclaveIdentity identity = EnclaveIdentity.generate("ab12", null, RANDOM);
  private final EnclaveStage stage = new EnclaveStage(identity, new EmbeddedModel());

  /** A client's side of one request: what it sends, and the opener for the one answer. */
  private record Sent(Envelope envelope, EncapsulatedRequest request) {
    BinaryHttpResponse open(Envelope answer) throws Exception {
      assertThat(answer.kind()).isEqualTo(Envelope.Kind.INNER_RESPONSE);
      return BinaryHttpResponse.parse(request.opener().open(answer.ciphertext()));
    }
  }

  private static Sent seal(KeyConfig config, SymmetricSuite suite, byte[] inner) throws Exception {
    EncapsulatedRequest request = RequestEncapsulator.encapsulate(config, suite, inner, RANDOM);
    return new Sent(Envelope.of(Envelope.Kind.INNER_REQUEST, request.bytes()), request);
  }

  private Sent seal(byte[] inner) throws Exception {
    return seal(identity.keyConfigs().get(0), SymmetricSuite.HKDF_SHA256_AES_128_GCM, inner);
  }

  private static byte[] summarize() {
    return EnclaveApiTest.post("/v1/summarize", "application/json", CHAT).encode();
  }

  /** Runs the whole stage on a request that it answers, and opens the answer as the client. */
  private BinaryHttpResponse roundTrip(EnclaveStage on, byte[] inner) throws Exception {
    Sent sent = seal(inner);
    Envelope answer = on.handle(sent.envelope());
    assertThat(new String(answer.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(CANARY);
    return sent.open(answer);
  }

  private static Problem problemOf(BinaryHttpResponse response) throws Exception {
    assertThat(response.header("content-type")).contains(Problem.MEDIA_TYPE);
    Problem problem = Problem.parse(response.content());
    assertThat(problem.detail()).doesNotContain(CANARY);
    return problem;
  }

  /** The stage's plain refusal of {@code body}: a 400 with {@code slug}, leaking nothing. */
  private PipelineException refusal(Object body, String slug) {
    PipelineException e = catchThrowableOfType(PipelineException.class, () -> stage.handle(body));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.problem().type()).isEqualTo(Problem.TYPE_PREFIX + slug);
    assertThat(e.getMessage()).doesNotContain(CANARY);
    assertThat(e.toString()).doesNotContain(CANARY);
    return e;
  }

  @Test
  @DisplayName(
      "a summary request sealed to each live key with each offered suite is answered, sealed for the client")
  void handle_eachKeyConfigAndSuite_isAnsweredToTheClient() throws Exception {
    assertThat(identity.keyConfigs())
        .extracting(KeyConfig::kemId)
        .containsExactly(HpkeIds.KEM_X_WING, HpkeIds.KEM_X25519_HKDF_SHA256);
    for (KeyConfig config : identity.keyConfigs()) {
      for (SymmetricSuite suite : config.suites()) {
        Sent sent = seal(config, suite, summarize());
        BinaryHttpResponse response = sent.open(stage.handle(sent.envelope()));
        assertThat(response.status()).as("%s %s", config, suite).isEqualTo(200);
        assertThat(response.header("content-type")).contains("application/json");
        SummarizeResponse summary = SummarizeResponse.parse(response.content());
        assertThat(summary.summary()).isNotBlank();
        assertThat(summary.enclave().id()).isEqualTo("ab12");
        assertThat(summary.model().name()).isEqualTo("extractive-textrank");
      }
    }
  }

  @Test
  @DisplayName("a suggestion request is answered through the same steps")
  void handle_suggest_isAnswered() throws Exception {
    BinaryHttpResponse response =
        roundTrip(
            stage,
            EnclaveApiTest.post(
                    "/v1/suggest",
                    "application/json",
                    "{\"chat\":{\"id\":\"c1\"},\"draft\":\"i dont know teh answer\",\"tone\":\"proofread\"}")
                .encode());
    assertThat(response.status()).isEqualTo(200);
    assertThat(SuggestResponse.parse(response.content()).suggestions()).isNotEmpty();
  }

  @Test
  @DisplayName(
      "the steps run one by one, as the three verticles run them, give an answer the client opens")
  void steps_runSeparately_composeToTheSameAnswer() throws Exception {
    Sent sent = seal(summarize());
    Envelope admitted = stage.admit(sent.envelope());
    assertThat(admitted).isSameAs(sent.envelope());
    DecapsulatedRequest opened = stage.open(admitted);
    assertThat(opened.content()).isEqualTo(summarize());
    byte[] plain = stage.answer(opened.content());
    assertThat(BinaryHttpResponse.parse(plain).status()).isEqualTo(200);
    PlainResponse handed = new PlainResponse(plain, opened.sealer());
    Envelope answer = EnclaveStage.seal(handed, RANDOM);
    assertThat(sent.open(answer).status()).isEqualTo(200);
    assertThat(handed.binaryHttp()).as("wiped after sealing").containsOnly((byte) 0);
  }

  @Test
  @DisplayName(
      "a request for a key id this enclave does not hold is refused from the header, before decryption")
  void handle_wrongKeyId_isInnerUnknownKey() throws Exception {
    byte[] bytes = seal(summarize()).envelope().ciphertext();
    bytes[0] = 7;
    // The rest is garbage too: had decryption been tried, the refusal would be decryption-failed.
    Arrays.fill(bytes, RequestHeader.LENGTH, bytes.length, (byte) 0x5a);
    PipelineException e =
        refusal(Envelope.of(Envelope.Kind.INNER_REQUEST, bytes), "inner-unknown-key");
    assertThat(e.getMessage()).contains("key id 7").contains("ab12").contains("/v1/enclaves");
  }

  @Test
  @DisplayName("a request shorter than its 7-byte header is inner-truncated, at every length")
  void handle_truncatedHeader_isInnerTruncated() throws Exception {
    byte[] full = seal(summarize()).envelope().ciphertext();
    for (int length = 0; length < RequestHeader.LENGTH; length++) {
      PipelineException e =
          refusal(
              Envelope.of(Envelope.Kind.INNER_REQUEST, Arrays.copyOf(full, length)),
              "inner-truncated");
      assertThat(e.getMessage()).as("length %d", length).contains("shorter than its header");
    }
  }

  @Test
  @DisplayName(
      "a whole header followed by too little ciphertext is inner-truncated by decapsulation")
  void handle_cutCiphertext_isInnerTruncated() throws Exception {
    byte[] full = seal(summarize()).envelope().ciphertext();
    PipelineException e =
        refusal(
            Envelope.of(Envelope.Kind.INNER_REQUEST, Arrays.copyOf(full, RequestHeader.LENGTH + 5)),
            "inner-truncated");
    assertThat(e.getMessage()).startsWith("inner request could not be decapsulated");
  }

  @Test
  @DisplayName("a garbled header (another KEM, an unknown AEAD or KDF) is inner-unsupported-suite")
  void handle_garbledHeader_isInnerUnsupportedSuite() throws Exception {
    byte[] good = seal(summarize()).envelope().ciphertext(); // X-Wing, AES-128-GCM
    byte[] otherKem = good.clone();
    otherKem[1] = 0x00;
    otherKem[2] = 0x20; // X25519 under the X-Wing key's id
    byte[] unknownAead = good.clone();
    unknownAead[6] = 0x02;
    byte[] unknownKdf = good.clone();
    unknownKdf[4] = 0x02;
    for (byte[] bad : List.of(otherKem, unknownAead, unknownKdf)) {
      PipelineException e =
          refusal(Envelope.of(Envelope.Kind.INNER_REQUEST, bad), "inner-unsupported-suite");
      assertThat(e.getMessage()).contains("key id " + (good[0] & 0xff));
    }
  }

  @Test
  @DisplayName("a flipped byte in the encapsulated key or ciphertext is inner-decryption-failed")
  void handle_garbageCiphertext_isInnerDecryptionFailed() throws Exception {
    byte[] good = seal(summarize()).envelope().ciphertext();
    for (int at : new int[] {RequestHeader.LENGTH, good.length / 2, good.length - 1}) {
      byte[] bad = good.clone();
      bad[at] ^= 0x01;
      refusal(Envelope.of(Envelope.Kind.INNER_REQUEST, bad), "inner-decryption-failed");
    }
  }

  @Test
  @DisplayName(
      "a request sealed to another enclave's key with the same id passes the header check and fails decryption")
  void handle_anotherEnclavesKey_isInnerDecryptionFailed() throws Exception {
    EnclaveIdentity other = EnclaveIdentity.generate("cd34", null, RANDOM);
    Sent sent =
        seal(other.keyConfigs().get(0), SymmetricSuite.HKDF_SHA256_AES_128_GCM, summarize());
    assertThat(stage.admit(sent.envelope())).isSameAs(sent.envelope());
    refusal(sent.envelope(), "inner-decryption-failed");
  }

  @Test
  @DisplayName("anything but an inner request envelope is bad-envelope")
  void handle_notAnInnerRequest_isBadEnvelope() throws Exception {
    byte[] good = seal(summarize()).envelope().ciphertext();
    refusal(Envelope.of(Envelope.Kind.OUTER_REQUEST, good), "bad-envelope");
    refusal(Envelope.of(Envelope.Kind.INNER_RESPONSE, good), "bad-envelope");
    refusal(good, "bad-envelope");
    refusal(CANARY, "bad-envelope");
    refusal(null, "bad-envelope");
  }

  @Test
  @DisplayName(
      "an inner plaintext that is not Binary HTTP gets a sealed 400 binary-http, not a plain failure")
  void handle_malformedBinaryHttp_isSealedProblem() throws Exception {
    BinaryHttpResponse response =
        roundTrip(stage, ("not binary http " + CANARY).getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).isEqualTo(400);
    assertThat(problemOf(response).type()).isEqualTo(Problem.TYPE_PREFIX + "binary-http");

    byte[] cut = summarize();
    BinaryHttpResponse truncated = roundTrip(stage, Arrays.copyOf(cut, cut.length / 2));
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(problemOf(truncated).type()).isEqualTo(Problem.TYPE_PREFIX + "binary-http");

    BinaryHttpResponse empty = roundTrip(stage, new byte[0]);
    assertThat(empty.status()).isEqualTo(400);
    problemOf(empty);
  }

  @Test
  @DisplayName("the answer step turns any bytes into a response, never an exception")
  void answer_randomBytes_neverThrows() throws Exception {
    Random seeded = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[seeded.nextInt(64)];
      seeded.nextBytes(junk);
      BinaryHttpResponse response = BinaryHttpResponse.parse(stage.answer(junk));
      assertThat(response.status()).as("input %d", i).isBetween(400, 499);
    }
  }

  @Test
  @DisplayName("unknown path, wrong method and wrong content type get sealed 404, 405 and 415")
  void handle_unknownPathOrMethod_isSealedProblem() throws Exception {
    BinaryHttpResponse unknown =
        roundTrip(stage, EnclaveApiTest.post("/v1/translate", "application/json", CHAT).encode());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(problemOf(unknown).type()).isEqualTo(Problem.TYPE_PREFIX + "no-such-endpoint");

    BinaryHttpResponse get =
        roundTrip(
            stage,
            BinaryHttpRequest.of("GET", "https", "enclave", "/v1/summarize", List.of(), new byte[0])
                .encode());
    assertThat(get.status()).isEqualTo(405);
    assertThat(problemOf(get).type()).isEqualTo(Problem.TYPE_PREFIX + "method-not-allowed");

    BinaryHttpResponse text =
        roundTrip(stage, EnclaveApiTest.post("/v1/summarize", "text/plain", CHAT).encode());
    assertThat(text.status()).isEqualTo(415);
    problemOf(text);
  }

  @Test
  @DisplayName("a chat field that is invalid gets a sealed 400 naming the field, not its content")
  void handle_invalidJson_isSealedProblem() throws Exception {
    BinaryHttpResponse response =
        roundTrip(
            stage,
            EnclaveApiTest.post("/v1/summarize", "application/json", "{\"chat\": " + CANARY)
                .encode());
    assertThat(response.status()).isEqualTo(400);
    assertThat(problemOf(response).type()).isEqualTo(Problem.TYPE_PREFIX + "invalid-request");
  }

  @Test
  @DisplayName(
      "an unknown member name gets a sealed 400 naming its position, never the name itself")
  void handle_unknownMember_isSealedProblemByPosition() throws Exception {
    String json =
        "{\"chat\":{\"id\":\"c1\",\""
            + CANARY
            + "\":1},\"messages\":[{\"id\":\"m1\",\"from\":\"A\",\"text\":\"x\"}]}";
    BinaryHttpResponse response =
        roundTrip(stage, EnclaveApiTest.post("/v1/summarize", "application/json", json).encode());
    assertThat(response.status()).isEqualTo(400);
    assertThat(problemOf(response).detail())
        .isEqualTo(
            "chat: unknown member at position 2 (allowed here: id, title, advancedChatPrivacy)");
  }

  @Test
  @DisplayName(
      "the answer step wipes the plaintext request it was given: answered, refused or unparsable")
  void answer_wipesTheRequestOnEveryPath() throws Exception {
    byte[] answered = summarize();
    byte[] refused =
        EnclaveApiTest.post(
                "/v1/summarize", "application/json", CHAT.replace("\"maxSentences\":2", "\"x\":1"))
            .encode();
    byte[] unparsable = Arrays.copyOf(summarize(), 9);
    assertThat(BinaryHttpResponse.parse(stage.answer(answered)).status()).isEqualTo(200);
    assertThat(BinaryHttpResponse.parse(stage.answer(refused)).status()).isEqualTo(400);
    assertThat(BinaryHttpResponse.parse(stage.answer(unparsable)).status()).isEqualTo(400);
    for (byte[] request : List.of(answered, refused, unparsable)) {
      assertThat(request).containsOnly(0);
    }
  }

  /** A model that fails as told, quoting the chat in its message as a careless model might. */
  private static Model failing(RuntimeException failure) {
    return new Model() {
      @Override
      public ModelInfo info() {
        return new ModelInfo("failing", "1");
      }

      @Override
      public Answer<Summary> summarize(SummarizeRequest request) {
        throw failure;
      }

      @Override
      public Answer<List<Suggestion>> suggest(SuggestRequest request) {
        throw failure;
      }
    };
  }

  @Test
  @DisplayName(
      "a model that fails gets a sealed generic 500, whatever its exception says about the chat")
  void handle_modelFailure_isSealedGeneric500() throws Exception {
    for (RuntimeException failure :
        List.of(
            new IllegalStateException("model choked on: " + CANARY),
            new ModelException(ModelException.Reason.TIMEOUT, "timed out"))) {
      EnclaveStage broken = new EnclaveStage(identity, failing(failure));
      BinaryHttpResponse response = roundTrip(broken, summarize());
      assertThat(response.status()).isEqualTo(500);
      assertThat(problemOf(response).type()).isEqualTo(Problem.TYPE_PREFIX + "internal");
    }
  }

  @Test
  @DisplayName("each answer is sealed under a fresh nonce: the same request twice never repeats")
  void handle_sameRequestTwice_sealsDifferently() throws Exception {
    Sent first = seal(summarize());
    Sent second = seal(summarize());
    Envelope a = stage.handle(first.envelope());
    Envelope b = stage.handle(second.envelope());
    assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
    assertThat(first.open(a).status()).isEqualTo(200);
    assertThat(second.open(b).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a sealer seals once: a second answer to the same request is refused, and wiped too")
  void seal_twice_isRefusedAndStillWipes() throws Exception {
    Sent sent = seal(summarize());
    DecapsulatedRequest opened = stage.open(stage.admit(sent.envelope()));
    EnclaveStage.seal(new PlainResponse(stage.answer(opened.content()), opened.sealer()), RANDOM);
    PlainResponse again = new PlainResponse(new byte[] {1, 2, 3}, opened.sealer());
    assertThatThrownBy(() -> EnclaveStage.seal(again, RANDOM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already sealed");
    assertThat(again.binaryHttp()).containsOnly((byte) 0);
  }

  @Test
  @DisplayName("the plaintext handed to sealing shows its size only, never its bytes")
  void plainResponse_toString_showsSizeOnly() throws Exception {
    Sent sent = seal(summarize());
    DecapsulatedRequest opened = stage.open(sent.envelope());
    byte[] plain = stage.answer(opened.content());
    assertThat(new PlainResponse(plain, opened.sealer()).toString())
        .isEqualTo("PlainResponse[" + plain.length + " bytes]");
    assertThat(stage.toString()).isEqualTo("EnclaveStage[ab12]");
    assertThat(stage.enclaveId()).isEqualTo("ab12");
  }
}
