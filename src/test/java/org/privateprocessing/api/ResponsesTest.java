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
        SummarizeResponse r = new SummarizeResponse("Alice: Dinner at 7.",
                List.of(new Highlight("m3", "Dinner at 7.")), MODEL, new EnclaveInfo("e1", "abcd"));
        assertThat(str(r.encode())).isEqualTo("{\"summary\":\"Alice: Dinner at 7.\","
                + "\"highlights\":[{\"messageId\":\"m3\",\"text\":\"Dinner at 7.\"}],"
                + "\"model\":{\"name\":\"extractive-textrank\",\"version\":\"1\"},"
                + "\"enclave\":{\"id\":\"e1\",\"measurement\":\"abcd\"}}");
    }

    @Test
    void summarizeResponse_roundTrips() throws Exception {
        SummarizeResponse r = new SummarizeResponse("Alice: 🎂 at Luigi's.",
                List.of(new Highlight("m1", "🎂 at Luigi's."), new Highlight("m9", "Bring cake!")), MODEL, ENCLAVE);
        assertThat(SummarizeResponse.parse(r.encode())).isEqualTo(r);
    }

    @Test
    void summarizeResponse_roundTripsWithoutMeasurementOrEnclave() throws Exception {
        SummarizeResponse noMeasurement = new SummarizeResponse("", List.of(), MODEL, new EnclaveInfo("e1", null));
        assertThat(str(noMeasurement.encode())).contains("\"enclave\":{\"id\":\"e1\"}");
        assertThat(SummarizeResponse.parse(noMeasurement.encode())).isEqualTo(noMeasurement);
        SummarizeResponse noEnclave = new SummarizeResponse("s", List.of(), MODEL, null);
        assertThat(str(noEnclave.encode())).doesNotContain("enclave");
        assertThat(SummarizeResponse.parse(noEnclave.encode())).isEqualTo(noEnclave);
    }

    @Test
    void suggestResponse_encodesTheDesignShapeAndRoundTrips() throws Exception {
        SuggestResponse r = new SuggestResponse(List.of(new Suggestion("Hello."), new Suggestion("Hi! 🙂")), MODEL, ENCLAVE);
        assertThat(str(r.encode())).startsWith("{\"suggestions\":[{\"text\":\"Hello.\"},{\"text\":\"Hi! 🙂\"}],"
                + "\"model\":{\"name\":\"extractive-textrank\",\"version\":\"1\"},\"enclave\":{\"id\":\"e1\",");
        assertThat(SuggestResponse.parse(r.encode())).isEqualTo(r);
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
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
    void summarizeResponse_rejectsInvalidBodiesNamingTheField(String json, String field, String reason) {
        assertThatThrownBy(() -> SummarizeResponse.parse(utf8(json.replace('\'', '"'))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "{'model':{'name':'m','version':'1'}}|suggestions|is required",
        "{'suggestions':[{}],'model':{'name':'m','version':'1'}}|suggestions[0].text|is required",
        "{'suggestions':[{'text':1}],'model':{'name':'m','version':'1'}}|suggestions[0].text|must be a string of at most 2147483647 characters",
        "{'suggestions':[],'model':{'name':'m','version':'1'},'model':{}}|model|duplicate key",
    })
    void suggestResponse_rejectsInvalidBodiesNamingTheField(String json, String field, String reason) {
        assertThatThrownBy(() -> SuggestResponse.parse(utf8(json.replace('\'', '"'))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }

    @Test
    void problem_ofBuildsTheProjectTypeUriAndRoundTrips() throws Exception {
        Problem p = Problem.of(400, "invalid-request", "Invalid request", "messages[3].text: must be a string");
        assertThat(p.type()).isEqualTo("urn:private-processing:problem:invalid-request");
        assertThat(str(p.encode())).isEqualTo("{\"type\":\"urn:private-processing:problem:invalid-request\","
                + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"messages[3].text: must be a string\"}");
        assertThat(Problem.parse(p.encode())).isEqualTo(p);
        Problem noDetail = Problem.of(403, "advanced-chat-privacy", "Chat is private", null);
        assertThat(str(noDetail.encode())).doesNotContain("detail");
        assertThat(Problem.parse(noDetail.encode())).isEqualTo(noDetail);
        assertThat(Problem.MEDIA_TYPE).isEqualTo("application/problem+json");
    }

    @Test
    void problem_ofRejectsBadSlugsAndStatuses() {
        assertThatThrownBy(() -> Problem.of(400, "Bad Slug", "t", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Problem.of(99, "x", "t", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Problem.of(600, "x", "t", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
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
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }

    @Test
    void records_areImmutableCopiesOfTheirLists() {
        java.util.ArrayList<Highlight> list = new java.util.ArrayList<>(List.of(new Highlight("m1", "a")));
        SummarizeResponse r = new SummarizeResponse("s", list, MODEL, ENCLAVE);
        list.clear();
        assertThat(r.highlights()).hasSize(1);
        assertThatThrownBy(() -> r.highlights().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
