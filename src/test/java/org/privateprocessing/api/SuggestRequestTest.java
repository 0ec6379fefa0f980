package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SuggestRequestTest {
  static final String CANARY = "CANARY-7f3a";

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parse_acceptsTheDesignShape() throws Exception {
    SuggestRequest r =
        SuggestRequest.parse(
            utf8(
                "{\"chat\":{\"id\":\"c1\",\"title\":\"Family\",\"advancedChatPrivacy\":false},"
                    + "\"draft\":\"hey can u come\",\"tone\":\"formal\"}"));
    assertThat(r)
        .isEqualTo(
            new SuggestRequest(new Chat("c1", "Family", false), "hey can u come", Tone.FORMAL));
  }

  @Test
  void encode_writesTheToneAsItsWireName() {
    SuggestRequest r = new SuggestRequest(new Chat("c1", null, false), "hi", Tone.PROOFREAD);
    assertThat(new String(r.encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"chat\":{\"id\":\"c1\",\"advancedChatPrivacy\":false},\"draft\":\"hi\",\"tone\":\"proofread\"}");
  }

  @ParameterizedTest
  @EnumSource(Tone.class)
  void parseOfEncode_returnsAnEqualRequestForEveryTone(Tone tone) throws Exception {
    SuggestRequest r =
        new SuggestRequest(new Chat("c1", "Työ ✨", true), "Draft with \"quotes\"\nand lines", tone);
    assertThat(SuggestRequest.parse(r.encode())).isEqualTo(r);
  }

  @ParameterizedTest
  @EnumSource(Tone.class)
  void tone_parsesItsOwnWireName(Tone tone) {
    assertThat(tone.wireName()).isEqualTo(tone.name().toLowerCase(java.util.Locale.ROOT));
    assertThat(Tone.parse(tone.wireName())).isEqualTo(tone);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FORMAL", "casual", "", " formal"})
  void tone_rejectsAnythingButAWireNameWithoutEchoingIt(String name) {
    assertThatThrownBy(() -> Tone.parse(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tone must be one of formal, friendly, concise, proofread");
  }

  @Test
  void parse_acceptsADraftOfExactly4000Characters() throws Exception {
    String draft = "é".repeat(4000);
    assertThat(
            SuggestRequest.parse(
                    utf8(
                        "{\"chat\":{\"id\":\"c\"},\"draft\":\""
                            + draft
                            + "\",\"tone\":\"concise\"}"))
                .draft())
        .isEqualTo(draft);
  }

  static Stream<Arguments> invalidRequests() {
    String chat = "\"chat\":{\"id\":\"c1\"}";
    return Stream.of(
        Arguments.of("{\"draft\":\"x\",\"tone\":\"formal\"}", "chat", "is required"),
        Arguments.of("{\"chat\":{},\"draft\":\"x\",\"tone\":\"formal\"}", "chat.id", "is required"),
        Arguments.of("{" + chat + ",\"tone\":\"formal\"}", "draft", "is required"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"\",\"tone\":\"formal\"}",
            "draft",
            "must be a string of 1 to 4000 characters"),
        Arguments.of(
            "{" + chat + ",\"draft\":\" \\n \",\"tone\":\"formal\"}", "draft", "must not be blank"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"" + "d".repeat(4001) + "\",\"tone\":\"formal\"}",
            "draft",
            "must be a string of 1 to 4000 characters"),
        Arguments.of(
            "{" + chat + ",\"draft\":[\"x\"],\"tone\":\"formal\"}",
            "draft",
            "must be a string of 1 to 4000 characters"),
        Arguments.of("{" + chat + ",\"draft\":\"x\"}", "tone", "is required"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"x\",\"tone\":\"sarcastic\"}",
            "tone",
            "must be one of formal, friendly, concise, proofread"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"x\",\"tone\":\"FORMAL\"}",
            "tone",
            "must be one of formal, friendly, concise, proofread"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"x\",\"tone\":1}",
            "tone",
            "must be one of formal, friendly, concise, proofread"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"x\",\"tone\":\"formal\",\"tone\":\"concise\"}",
            "tone",
            "duplicate key"),
        Arguments.of("{" + chat + ",\"draft\":\"x\",\"tone\":\"formal\"}}", "$", "not valid JSON"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"x\",\"tone\":\"formal\"} []",
            "$",
            "not valid JSON: data after the end of the value"),
        Arguments.of("{" + chat + ",\"draft\":\"x\",\"tone\":\"formal\"", "$", "not valid JSON"),
        Arguments.of("\"just a string\"", "$", "must be an object"),
        Arguments.of(
            "{" + chat + ",\"draft\":\"x\",\"tone\":\"formal\",\"" + CANARY + "\":1}",
            "$",
            "unknown member at position 4 (allowed here: chat, draft, tone)"),
        Arguments.of(
            "{\"chat\":{\""
                + CANARY
                + "\":true,\"id\":\"c1\"},\"draft\":\"x\",\"tone\":\"formal\"}",
            "chat",
            "unknown member at position 1 (allowed here: id, title, advancedChatPrivacy)"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("invalidRequests")
  void parse_rejectsInvalidRequestNamingTheField(String json, String field, String reason) {
    assertThatThrownBy(() -> SuggestRequest.parse(utf8(json)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"chat\":{\"id\":\"c\"},\"draft\":\"x\",\"tone\":\"" + CANARY + "\"}",
        "{\"chat\":{\"id\":\"c\"},\"draft\":\"" + CANARY + "\",\"tone\":\"x\"}",
        "{\"chat\":{\"id\":\"c\"},\"draft\":\"" + CANARY + "\",\"tone\":\"formal\"",
        "{\"chat\":{\"id\":\"c\"},\"draft\":\"" + CANARY + "\" " + CANARY + "}"
      })
  void exceptionMessages_neverContainRequestContent(String json) {
    assertThatThrownBy(() -> SuggestRequest.parse(utf8(json)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.getMessage()).doesNotContain(CANARY));
  }
}
