package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.Tone;

/** The paced model server over real HTTP on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PacedModelServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  private static PacedModelServer server;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws IOException {
    server = PacedModelServer.start(PacedModelServer.Options.defaults().withPort(0).withPace(1000));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(server.baseUrl() + OpenAiCompatibleModel.COMPLETIONS_PATH))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String request(boolean stream, String user) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", "x").put("stream", stream);
    ArrayNode messages = root.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You summarise.");
    messages.addObject().put("role", "user").put("content", user);
    return root.toString();
  }

  /** The contents of the data events of an SSE body, {@code [DONE]} included. */
  static List<String> events(String body) {
    List<String> out = new ArrayList<>();
    new ServerSentEvents(1 << 20, out::add).feed(body.getBytes(StandardCharsets.UTF_8));
    return out;
  }

  static String summarizePrompt(List<ChatMessage> messages, int maxSentences) {
    StringBuilder chat = new StringBuilder();
    for (ChatMessage m : messages) {
      chat.append(OpenAiCompatibleModel.messageLine(m)).append('\n');
    }
    return "Summarise this chat in at most "
        + maxSentences
        + " sentences.\n\n<<<CHAT\n"
        + chat
        + "CHAT>>>\n\nReminder: ...";
  }

  @Test
  @DisplayName("a streamed summary is the embedded summary of the chat block, token by token")
  void streamedSummary() throws Exception {
    List<ChatMessage> messages = OpenAiCompatibleModelStreamingTest.picnicChat(2).messages();
    HttpResponse<String> r = post(request(true, summarizePrompt(messages, 2)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    List<String> events = events(r.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    StringBuilder content = new StringBuilder();
    int contentEvents = 0;
    for (String e : events.subList(0, events.size() - 1)) {
      JsonNode delta = JSON.readTree(e).get("choices").get(0).get("delta");
      if (delta.has("content")) {
        content.append(delta.get("content").textValue());
        contentEvents++;
      }
    }
    String expected = new TextRankSummarizer().summarize(messages, 2).text();
    assertThat(content.toString()).isEqualTo(expected);
    assertThat(contentEvents).isEqualTo(PacedModelServer.tokens(expected).size()).isGreaterThan(5);
  }

  @Test
  @DisplayName("a whole answer to a suggest prompt is the writing assistant's rewrites as JSON")
  void wholeSuggestions() throws Exception {
    String draft = "i dont know teh answer";
    String prompt =
        "Rewrite this draft in a friendly tone.\n\n<<<DRAFT\n"
            + PromptTemplates.dataLine(java.util.Map.of("draft", draft))
            + "\nDRAFT>>>\n";
    HttpResponse<String> r = post(request(false, prompt));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode root = JSON.readTree(r.body());
    assertThat(root.get("model").textValue()).isEqualTo(PacedModelServer.Options.DEFAULT_MODEL);
    String content = root.get("choices").get(0).get("message").get("content").textValue();
    assertThat(OpenAiCompatibleModel.parseSuggestions(content).stream().map(Suggestion::text))
        .isEqualTo(
            new WritingAssistant()
                .suggest(draft, Tone.FRIENDLY).stream().map(Suggestion::text).toList());
  }

  @Test
  @DisplayName("any other chat is summarised from its messages; different chats, different answers")
  void plainChat() throws Exception {
    String a =
        post(request(false, "The train to Berlin leaves at nine. I booked two seats.")).body();
    String b = post(request(false, "The dentist moved my appointment to Friday morning.")).body();
    assertThat(a).contains("Berlin").doesNotContain("dentist");
    assertThat(b).contains("dentist").doesNotContain("Berlin");
  }

  @Test
  @DisplayName("the fail-after header drops the connection or sends an error event mid-stream")
  void failuresOnDemand() throws Exception {
    String body = request(true, "The train to Berlin leaves at nine. I booked two seats.");
    HttpResponse<String> error =
        post(
            body,
            PacedModelServer.FAIL_AFTER_HEADER,
            "2",
            PacedModelServer.FAIL_MODE_HEADER,
            "error");
    List<String> events = events(error.body());
    assertThat(events.get(events.size() - 1)).contains("\"error\"");
    assertThat(events).doesNotContain("[DONE]").hasSize(4); // role, two tokens, error
    assertThatThrownBy(() -> post(body, PacedModelServer.FAIL_AFTER_HEADER, "2"))
        .isInstanceOf(IOException.class);
    // The server goes on answering.
    assertThat(post(body).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("bad requests get an OpenAI-style error and change nothing; the server goes on")
  void badRequests() throws Exception {
    record Case(int status, HttpResponse<String> response) {}
    List<Case> cases = new ArrayList<>();
    cases.add(new Case(400, post("{not json")));
    cases.add(new Case(400, post("[1,2]")));
    cases.add(new Case(400, post("{\"messages\":[]}")));
    cases.add(new Case(400, post("{\"messages\":[{\"role\":\"user\",\"content\":7}]}")));
    cases.add(
        new Case(
            400,
            post("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}")));
    cases.add(new Case(400, post("{\"messages\":[{\"role\":\"user\",\"content\":\"...\"}]}")));
    cases.add(
        new Case(
            400, post(request(true, "Hello there."), PacedModelServer.FAIL_AFTER_HEADER, "soon")));
    cases.add(
        new Case(
            400,
            post(request(true, "Hello there."), PacedModelServer.FAIL_MODE_HEADER, "explode")));
    cases.add(new Case(400, post(request(false, "go\n<<<DRAFT\nCANARY not json\nDRAFT>>>"))));
    cases.add(
        new Case(
            413,
            post("{\"messages\":\"" + "x".repeat(PacedModelServer.MAX_REQUEST_BYTES) + "\"}")));
    cases.add(
        new Case(
            404,
            HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())));
    cases.add(
        new Case(
            405,
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + OpenAiCompatibleModel.COMPLETIONS_PATH))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())));
    for (Case c : cases) {
      assertThat(c.response().statusCode()).as(c.response().body()).isEqualTo(c.status());
      JsonNode error = JSON.readTree(c.response().body()).get("error");
      assertThat(error.get("message").textValue()).isNotBlank().doesNotContain("CANARY");
    }
    assertThat(post(request(false, "Lunch at noon? Yes, at the usual place.")).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("options: loopback only, a sane pace, a taken port is an error")
  void options() throws Exception {
    PacedModelServer.Options d = PacedModelServer.Options.defaults();
    assertThatThrownBy(() -> new PacedModelServer.Options("10.0.0.1", 0, 20, "m", -1, d.failMode()))
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> d.withPace(0)).hasMessageContaining("tokens per second");
    assertThatThrownBy(() -> d.withPort(70_000)).hasMessageContaining("port");
    assertThatThrownBy(() -> d.withFailure(-2, d.failMode())).hasMessageContaining("fail after");
    assertThatThrownBy(() -> PacedModelServer.FailMode.parse("boom"))
        .hasMessageContaining("close or error");
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> PacedModelServer.start(d.withPort(taken.getLocalPort())))
          .isInstanceOf(java.net.BindException.class);
    }
  }

  @Test
  @DisplayName("tokens are words with the white space before them; joined, they are the text")
  void tokens() {
    assertThat(PacedModelServer.tokens("Alice booked it.\nBob pays."))
        .containsExactly("Alice", " booked", " it.", "\nBob", " pays.");
    assertThat(String.join("", PacedModelServer.tokens("  a  b \n"))).isEqualTo("  a  b \n");
  }
}
