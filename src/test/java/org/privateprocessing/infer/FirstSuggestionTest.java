package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FirstSuggestionTest {

  /**
   * What the first suggestion is found to be when {@code answer} arrives {@code step} chars at a
   * time.
   */
  static List<String> first(String answer, int step) {
    List<String> out = new ArrayList<>();
    List<String> pieces = new ArrayList<>();
    FirstSuggestion f =
        new FirstSuggestion(OpenAiCompatibleModel.MAX_SUGGESTION_CHARS, pieces::add);
    for (int i = 0; i < answer.length(); i += step) {
      f.feed(answer.substring(i, Math.min(answer.length(), i + step)));
    }
    assertThat(pieces).doesNotContain("");
    for (String p : pieces) { // never half of a surrogate pair at either end
      assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse();
      assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
    }
    if (!pieces.isEmpty()) {
      out.add(String.join("", pieces));
    }
    return out;
  }

  @Test
  @DisplayName("the first usable entry is found, whatever the cuts, as parseSuggestions reads it")
  void findsTheFirstAsTheWholeParserDoes() {
    List<String> answers =
        List.of(
            "[\"Hello, I do not know the answer.\", \"Hi! No idea.\"]",
            "```json\n[\"  Trimmed first  \", \"second\"]\n```",
            "Here are my rewrites: [\"Grüße 😀 \\\"quoted\\\"\", \"b\"] Hope that helps.",
            "{\"note\":[\"not this\"],\"suggestions\":[{\"text\":\"From an object\"},\"b\"]}",
            "[\"   \", 7, {\"text\":1}, {\"note\":\"x\",\"text\":\" a \"}, \"z\"]",
            "{\"suggestions\":[\"  From an array in an object \", \"b\"]}",
            "[{\"text\":\"  Esc\\u00e9 \\ud83d\\ude00 \\\"q\\\" \"}, {\"text\":\"b\"}]",
            "{\"suggestions\":[{\"text\":\"  \"}, {\"text\":{\"x\":\"no\"}}, {\"text\":\"Second\"}]}",
            "Sure: {\"suggestions\": [ {\"note\": \"none\"} , { \"text\" : \"Spaced out\" } ]}",
            "[\" \\t\", \"Esc\\u00e9 \\ud83d\\ude00 tab\\there\\n  \"]",
            "[[\"nested\"], {\"t\":{\"text\":\"deep\"}}, \"flat\"]");
    for (String answer : answers) {
      String expected = OpenAiCompatibleModel.parseSuggestions(answer).get(0).text();
      for (int step = 1; step <= answer.length(); step += 1 + answer.length() / 40) {
        assertThat(first(answer, step)).as("%s by %d", answer, step).containsExactly(expected);
      }
    }
  }

  @Test
  @DisplayName("the text goes on as it arrives; white space waits until more text follows it")
  void passedOnAsItArrives() {
    List<String> out = new ArrayList<>();
    FirstSuggestion f = new FirstSuggestion(100, out::add);
    f.feed("[\"  Hello, I do not ");
    assertThat(out).containsExactly("Hello, I do not");
    f.feed(" know");
    assertThat(out).containsExactly("Hello, I do not", "  know");
    f.feed(". \", \"Hi");
    assertThat(out).containsExactly("Hello, I do not", "  know", ".");
    assertThat(f.finished()).isTrue();
  }

  @Test
  @DisplayName("the object forms stream too: the entry's text goes on as it arrives")
  void objectFormsStream() {
    List<String> out = new ArrayList<>();
    FirstSuggestion f = new FirstSuggestion(100, out::add);
    f.feed("{\"suggestions\":[{\"text\":\"Hello, I do");
    assertThat(out).containsExactly("Hello, I do");
    f.feed(" not know.\"}, {\"text\":\"Hi");
    assertThat(out).containsExactly("Hello, I do", " not know.");
    assertThat(f.finished()).isTrue();

    List<String> inArray = new ArrayList<>();
    FirstSuggestion g = new FirstSuggestion(100, inArray::add);
    g.feed("[{\"text\": \"  Gr");
    assertThat(inArray).containsExactly("Gr");
    g.feed("üß ");
    assertThat(inArray).containsExactly("Gr", "üß"); // white space waits for more text
    g.feed("e \\u00e9\\u");
    assertThat(inArray).containsExactly("Gr", "üß", " e é"); // half an escape waits
    g.feed("00e9 \"}]");
    assertThat(inArray).containsExactly("Gr", "üß", " e é", "é");

    List<String> suggestionsOfStrings = new ArrayList<>();
    FirstSuggestion h = new FirstSuggestion(100, suggestionsOfStrings::add);
    h.feed("{\"suggestions\": [\"Dear");
    h.feed(" Sir\", \"x\"]}");
    assertThat(suggestionsOfStrings).containsExactly("Dear", " Sir");
  }

  @Test
  @DisplayName(
      "what the whole read knows only later (a second text, JSON broken after) differs: the caller fails")
  void laterKnowledgeDiffers() {
    String twice = "[{\"text\":\"a\",\"text\":\"last wins\"}, \"z\"]";
    assertThat(first(twice, 3)).containsExactly("a");
    assertThat(OpenAiCompatibleModel.parseSuggestions(twice).get(0).text()).isEqualTo("last wins");
    String broken = "{\"suggestions\":[{\"text\":\"I do not know.\"}, CANARY";
    String badEscape = "{\"suggestions\":[{\"text\":\"bad \\x escape\"}]}";
    String unclosed = "[{\"text\":\"unclosed ";
    assertThat(first(broken, 4)).containsExactly("I do not know.");
    assertThat(first(badEscape, 1)).containsExactly("bad");
    assertThat(first(unclosed, 1)).containsExactly("unclosed");
    for (String answer : List.of(broken, badEscape, unclosed)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> OpenAiCompatibleModel.parseSuggestions(answer))
          .isInstanceOf(ModelException.class);
    }
  }

  @Test
  @DisplayName("a first entry over the limit goes on anyway: the caller's whole read refuses it")
  void overLongFirstDiffersFromTheWholeRead() {
    String answer =
        "[\"" + "x".repeat(OpenAiCompatibleModel.MAX_SUGGESTION_CHARS + 1) + "\", \"short\"]";
    assertThat(first(answer, 100)).singleElement().asString().startsWith("xxx");
    assertThat(OpenAiCompatibleModel.parseSuggestions(answer).get(0).text()).isEqualTo("short");
  }

  @Test
  @DisplayName("text that is not such JSON makes it give up quietly, sending nothing")
  void givesUp() {
    for (String answer :
        List.of(
            "Sorry, I cannot help with that.",
            "I [think]: [\"a\"]",
            "{\"other\":[\"a\"]}",
            "\"just a string\"",
            "[1, 2, 3]",
            "{\"suggestions\":{\"text\":\"no array\"}}",
            "{\"suggestions\":[{\"t\":\"no text\"}, [\"nested\"]]}",
            "[{\"text\" \"no colon\"}]")) {
      assertThat(first(answer, 1)).as(answer).isEmpty();
      assertThat(first(answer, 1000)).as(answer).isEmpty();
    }
  }
}
