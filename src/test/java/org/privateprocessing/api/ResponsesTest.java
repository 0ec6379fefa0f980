package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponsesTest {
  static final ModelInfo MODEL = new ModelInfo("extractive-textrank", "1");
  static final EnclaveInfo ENCLAVE = new EnclaveInfo("e1", "00ff" + "ab".repeat(46));

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void summarizeResponse_encodesTheDesignShape() {
    SummarizeResponse r =
        new SummarizeResponse(
            "Alice: Dinner at 7.",
            List.of(new Highlight("m3", "Dinner at 7.")),
            MODEL,
            new EnclaveInfo("e1", "abcd"));
    assertThat(str(r.encode()))
        .isEqualTo(
            "{\"summary\":\"Alice: Dinner at 7.\","
                + "\"highlights\":[{\"messageId\":\"m3\",\"text\":\"Dinner at 7.\"}],"
                + "\"model\":{\"name\":\"extractive-textrank\",\"version\":\"1\"},"
                + "\"enclave\":{\"id\":\"e1\",\"measurement\":\"abcd\"}}");
  }

  @Test
  void summarizeResponse_roundTrips() throws Exception {
    SummarizeResponse r =
        new SummarizeResponse(
            "Alice: 🎂 at Luigi's.",
            List.of(new Highlight("m1", "🎂 at Luigi's."), new Highlight("m9", "Bring cake!")),
            MODEL,
            ENCLAVE);
    assertThat(SummarizeResponse.parse(r.encode())).isEqualTo(r);
  }

  @Test
  void summarizeResponse_roundTripsWithoutMeasurementOrEnclave() throws Exception {
    SummarizeResponse noMeasurement =
        new SummarizeResponse("", List.of(), MODEL, new EnclaveInfo("e1", null));
    assertThat(str(noMeasurement.encode())).contains("\"enclave\":{\"id\":\"e1\"}");
    assertThat(SummarizeResponse.parse(noMeasurement.encode())).isEqualTo(noMeasurement);
    SummarizeResponse noEnclave = new SummarizeResponse("s", List.of(), MODEL, null);
    assertThat(str(noEnclave.encode())).doesNotContain("enclave");
    assertThat(SummarizeResponse.parse(noEnclave.encode())).isEqualTo(noEnclave);
  }

  @Test
  void suggestResponse_encodesTheDesignShapeAndRoundTrips() throws Exception {
    SuggestResponse r =
        new SuggestResponse(
            List.of(
                new Suggestion(
                    "The end.",
                    List.of(new Edit(0, 3, "The", "spelling"), new Edit(7, 7, ".", "punctuation"))),
                new Suggestion("Hi! 🙂")),
            MODEL,
            ENCLAVE);
    assertThat(str(r.encode()))
        .startsWith(
            "{\"suggestions\":[{\"text\":\"The end.\",\"edits\":["
                + "{\"start\":0,\"end\":3,\"replacement\":\"The\",\"reason\":\"spelling\"},"
                + "{\"start\":7,\"end\":7,\"replacement\":\".\",\"reason\":\"punctuation\"}]},"
                + "{\"text\":\"Hi! 🙂\",\"edits\":[]}],"
                + "\"model\":{\"name\":\"extractive-textrank\",\"version\":\"1\"},\"enclave\":{\"id\":\"e1\",");
    assertThat(SuggestResponse.parse(r.encode())).isEqualTo(r);
  }

  @Test
  void suggestResponse_roundTripsEveryReasonAndUnicodeReplacements() throws Exception {
    List<Edit> edits = new java.util.ArrayList<>();
    int at = 0;
    for (String reason : new java.util.TreeSet<>(Edit.REASONS)) {
      edits.add(new Edit(at, at + 1, reason.length() % 2 == 0 ? "🎉\n\"é\"" : "", reason));
      at += 2;
    }
    edits.add(new Edit(at, at, "insert", "greeting"));
    edits.add(new Edit(at, at, "twice", "closing"));
    SuggestResponse r = new SuggestResponse(List.of(new Suggestion("x", edits)), MODEL, null);
    assertThat(SuggestResponse.parse(r.encode())).isEqualTo(r);
    assertThat(SuggestResponse.parse(r.encode()).suggestions().get(0).edits())
        .hasSize(Edit.REASONS.size() + 2);
  }

  @Test
  void suggestResponse_readsASuggestionWithoutEditsAsListingNone() throws Exception {
    SuggestResponse r =
        SuggestResponse.parse(
            utf8(
                "{\"suggestions\":[{\"text\":\"a\"},{\"text\":\"b\",\"edits\":null}],\"model\":{\"name\":\"m\",\"version\":\"1\"}}"));
    assertThat(r.suggestions())
        .containsExactly(new Suggestion("a"), new Suggestion("b", List.of()));
    assertThat(r.suggestions().get(0).edits()).isEmpty();
  }

  @ParameterizedTest(name = "{1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'highlights':[],'model':{'name':'m','version':'1'}}|summary|is required",
        "{'summary':'s','model':{'name':'m','version':'1'}}|highlights|is required",
        "{'summary':'s','highlights':[{'text':'t'}],'model':{'name':'m','version':'1'}}|highlights[0].messageId|is required",
        "{'summary':'s','highlights':[]}|model|is required",
        "{'summary':'s','highlights':[],'model':{'name':'m'}}|model.version|is required",
        "{'summary':'s','highlights':[],'model':{'name':'m','version':'1'},'enclave':{'measurement':'ab'}}|enclave.id|is required",
        "{'summary':'s','highlights':[],'model':{'name':'m','version':'1'},'enclave':{'id':'e','measurement':'xyz'}}"
            + "|enclave.measurement|must be a hex string of at most 256 digits",
        "{'summary':'s','highlights':[],'model':{'name':'m','version':'1'},'enclave':{'id':'e','measurement':'abc'}}"
            + "|enclave.measurement|must be a hex string of at most 256 digits",
      })
  void summarizeResponse_rejectsInvalidBodiesNamingTheField(
      String json, String field, String reason) {
    assertThatThrownBy(() -> SummarizeResponse.parse(utf8(json.replace('\'', '"'))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
            });
  }

  @ParameterizedTest(name = "{1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'model':{'name':'m','version':'1'}}|suggestions|is required",
        "{'suggestions':[{}],'model':{'name':'m','version':'1'}}|suggestions[0].text|is required",
        "{'suggestions':[{'text':1}],'model':{'name':'m','version':'1'}}|suggestions[0].text|must be a string of at most 2147483647 characters",
        "{'suggestions':[],'model':{'name':'m','version':'1'},'model':{}}|model|duplicate key",
        "{'suggestions':[{'text':'t','edits':{}}],'model':{'name':'m','version':'1'}}|suggestions[0].edits|must be an array",
        "{'suggestions':[{'text':'t','edits':[1]}],'model':{'name':'m','version':'1'}}|suggestions[0].edits[0]|must be an object",
        "{'suggestions':[{'text':'t','edits':[{'end':1,'replacement':'','reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].start|is required",
        "{'suggestions':[{'text':'t','edits':[{'start':-1,'end':1,'replacement':'','reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].start|must be an integer from 0 to 2147483647",
        "{'suggestions':[{'text':'t','edits':[{'start':'0','end':1,'replacement':'','reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].start|must be an integer from 0 to 2147483647",
        "{'suggestions':[{'text':'t','edits':[{'start':0.5,'end':1,'replacement':'','reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].start|must be an integer from 0 to 2147483647",
        "{'suggestions':[{'text':'t','edits':[{'start':0,'replacement':'','reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].end|is required",
        "{'suggestions':[{'text':'t','edits':[{'start':2,'end':1,'replacement':'','reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].end|must not be less than start",
        "{'suggestions':[{'text':'t','edits':[{'start':0,'end':1,'reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].replacement|is required",
        "{'suggestions':[{'text':'t','edits':[{'start':0,'end':1,'replacement':7,'reason':'spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].replacement|must be a string of at most 2147483647 characters",
        "{'suggestions':[{'text':'t','edits':[{'start':0,'end':1,'replacement':''}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].reason|is required",
        "{'suggestions':[{'text':'t','edits':[{'start':0,'end':1,'replacement':'','reason':'Spacing'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].reason|"
            + Edit.EXPECTED_REASON,
        "{'suggestions':[{'text':'t','edits':[{'start':0,'end':1,'replacement':'','reason':''}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[0].edits[0].reason|must be a string of 1 to 32 characters",
        "{'suggestions':[{'text':'t'},{'text':'u','edits':[{'start':0,'end':3,'replacement':'','reason':'spacing'},"
            + "{'start':2,'end':4,'replacement':'x','reason':'spelling'}]}],'model':{'name':'m','version':'1'}}"
            + "|suggestions[1].edits[1].start|must not be before the end of the previous edit",
      })
  void suggestResponse_rejectsInvalidBodiesNamingTheField(
      String json, String field, String reason) {
    assertThatThrownBy(() -> SuggestResponse.parse(utf8(json.replace('\'', '"'))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
            });
  }

  @Test
  void problem_ofBuildsTheProjectTypeUriAndRoundTrips() throws Exception {
    Problem p =
        Problem.of(400, "invalid-request", "Invalid request", "messages[3].text: must be a string");
    assertThat(p.type()).isEqualTo("urn:private-processing:problem:invalid-request");
    assertThat(str(p.encode()))
        .isEqualTo(
            "{\"type\":\"urn:private-processing:problem:invalid-request\","
                + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"messages[3].text: must be a string\"}");
    assertThat(Problem.parse(p.encode())).isEqualTo(p);
    Problem noDetail = Problem.of(403, "advanced-chat-privacy", "Chat is private", null);
    assertThat(str(noDetail.encode())).doesNotContain("detail");
    assertThat(Problem.parse(noDetail.encode())).isEqualTo(noDetail);
    assertThat(Problem.MEDIA_TYPE).isEqualTo("application/problem+json");
  }

  @Test
  void problem_ofRejectsBadSlugsAndStatuses() {
    assertThatThrownBy(() -> Problem.of(400, "Bad Slug", "t", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Problem.of(99, "x", "t", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Problem.of(600, "x", "t", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'title':'t','status':400}|type|is required",
        "{'type':'u','status':400}|title|is required",
        "{'type':'u','title':'t'}|status|is required",
        "{'type':'u','title':'t','status':'400'}|status|must be an integer from 100 to 599",
        "{'type':'u','title':'t','status':700}|status|must be an integer from 100 to 599",
        "{'type':'u','title':'t','status':400,'detail':5}|detail|must be a string of at most 65536 characters",
        "{'type':'u','title':'t','status':400}x|$|not valid JSON",
      })
  void problem_rejectsInvalidBodiesNamingTheField(String json, String field, String reason) {
    assertThatThrownBy(() -> Problem.parse(utf8(json.replace('\'', '"'))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
            });
  }

  @Test
  void records_areImmutableCopiesOfTheirLists() {
    java.util.ArrayList<Highlight> list =
        new java.util.ArrayList<>(List.of(new Highlight("m1", "a")));
    SummarizeResponse r = new SummarizeResponse("s", list, MODEL, ENCLAVE);
    list.clear();
    assertThat(r.highlights()).hasSize(1);
    assertThatThrownBy(() -> r.highlights().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
