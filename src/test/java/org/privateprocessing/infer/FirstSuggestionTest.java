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
            "[\"   \", 7, {\"text\":1}, {\"text\":\"a\",\"text\":\"last wins\"}, \"z\"]",
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
  @DisplayName("an object form is passed on whole once its entry is complete")
  void objectFormWhole() {
    List<String> out = new ArrayList<>();
    FirstSuggestion f = new FirstSuggestion(100, out::add);
    f.feed("{\"suggestions\":[{\"text\":\"Hello, I do");
    assertThat(out).isEmpty();
    f.feed(" not know.\"}, {\"text\":\"Hi");
    assertThat(out).containsExactly("Hello, I do not know.");
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
            "{\"suggestions\":{\"text\":\"no array\"}}")) {
      assertThat(first(answer, 1)).as(answer).isEmpty();
      assertThat(first(answer, 1000)).as(answer).isEmpty();
    }
  }
}
