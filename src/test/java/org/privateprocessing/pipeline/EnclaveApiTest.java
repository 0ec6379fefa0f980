package org.privateprocessing.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

class EnclaveApiTest {
  static final String CHAT = """
      {"chat":{"id":"c1","title":"Family","advancedChatPrivacy":%s},
       "messages":[
        {"id":"m1","from":"Alice","sentAt":"2026-11-24T10:00:00Z","text":"Shall we have dinner on Saturday for mum's birthday?"},
        {"id":"m2","from":"Bob","sentAt":"2026-11-24T10:01:00Z","text":"Yes! I can book the Italian place at seven."},
        {"id":"m3","from":"Alice","sentAt":"2026-11-24T10:02:00Z","text":"Great, I will order the cake from the bakery."}],
       "maxSentences":2}""";

  private final EnclaveApi api = new EnclaveApi(new EmbeddedModel(),
      EnclaveIdentity.generate("ab12", null, new SecureRandom()));

  static BinaryHttpRequest post(String path, String contentType, String body) {
    return BinaryHttpRequest.of("POST", "https", "enclave", path,
        List.of(new Field("content-type", contentType)), body.getBytes(StandardCharsets.UTF_8));
  }

  private static Problem problemOf(BinaryHttpResponse response) throws Exception {
    assertThat(response.header("content-type")).contains(Problem.MEDIA_TYPE);
    return Problem.parse(response.content());
  }

  @Test
  @DisplayName("a chat is summarised with highlights, model and enclave named")
  void summarizes() throws Exception {
    BinaryHttpResponse response = api.handle(post("/v1/summarize", "application/json", CHAT.formatted("false")));
    assertThat(response.status()).isEqualTo(200);
    SummarizeResponse parsed = SummarizeResponse.parse(response.content());
    assertThat(parsed.summary()).isNotBlank();
    assertThat(parsed.highlights()).isNotEmpty().allSatisfy(h -> assertThat(h.messageId()).isIn("m1", "m2", "m3"));
    assertThat(parsed.model().name()).isEqualTo("extractive-textrank");
    assertThat(parsed.enclave().id()).isEqualTo("ab12");
  }

  @Test
  @DisplayName("a draft gets at least one suggestion")
  void suggests() throws Exception {
    BinaryHttpResponse response = api.handle(post("/v1/suggest", "application/json",
        "{\"chat\":{\"id\":\"c1\"},\"draft\":\"i dont know teh answer\",\"tone\":\"proofread\"}"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(SuggestResponse.parse(response.content()).suggestions()).isNotEmpty();
  }

  @Test
  @DisplayName("a chat with advanced chat privacy is refused with 403, by the enclave too")
  void advancedChatPrivacyIsRefused() throws Exception {
    BinaryHttpResponse response = api.handle(post("/v1/summarize", "application/json", CHAT.formatted("true")));
    assertThat(response.status()).isEqualTo(403);
    assertThat(problemOf(response).type()).endsWith("advanced-chat-privacy");
    BinaryHttpResponse suggest = api.handle(post("/v1/suggest", "application/json",
        "{\"chat\":{\"id\":\"c1\",\"advancedChatPrivacy\":true},\"draft\":\"hi\",\"tone\":\"formal\"}"));
    assertThat(suggest.status()).isEqualTo(403);
  }

  @Test
  @DisplayName("malformed and oversized chats get a 400 problem naming the field, without echoing content")
  void badChatsNameTheField() throws Exception {
    BinaryHttpResponse malformed = api.handle(post("/v1/summarize", "application/json", "{\"chat\": CANARY"));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(problemOf(malformed).detail()).startsWith("$").doesNotContain("CANARY");

    String longText = "CANARY ".repeat(1000);
    BinaryHttpResponse oversized = api.handle(post("/v1/summarize", "application/json",
        "{\"chat\":{\"id\":\"c1\"},\"messages\":[{\"id\":\"m1\",\"from\":\"A\",\"text\":\"" + longText + "\"}]}"));
    assertThat(oversized.status()).isEqualTo(400);
    assertThat(problemOf(oversized).detail()).startsWith("messages[0].text").doesNotContain("CANARY");

    BinaryHttpResponse missingChat = api.handle(post("/v1/summarize", "application/json",
        "{\"messages\":[{\"id\":\"m1\",\"from\":\"A\",\"text\":\"hi\"}]}"));
    assertThat(problemOf(missingChat).detail()).startsWith("chat");
  }

  @Test
  @DisplayName("wrong path, method and content type get 404, 405 and 415 problems")
  void wrongRequestsAreRefused() throws Exception {
    assertThat(api.handle(post("/v1/translate", "application/json", "{}")).status()).isEqualTo(404);
    assertThat(api.handle(BinaryHttpRequest.of("GET", "https", "enclave", "/v1/summarize", List.of(), new byte[0]))
        .status()).isEqualTo(405);
    BinaryHttpResponse wrongType = api.handle(post("/v1/summarize", "text/plain", CHAT.formatted("false")));
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(problemOf(wrongType).title()).isEqualTo("Unsupported media type");
  }
}
