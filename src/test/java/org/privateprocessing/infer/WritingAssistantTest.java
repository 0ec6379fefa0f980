package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.Tone;

class WritingAssistantTest {
  private final WritingAssistant assistant = new WritingAssistant();

  @ParameterizedTest(name = "{0}: \"{1}\" -> \"{2}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // proofread
        "proofread | i recieve teh package tomorow | I receive the package tomorrow.",
        "proofread | Its definately a seperate issue | Its definitely a separate issue.",
        "proofread | im not sure wich one | I'm not sure which one.",
        "proofread | we need  to meet untill friday ,ok? | We need to meet until Friday, ok?",
        "proofread | the the problem occured yesterday.it was bad | The problem occurred yesterday. It was bad.",
        "proofread | I dont know.see you at 7 | I don't know. See you at 7.",
        "proofread | can you send me the menu | Can you send me the menu?",
        "proofread | check https://teh.example/dont im sure | Check https://teh.example/dont I'm sure.",
        "proofread | DEFINATELY NOT | DEFINITELY NOT.",
        "proofread | alot of people came | A lot of people came.",
        "proofread | I’m going, dont wait 🙂 | I’m going, don't wait 🙂",
        "proofread | mail me at bob.smith@example.org | Mail me at bob.smith@example.org",
        "proofread | Teh report is in report.pdf now | The report is in report.pdf now.",
        // formal
        "formal | hey can u send me the report asap | Hello, can you send me the report as soon as possible?",
        "formal | thanks, i'm gonna be late | Thank you, I am going to be late.",
        "formal | yeah that's ok, we don't need it | Yes, that is all right, we do not need it.",
        "formal | I can't come tomorrow!!! | I cannot come tomorrow!",
        "formal | btw the meeting is at 3 | By the way the meeting is at 3.",
        "formal | wanna grab lunch on monday | Want to grab lunch on Monday.",
        // friendly
        "friendly | I cannot attend the meeting | Hi! I can't attend the meeting.",
        "friendly | Hello, I am running late | Hi, I'm running late.",
        "friendly | see you at 7 🎉 | Hi! See you at 7 🎉",
        "friendly | We do not have the tickets yet | Hi! We don't have the tickets yet.",
        // concise
        "concise | I think that we should really just leave now | We should leave now.",
        "concise | In order to save time, we will basically skip lunch | To save time, we will skip lunch.",
        "concise | At this point in time I am very busy | Now I am busy.",
        "concise | Due to the fact that it rains, the party is actually cancelled | Because it rains, the party is cancelled.",
        "concise | It was a very important meeting | It was an important meeting.",
        "concise | I just wanted to let you know that the train is late | The train is late.",
      })
  void suggest_firstSuggestionIsTheExpectedRewrite(String tone, String draft, String expected) {
    List<Suggestion> suggestions = assistant.suggest(draft, Tone.parse(tone));
    assertThat(suggestions).isNotEmpty().hasSizeLessThanOrEqualTo(3);
    assertThat(suggestions.get(0).text()).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(Tone.class)
  void suggest_returnsADraftThatNeedsNoChangeUnchangedAsTheOnlySuggestion(Tone tone) {
    String draft = tone == Tone.FRIENDLY ? "Hi! See you soon." : "Hello, the train is late.";
    assertThat(assistant.suggest(draft, tone)).containsExactly(new Suggestion(draft));
  }

  @Test
  void suggest_offersDistinctVariantsAfterTheMainRewrite() {
    assertThat(assistant.suggest("thanks, i'm gonna be late", Tone.FORMAL))
        .extracting(Suggestion::text)
        .containsExactly(
            "Thank you, I am going to be late.", "Hello,\nThank you, I am going to be late.");
    assertThat(assistant.suggest("I cannot attend the meeting", Tone.FRIENDLY))
        .extracting(Suggestion::text)
        .containsExactly(
            "Hi! I can't attend the meeting.",
            "I can't attend the meeting. 🙂",
            "I can't attend the meeting.");
    assertThat(assistant.suggest("At this point in time I am very busy", Tone.CONCISE))
        .extracting(Suggestion::text)
        .containsExactly("Now I am busy.", "Now I'm busy.");
  }

  @ParameterizedTest
  @EnumSource(Tone.class)
  void suggest_neverReturnsAnEmptyListOrBlankText(Tone tone) {
    for (String draft :
        List.of(" ", "🙂", "...", "ok", "i", "just", "https://x.example", "的的的", "a\n\nb")) {
      List<Suggestion> out = assistant.suggest(draft, tone);
      assertThat(out).isNotEmpty().hasSizeLessThanOrEqualTo(3).doesNotHaveDuplicates();
      if (!draft.isBlank()) {
        assertThat(out).allSatisfy(s -> assertThat(s.text()).isNotBlank());
      }
    }
  }

  @Test
  void suggest_leavesPrivateUseCharactersOfTheDraftAlone() {
    assertThat(assistant.suggest("see \uE000 https://a.example", Tone.PROOFREAD).get(0).text())
        .isEqualTo("See \uE000 https://a.example");
  }

  @Test
  void suggest_isDeterministic() {
    String draft = "hey guys, i think that we should realy just book teh restaurant asap";
    for (Tone tone : Tone.values()) {
      assertThat(assistant.suggest(draft, tone)).isEqualTo(assistant.suggest(draft, tone));
    }
  }
}
