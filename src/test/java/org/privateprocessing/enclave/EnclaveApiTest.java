package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.infer.Answer;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.FallbackModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.ModelException;
import org.privateprocessing.infer.OpenAiCompatibleModel;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

public class EnclaveApiTest {
  public static final String CHAT =
      """
      {"chat":{"id":"c1","title":"Family","advancedChatPrivacy":%s},
       "messages":[
        {"id":"m1","from":"Alice","sentAt":"2026-11-24T10:00:00Z","text":"Shall we have dinner on Saturday for mum's birthday?"},
        {"id":"m2","from":"Bob","sentAt":"2026-11-24T10:01:00Z","text":"Yes! I can book the Italian place at seven."},
        {"id":"m3","from":"Alice","sentAt":"2026-11-24T10:02:00Z","text":"Great, I will order the cake from the bakery."}],
       "maxSentences":2}""";

  private final EnclaveApi api =
      new EnclaveApi(
          new EmbeddedModel(), EnclaveIdentity.generate("ab12", null, new SecureRandom()));

  public static BinaryHttpRequest post(String path, String contentType, String body) {
    return BinaryHttpRequest.of(
        "POST",
        "https",
        "enclave",
        path,
        List.of(new Field("content-type", contentType)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static Problem problemOf(BinaryHttpResponse response) throws Exception {
    assertThat(response.header("content-type")).contains(Problem.MEDIA_TYPE);
    return Problem.parse(response.content());
  }

  @Test
  @DisplayName("a chat is summarised with highlights, model and enclave named")
  void summarizes() throws Exception {
    BinaryHttpResponse response =
        api.handle(post("/v1/summarize", "application/json", CHAT.formatted("false")));
    assertThat(response.status()).isEqualTo(200);
    SummarizeResponse parsed = SummarizeResponse.parse(response.content());
    assertThat(parsed.summary()).isNotBlank();
    assertThat(parsed.highlights())
        .isNotEmpty()
        .allSatisfy(h -> assertThat(h.messageId()).isIn("m1", "m2", "m3"));
    assertThat(parsed.model().name()).isEqualTo("extractive-textrank");
    assertThat(parsed.enclave().id()).isEqualTo("ab12");
  }

  @Test
  @DisplayName("a draft gets at least one suggestion")
  void suggests() throws Exception {
    BinaryHttpResponse response =
        api.handle(
            post(
                "/v1/suggest",
                "application/json",
                "{\"chat\":{\"id\":\"c1\"},\"draft\":\"i dont know teh answer\",\"tone\":\"proofread\"}"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(SuggestResponse.parse(response.content()).suggestions()).isNotEmpty();
  }

  @Test
  @DisplayName("a chat with advanced chat privacy is refused with 403, by the enclave too")
  void advancedChatPrivacyIsRefused() throws Exception {
    BinaryHttpResponse response =
        api.handle(post("/v1/summarize", "application/json", CHAT.formatted("true")));
    assertThat(response.status()).isEqualTo(403);
    assertThat(problemOf(response).type()).endsWith("advanced-chat-privacy");
    BinaryHttpResponse suggest =
        api.handle(
            post(
                "/v1/suggest",
                "application/json",
                "{\"chat\":{\"id\":\"c1\",\"advancedChatPrivacy\":true},\"draft\":\"hi\",\"tone\":\"formal\"}"));
    assertThat(suggest.status()).isEqualTo(403);
  }

  @Test
  @DisplayName(
      "malformed and oversized chats get a 400 problem naming the field, without echoing content")
  void badChatsNameTheField() throws Exception {
    BinaryHttpResponse malformed =
        api.handle(post("/v1/summarize", "application/json", "{\"chat\": CANARY"));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(problemOf(malformed).detail()).startsWith("$").doesNotContain("CANARY");

    String longText = "CANARY ".repeat(1000);
    BinaryHttpResponse oversized =
        api.handle(
            post(
                "/v1/summarize",
                "application/json",
                "{\"chat\":{\"id\":\"c1\"},\"messages\":[{\"id\":\"m1\",\"from\":\"A\",\"text\":\""
                    + longText
                    + "\"}]}"));
    assertThat(oversized.status()).isEqualTo(400);
    assertThat(problemOf(oversized).detail())
        .startsWith("messages[0].text")
        .doesNotContain("CANARY");

    BinaryHttpResponse missingChat =
        api.handle(
            post(
                "/v1/summarize",
                "application/json",
                "{\"messages\":[{\"id\":\"m1\",\"from\":\"A\",\"text\":\"hi\"}]}"));
    assertThat(problemOf(missingChat).detail()).startsWith("chat");
  }

  @Test
  @DisplayName("wrong path, method and content type get 404, 405 and 415 problems")
  void wrongRequestsAreRefused() throws Exception {
    assertThat(api.handle(post("/v1/translate", "application/json", "{}")).status()).isEqualTo(404);
    assertThat(
            api.handle(
                    BinaryHttpRequest.of(
                        "GET", "https", "enclave", "/v1/summarize", List.of(), new byte[0]))
                .status())
        .isEqualTo(405);
    BinaryHttpResponse wrongType =
        api.handle(post("/v1/summarize", "text/plain", CHAT.formatted("false")));
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(problemOf(wrongType).title()).isEqualTo("Unsupported media type");
  }

  /** A model that answers as "stub 7", or fails with a timeout. */
  private static Model stub(boolean fails) {
    ModelInfo info = new ModelInfo("stub", "7");
    return new Model() {
      @Override
      public ModelInfo info() {
        return info;
      }

      @Override
      public Answer<Summary> summarize(SummarizeRequest request) {
        if (fails) {
          throw new ModelException(ModelException.Reason.TIMEOUT, "timed out");
        }
        return new Answer<>(new Summary("Dinner on Saturday.", List.of()), info);
      }

      @Override
      public Answer<List<Suggestion>> suggest(SuggestRequest request) {
        if (fails) {
          throw new ModelException(ModelException.Reason.TIMEOUT, "timed out");
        }
        return new Answer<>(List.of(new Suggestion("Hello.")), info);
      }
    };
  }

  @Test
  @DisplayName(
      "the response names the model that answered: the primary, or the fallback when the primary failed")
  void responseNamesTheModelThatAnswered() throws Exception {
    EnclaveIdentity identity = EnclaveIdentity.generate("ab12", null, new SecureRandom());
    String draft = "{\"chat\":{\"id\":\"c1\"},\"draft\":\"hi there\",\"tone\":\"formal\"}";

    EnclaveApi working =
        new EnclaveApi(new FallbackModel(stub(false), new EmbeddedModel()), identity);
    SummarizeResponse summary =
        SummarizeResponse.parse(
            working
                .handle(post("/v1/summarize", "application/json", CHAT.formatted("false")))
                .content());
    assertThat(summary.model()).isEqualTo(new ModelInfo("stub", "7"));
    assertThat(summary.summary()).isEqualTo("Dinner on Saturday.");
    assertThat(
            SuggestResponse.parse(
                    working.handle(post("/v1/suggest", "application/json", draft)).content())
                .model())
        .isEqualTo(new ModelInfo("stub", "7"));

    EnclaveApi failing =
        new EnclaveApi(new FallbackModel(stub(true), new EmbeddedModel()), identity);
    BinaryHttpResponse fellBack =
        failing.handle(post("/v1/summarize", "application/json", CHAT.formatted("false")));
    assertThat(fellBack.status()).isEqualTo(200);
    assertThat(SummarizeResponse.parse(fellBack.content()).model())
        .isEqualTo(new ModelInfo("extractive-textrank", "1"));
    assertThat(
            SuggestResponse.parse(
                    failing.handle(post("/v1/suggest", "application/json", draft)).content())
                .model())
        .isEqualTo(new ModelInfo("extractive-textrank", "1"));
  }

  @Test
  @DisplayName("a model that fails without a fallback gives a problem response, not an exception")
  void failingModelGivesAProblem() throws Exception {
    EnclaveApi failing =
        new EnclaveApi(stub(true), EnclaveIdentity.generate("ab12", null, new SecureRandom()));
    BinaryHttpResponse response =
        failing.handle(post("/v1/summarize", "application/json", CHAT.formatted("false")));
    assertThat(response.status()).isGreaterThanOrEqualTo(500);
    assertThat(problemOf(response).detail()).doesNotContain("Saturday");
  }

  @Nested
  @DisplayName("enclave model configuration")
  class ModelConfig {
    private static final Map<String, String> ENV = Map.of("PP_MODEL_KEY", "sk-from-env");

    private EnclaveOptions parse(String json) {
      return EnclaveOptions.fromJson(new JsonObject(json), ENV::get);
    }

    @Test
    @DisplayName("no model configured means the embedded model")
    void defaultIsEmbedded() {
      EnclaveOptions o = EnclaveOptions.fromJson(null);
      assertThat(o.model()).isEqualTo("embedded");
      assertThat(o.openai()).isNull();
      assertThat(o.createModel()).isInstanceOf(EmbeddedModel.class);
      assertThat(parse("{\"model\":\"embedded\",\"openai\":{\"bogus\":1}}").createModel())
          .isInstanceOf(EmbeddedModel.class);
    }

    @Test
    @DisplayName(
        "openai-compatible with defaults: loopback server, the default budget, embedded fallback")
    void openAiDefaults() {
      EnclaveOptions o = parse("{\"id\":\"ab12\",\"model\":\"openai-compatible\"}");
      assertThat(o.openai().baseUrl()).hasToString("http://127.0.0.1:8000");
      assertThat(o.openai().model()).isEqualTo("llama-3.1-8b-instruct");
      assertThat(o.openai().timeout()).isEqualTo(Duration.ofMillis(8_000));
      assertThat(o.openai().maxTokens()).isEqualTo(512);
      assertThat(o.openai().maxInputChars()).isEqualTo(24_000);
      assertThat(o.openai().apiKey()).isNull();
      Model model = o.createModel();
      assertThat(model).isInstanceOf(FallbackModel.class);
      assertThat(model.info())
          .isEqualTo(new ModelInfo("openai-compatible:llama-3.1-8b-instruct", "unknown"));
    }

    @Test
    @DisplayName("every openai key is read; the API key may come from a named environment variable")
    void openAiFullConfig() {
      OpenAiCompatibleModel.Options o =
          parse(
                  """
          {"model":"openai-compatible","openai":{"baseUrl":"http://localhost:11434","model":"qwen2.5:7b",
           "timeoutMs":5000,"connectTimeoutMs":500,"maxTokens":256,"maxInputChars":12000,
           "apiKeyEnv":"PP_MODEL_KEY","allowRemote":false}}""")
              .openai();
      assertThat(o.baseUrl()).hasToString("http://localhost:11434");
      assertThat(o.model()).isEqualTo("qwen2.5:7b");
      assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(o.connectTimeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(o.maxTokens()).isEqualTo(256);
      assertThat(o.maxInputChars()).isEqualTo(12_000);
      assertThat(o.apiKey()).isEqualTo("sk-from-env");
      assertThat(
              parse("{\"model\":\"openai-compatible\",\"openai\":{\"apiKey\":\"sk-inline\"}}")
                  .openai()
                  .apiKey())
          .isEqualTo("sk-inline");
      assertThat(
              parse(
                      "{\"model\":\"openai-compatible\",\"openai\":{\"baseUrl\":\"http://10.1.2.3:8000\","
                          + "\"allowRemote\":true}}")
                  .openai()
                  .allowRemote())
          .isTrue();
    }

    @Test
    @DisplayName(
        "bad configurations are refused with a message naming the key, never a key's secret")
    void badConfigsAreRefused() {
      assertThatThrownBy(() -> parse("{\"model\":\"gpt-4\"}"))
          .hasMessageContaining("unknown model 'gpt-4'")
          .hasMessageContaining("known: embedded, openai-compatible");
      assertThatThrownBy(
              () -> parse("{\"model\":\"openai-compatible\",\"openai\":{\"timeoutSecs\":5}}"))
          .hasMessageContaining("unknown key 'timeoutSecs'");
      assertThatThrownBy(
              () ->
                  parse(
                      "{\"model\":\"openai-compatible\",\"openai\":{\"baseUrl\":\"http://10.1.2.3:8000\"}}"))
          .hasMessageContaining("not loopback");
      assertThatThrownBy(
              () ->
                  parse(
                      "{\"model\":\"openai-compatible\",\"openai\":{\"apiKeyEnv\":\"UNSET_VAR\"}}"))
          .hasMessageContaining("'UNSET_VAR' is not set");
      assertThatThrownBy(
              () ->
                  parse(
                      "{\"model\":\"openai-compatible\",\"openai\":{\"apiKey\":\"sk-SECRET\","
                          + "\"apiKeyEnv\":\"PP_MODEL_KEY\"}}"))
          .hasMessageContaining("not both")
          .message()
          .doesNotContain("sk-SECRET");
      assertThatThrownBy(
              () ->
                  parse("{\"model\":\"openai-compatible\",\"openai\":{\"apiKey\":\"sk SECRET\"}}"))
          .hasMessageContaining("apiKey")
          .message()
          .doesNotContain("SECRET");
      assertThatThrownBy(
              () -> parse("{\"model\":\"openai-compatible\",\"openai\":{\"maxTokens\":\"512\"}}"))
          .hasMessageContaining("enclave.openai.maxTokens");
      assertThatThrownBy(
              () -> parse("{\"model\":\"openai-compatible\",\"openai\":{\"maxTokens\":1}}"))
          .hasMessageContaining("maxTokens");
      assertThatThrownBy(
              () -> parse("{\"model\":\"openai-compatible\",\"openai\":{\"timeoutMs\":0}}"))
          .hasMessageContaining("timeout");
      assertThatThrownBy(
              () -> parse("{\"model\":\"openai-compatible\",\"openai\":\"http://127.0.0.1\"}"))
          .hasMessageContaining("enclave.openai: must be an object");
      assertThatThrownBy(
              () ->
                  parse("{\"model\":\"openai-compatible\",\"openai\":{\"baseUrl\":\"not a url\"}}"))
          .hasMessageContaining("baseUrl");
      assertThatThrownBy(() -> parse("{\"model\":7}")).hasMessageContaining("unknown model");
    }
  }
}
