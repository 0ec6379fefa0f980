package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SummarizeRequestTest {
  static final String CANARY = "CANARY-7f3a";

  static final String DESIGN_EXAMPLE =
      """
            {"chat": {"id": "c1", "title": "Family", "advancedChatPrivacy": false},
             "messages": [{"id": "m1", "from": "Alice", "sentAt": "2026-11-24T10:00:00Z", "text": "..."}],
             "maxSentences": 3}""";

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String messages(int n, String text) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"id\":\"m")
          .append(i)
          .append("\",\"from\":\"A\",\"text\":\"")
          .append(text)
          .append("\"}");
    }
    return b.append(']').toString();
  }

  static String request(String messagesJson, String rest) {
    return "{\"chat\":{\"id\":\"c1\"},\"messages\":" + messagesJson + rest + "}";
  }

  @Test
  void parse_acceptsTheDesignExample() throws Exception {
    SummarizeRequest r = SummarizeRequest.parse(utf8(DESIGN_EXAMPLE));
    assertThat(r.chat()).isEqualTo(new Chat("c1", "Family", false));
    assertThat(r.messages())
        .containsExactly(new ChatMessage("m1", "Alice", "2026-11-24T10:00:00Z", "..."));
    assertThat(r.maxSentences()).isEqualTo(3);
  }

  @Test
  void encode_writesTheDesignShapeAndOmitsNulls() {
    SummarizeRequest r =
        new SummarizeRequest(
            new Chat("c1", null, false), List.of(new ChatMessage("m1", "Alice", null, "hi")), 2);
    assertThat(new String(r.encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"chat\":{\"id\":\"c1\",\"advancedChatPrivacy\":false},"
                + "\"messages\":[{\"id\":\"m1\",\"from\":\"Alice\",\"text\":\"hi\"}],\"maxSentences\":2}");
  }

  @Test
  void parseOfEncode_returnsAnEqualRequest() throws Exception {
    SummarizeRequest r =
        new SummarizeRequest(
            new Chat("c1", "Family 👪", true),
            List.of(
                new ChatMessage("m1", "Alice", "2026-11-24T10:00:00Z", "Dinner at 7?"),
                new ChatMessage(
                    "m2", "Bob", "2026-11-24T10:01:00+01:00", "Yes 🎉 https://ex.com/a?b=c"),
                new ChatMessage("m3", "Chloé", null, "")),
            10);
    assertThat(SummarizeRequest.parse(r.encode())).isEqualTo(r);
  }

  @Test
  void parse_defaultsMaxSentencesAndPrivacy() throws Exception {
    SummarizeRequest r =
        SummarizeRequest.parse(
            utf8(
                "{\"chat\":{\"id\":\"c1\"},"
                    + "\"messages\":[{\"id\":\"m1\",\"from\":\"A\",\"text\":\"x\"}]}"));
    assertThat(r.maxSentences()).isEqualTo(ApiLimits.DEFAULT_SENTENCES);
    assertThat(r.chat().advancedChatPrivacy()).isFalse();
    assertThat(r.chat().title()).isNull();
  }

  static Stream<Arguments> unknownMembers() {
    String c = CANARY;
    String message = "{\"id\":\"m1\",\"from\":\"A\",\"text\":\"x\"}";
    return Stream.of(
        Arguments.of(
            "{\"chat\":{\"id\":\"c1\"},\"" + c + "\":[1,2],\"messages\":[" + message + "]}",
            "$",
            "unknown member at position 2 (allowed here: chat, messages, maxSentences)"),
        Arguments.of(
            "{\"chat\":{\"id\":\"c1\",\"" + c + "\":\"red\"},\"messages\":[" + message + "]}",
            "chat",
            "unknown member at position 2 (allowed here: id, title, advancedChatPrivacy)"),
        Arguments.of(
            "{\"chat\":{\"id\":\"c1\"},\"messages\":["
                + message
                + ",{\""
                + c
                + "\":{},\"id\":\"m2\",\"from\":\"A\",\"text\":\"x\"}]}",
            "messages[1]",
            "unknown member at position 1 (allowed here: id, from, sentAt, text)"),
        Arguments.of(
            "{\"chat\":{\"id\":\"c1\"},\"messages\":[" + message + "],\"" + c + "\":null}",
            "$",
            "unknown member at position 3 (allowed here: chat, messages, maxSentences)"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("unknownMembers")
  @DisplayName("an unknown member is refused by its position, never by its name (request content)")
  void parse_refusesUnknownMembersByPosition(String json, String field, String reason) {
    assertThatThrownBy(() -> SummarizeRequest.parse(utf8(json)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).doesNotContain(CANARY);
            });
  }

  @Test
  void parse_acceptsExactly5000MessagesAndTextOf4000Characters() throws Exception {
    assertThat(SummarizeRequest.parse(utf8(request(messages(5000, "x"), ""))).messages())
        .hasSize(5000);
    String emoji4000 = "😀".repeat(4000); // 4000 code points, 8000 UTF-16 units
    assertThat(
            SummarizeRequest.parse(utf8(request(messages(1, emoji4000), "")))
                .messages()
                .get(0)
                .text())
        .isEqualTo(emoji4000);
  }

  static Stream<Arguments> invalidRequests() {
    String ok = messages(1, "x");
    return Stream.of(
        Arguments.of("malformed JSON", "{\"chat\":", "$", "not valid JSON"),
        Arguments.of("empty body", "", "$", "not valid JSON: empty document"),
        Arguments.of(
            "trailing garbage",
            request(ok, "") + " {}",
            "$",
            "not valid JSON: data after the end of the value"),
        Arguments.of("trailing non-JSON garbage", request(ok, "") + "xyz", "$", "not valid JSON"),
        Arguments.of("top-level array", "[]", "$", "must be an object"),
        Arguments.of(
            "duplicate top-level key",
            "{\"chat\":{\"id\":\"c\"},\"chat\":{\"id\":\"d\"}}",
            "chat",
            "duplicate key"),
        Arguments.of(
            "duplicate nested key",
            "{\"chat\":{\"id\":\"c\",\"id\":\"d\"}}",
            "chat.id",
            "duplicate key"),
        Arguments.of(
            "duplicate key inside a message",
            request(
                "[{\"id\":\"m1\",\"from\":\"A\",\"text\":\"a\"},{\"id\":\"m2\",\"text\":\"a\",\"text\":\"b\"}]",
                ""),
            "messages[1].text",
            "duplicate key"),
        Arguments.of("missing chat", "{\"messages\":" + ok + "}", "chat", "is required"),
        Arguments.of(
            "chat not an object",
            "{\"chat\":\"c1\",\"messages\":" + ok + "}",
            "chat",
            "must be an object"),
        Arguments.of(
            "missing chat.id",
            "{\"chat\":{\"title\":\"t\"},\"messages\":" + ok + "}",
            "chat.id",
            "is required"),
        Arguments.of(
            "chat.id a number",
            "{\"chat\":{\"id\":7},\"messages\":" + ok + "}",
            "chat.id",
            "must be a string of 1 to 128 characters"),
        Arguments.of(
            "empty chat.id",
            "{\"chat\":{\"id\":\"\"},\"messages\":" + ok + "}",
            "chat.id",
            "must be a string of 1 to 128 characters"),
        Arguments.of(
            "chat.id too long",
            "{\"chat\":{\"id\":\"" + "i".repeat(129) + "\"},\"messages\":" + ok + "}",
            "chat.id",
            "must be a string of 1 to 128 characters"),
        Arguments.of(
            "chat.title too long",
            "{\"chat\":{\"id\":\"c\",\"title\":\""
                + "t".repeat(201)
                + "\"},\"messages\":"
                + ok
                + "}",
            "chat.title",
            "must be a string of at most 200 characters"),
        Arguments.of(
            "advancedChatPrivacy a string",
            "{\"chat\":{\"id\":\"c\",\"advancedChatPrivacy\":\"no\"}," + "\"messages\":" + ok + "}",
            "chat.advancedChatPrivacy",
            "must be true or false"),
        Arguments.of("missing messages", "{\"chat\":{\"id\":\"c\"}}", "messages", "is required"),
        Arguments.of("messages an object", request("{}", ""), "messages", "must be an array"),
        Arguments.of("no messages", request("[]", ""), "messages", "at least one message"),
        Arguments.of(
            "5001 messages", request(messages(5001, "x"), ""), "messages", "at most 5000 messages"),
        Arguments.of(
            "message not an object", request("[1]", ""), "messages[0]", "must be an object"),
        Arguments.of(
            "missing message id",
            request("[{\"from\":\"A\",\"text\":\"x\"}]", ""),
            "messages[0].id",
            "is required"),
        Arguments.of(
            "missing from",
            request("[{\"id\":\"m\",\"text\":\"x\"}]", ""),
            "messages[0].from",
            "is required"),
        Arguments.of(
            "from too long",
            request("[{\"id\":\"m\",\"from\":\"" + "f".repeat(201) + "\",\"text\":\"x\"}]", ""),
            "messages[0].from",
            "must be a string of 1 to 200 characters"),
        Arguments.of(
            "missing text",
            request("[{\"id\":\"m\",\"from\":\"A\"}]", ""),
            "messages[0].text",
            "is required"),
        Arguments.of(
            "text a number",
            request("[{\"id\":\"m\",\"from\":\"A\",\"text\":5}]", ""),
            "messages[0].text",
            "must be a string of at most 4000 characters"),
        Arguments.of(
            "oversize text",
            request(
                messages(4, "x").replace("]", "")
                    + ",{\"id\":\"big\",\"from\":\"A\",\"text\":\""
                    + "x".repeat(4001)
                    + "\"}]",
                ""),
            "messages[4].text",
            "must be a string of at most 4000 characters"),
        Arguments.of(
            "bad sentAt",
            request("[{\"id\":\"m\",\"from\":\"A\",\"sentAt\":\"yesterday\",\"text\":\"x\"}]", ""),
            "messages[0].sentAt",
            "must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00Z"),
        Arguments.of(
            "sentAt without offset",
            request(
                "[{\"id\":\"m\",\"from\":\"A\",\"sentAt\":\"2026-11-24T10:00:00\","
                    + "\"text\":\"x\"}]",
                ""),
            "messages[0].sentAt",
            "must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00Z"),
        Arguments.of(
            "sentAt a number",
            request("[{\"id\":\"m\",\"from\":\"A\",\"sentAt\":1700000000,\"text\":\"x\"}]", ""),
            "messages[0].sentAt",
            "must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00Z"),
        Arguments.of(
            "duplicate ids",
            request(
                messages(5, "x").replace("]", "")
                    + ",{\"id\":\"m2\",\"from\":\"B\","
                    + "\"text\":\"y\"}]",
                ""),
            "messages[5].id",
            "duplicate id"),
        Arguments.of(
            "maxSentences 0",
            request(ok, ",\"maxSentences\":0"),
            "maxSentences",
            "must be an integer from 1 to 10"),
        Arguments.of(
            "maxSentences 11",
            request(ok, ",\"maxSentences\":11"),
            "maxSentences",
            "must be an integer from 1 to 10"),
        Arguments.of(
            "maxSentences fractional",
            request(ok, ",\"maxSentences\":2.5"),
            "maxSentences",
            "must be an integer from 1 to 10"),
        Arguments.of(
            "maxSentences a string",
            request(ok, ",\"maxSentences\":\"3\""),
            "maxSentences",
            "must be an integer from 1 to 10"),
        Arguments.of(
            "maxSentences huge",
            request(ok, ",\"maxSentences\":4294967299"),
            "maxSentences",
            "must be an integer from 1 to 10"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("invalidRequests")
  @DisplayName("parse rejects an invalid request naming the exact field")
  void parse_rejectsInvalidRequestNamingTheField(
      String what, String json, String field, String reason) {
    assertThatThrownBy(() -> SummarizeRequest.parse(utf8(json)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).isEqualTo(field + ": " + reason);
            });
  }

  @Test
  void parse_rejectsADocumentOverOneMebibyte() {
    String json =
        request(
            messages(1, "x".repeat(10)),
            ",\"pad\":\"" + "p".repeat(ApiLimits.MAX_JSON_BYTES) + "\"");
    assertThatThrownBy(() -> SummarizeRequest.parse(utf8(json)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("$"));
  }

  @Test
  void parse_rejectsDeepNestingWithoutFailingHard() {
    String json = "{\"chat\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThatThrownBy(() -> SummarizeRequest.parse(utf8(json)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("$"));
  }

  static Stream<String> canaryInputs() {
    String c = CANARY;
    return Stream.of(
        "{\"chat\":{\"id\":\"" + c + "\"", // malformed, canary near the error
        "{\"" + c + "\":1,\"" + c + "\":2}", // duplicate unknown key
        "{\"chat\":{\"id\":\"c\"},\"messages\":[{\"id\":\"m\",\"from\":\"A\",\"text\":\"x\"}]}" + c,
        "{\"chat\":{\"id\":\"c\"},\"messages\":[{\"id\":\"m\",\"from\":\"A\",\"sentAt\":\""
            + c
            + "\",\"text\":\"x\"}]}",
        "{\"chat\":{\"id\":\"c\"},\"messages\":[{\"id\":\""
            + c
            + "\",\"from\":\"A\",\"text\":\"x\"},"
            + "{\"id\":\""
            + c
            + "\",\"from\":\"A\",\"text\":\"y\"}]}",
        "{\"chat\":{\"id\":\"c\"},\"messages\":[{\"id\":\"m\",\"from\":\"A\",\"text\":\""
            + c.repeat(400)
            + "\"}]}",
        "{\"chat\":{\"id\":\"c\"},\"messages\":[{\"id\":\"m\",\"from\":\"A\",\"text\":\"x\"}],\"maxSentences\":\""
            + c
            + "\"}",
        "{\"chat\":{\"id\":\""
            + c
            + "\"},\"messages\":[{\"id\":\"m\",\"from\":\"A\",\"text\":\"x\"}],\"maxSentences\":"
            + c
            + "}");
  }

  @ParameterizedTest
  @MethodSource("canaryInputs")
  void exceptionMessages_neverContainRequestContent(String json) {
    assertThatThrownBy(() -> SummarizeRequest.parse(utf8(json)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).doesNotContain(CANARY);
              assertThat(String.valueOf(e.getCause())).doesNotContain(CANARY);
            });
  }
}
