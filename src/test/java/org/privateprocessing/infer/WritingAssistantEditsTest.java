package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.api.Tone.CONCISE;
import static org.privateprocessing.api.Tone.FORMAL;
import static org.privateprocessing.api.Tone.FRIENDLY;
import static org.privateprocessing.api.Tone.PROOFREAD;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.api.Edit;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.Tone;

/**
 * Table of drafts with the expected main rewrite and the exact edits listed for it (offsets into
 * the draft, UTF-16, end exclusive), plus the invariant that every suggestion's edits, applied to
 * the draft, give its text.
 */
class WritingAssistantEditsTest {
  private final WritingAssistant assistant = new WritingAssistant();

  static Stream<Arguments> table() {
    return Stream.of(
        row(
            PROOFREAD,
            "i recieve teh package tomorow",
            "I receive the package tomorrow.",
            e(0, 1, "I", "capitalisation"),
            e(2, 9, "receive", "spelling"),
            e(10, 13, "the", "spelling"),
            e(22, 29, "tomorrow", "spelling"),
            e(29, 29, ".", "punctuation")),
        row(
            PROOFREAD,
            "Its definately a seperate issue",
            "Its definitely a separate issue.",
            e(4, 14, "definitely", "spelling"),
            e(17, 25, "separate", "spelling"),
            e(31, 31, ".", "punctuation")),
        row(
            PROOFREAD,
            "im not sure wich one",
            "I'm not sure which one.",
            e(0, 2, "I'm", "spelling"),
            e(12, 16, "which", "spelling"),
            e(20, 20, ".", "punctuation")),
        row(
            PROOFREAD,
            "we need  to meet untill friday ,ok?",
            "We need to meet until Friday, ok?",
            e(0, 2, "We", "capitalisation"),
            e(8, 9, "", "spacing"),
            e(17, 23, "until", "spelling"),
            e(24, 30, "Friday", "capitalisation"),
            e(30, 31, "", "spacing"),
            e(32, 32, " ", "spacing")),
        row(
            PROOFREAD,
            "the the problem occured yesterday.it was bad",
            "The problem occurred yesterday. It was bad.",
            e(0, 3, "The", "capitalisation"),
            e(3, 7, "", "doubled-word"),
            e(16, 23, "occurred", "spelling"),
            e(34, 34, " ", "spacing"),
            e(34, 36, "It", "capitalisation"),
            e(44, 44, ".", "punctuation")),
        row(
            PROOFREAD,
            "I dont know.see you at 7",
            "I don't know. See you at 7.",
            e(2, 6, "don't", "spelling"),
            e(12, 12, " ", "spacing"),
            e(12, 15, "See", "capitalisation"),
            e(24, 24, ".", "punctuation")),
        row(
            PROOFREAD,
            "can you send me the menu",
            "Can you send me the menu?",
            e(0, 3, "Can", "capitalisation"),
            e(24, 24, "?", "punctuation")),
        row(
            PROOFREAD,
            "check https://teh.example/dont im sure",
            "Check https://teh.example/dont I'm sure.",
            e(0, 5, "Check", "capitalisation"),
            e(31, 33, "I'm", "spelling"),
            e(38, 38, ".", "punctuation")),
        row(
            PROOFREAD,
            "DEFINATELY NOT",
            "DEFINITELY NOT.",
            e(0, 10, "DEFINITELY", "spelling"),
            e(14, 14, ".", "punctuation")),
        row(
            PROOFREAD,
            "alot of people came",
            "A lot of people came.",
            e(0, 4, "A lot", "spelling"),
            e(19, 19, ".", "punctuation")),
        row(
            PROOFREAD,
            "I’m going, dont wait 🙂",
            "I’m going, don't wait 🙂",
            e(11, 15, "don't", "spelling")),
        row(
            PROOFREAD,
            "mail me at bob.smith@example.org",
            "Mail me at bob.smith@example.org",
            e(0, 4, "Mail", "capitalisation")),
        row(
            PROOFREAD,
            "Teh report is in report.pdf now",
            "The report is in report.pdf now.",
            e(0, 3, "The", "spelling"),
            e(31, 31, ".", "punctuation")),
        row(PROOFREAD, "See you on Monday.", "See you on Monday."),
        row(
            PROOFREAD,
            "  hello there  ",
            "Hello there.",
            e(0, 2, "", "spacing"),
            e(2, 7, "Hello", "capitalisation"),
            e(13, 15, "", "spacing"),
            e(15, 15, ".", "punctuation")),
        row(
            PROOFREAD,
            "wait,what?",
            "Wait, what?",
            e(0, 4, "Wait", "capitalisation"),
            e(5, 5, " ", "spacing")),
        row(
            PROOFREAD,
            "thanks @anna ,see you tonite",
            "Thanks @anna, see you tonight.",
            e(0, 6, "Thanks", "capitalisation"),
            e(12, 13, "", "spacing"),
            e(14, 14, " ", "spacing"),
            e(22, 28, "tonight", "spelling"),
            e(28, 28, ".", "punctuation")),
        row(
            PROOFREAD,
            "Is it ok that that works",
            "Is it ok that that works?",
            e(24, 24, "?", "punctuation")),
        row(
            PROOFREAD,
            "the café opens at 8 ☕ dont be late",
            "The café opens at 8 ☕ don't be late.",
            e(0, 3, "The", "capitalisation"),
            e(22, 26, "don't", "spelling"),
            e(34, 34, ".", "punctuation")),
        row(
            PROOFREAD,
            "we went to the the restaraunt.it was wierd",
            "We went to the restaurant. It was weird.",
            e(0, 2, "We", "capitalisation"),
            e(14, 18, "", "doubled-word"),
            e(19, 29, "restaurant", "spelling"),
            e(30, 30, " ", "spacing"),
            e(30, 32, "It", "capitalisation"),
            e(37, 42, "weird", "spelling"),
            e(42, 42, ".", "punctuation")),
        row(
            PROOFREAD,
            "i think so\nsee you on tuesday",
            "I think so\nSee you on Tuesday.",
            e(0, 1, "I", "capitalisation"),
            e(11, 14, "See", "capitalisation"),
            e(22, 29, "Tuesday", "capitalisation"),
            e(29, 29, ".", "punctuation")),
        row(
            PROOFREAD,
            "Grüße aus München, bis bald",
            "Grüße aus München, bis bald.",
            e(27, 27, ".", "punctuation")),
        row(
            PROOFREAD,
            "we could, e.g. walk home",
            "We could, e.g. walk home.",
            e(0, 2, "We", "capitalisation"),
            e(24, 24, ".", "punctuation")),
        row(
            FORMAL,
            "hey can u send me the report asap",
            "Hello, can you send me the report as soon as possible?",
            e(0, 3, "Hello", "formality"),
            e(3, 3, ",", "punctuation"),
            e(8, 9, "you", "formality"),
            e(29, 33, "as soon as possible", "formality"),
            e(33, 33, "?", "punctuation")),
        row(
            FORMAL,
            "thanks, i'm gonna be late",
            "Thank you, I am going to be late.",
            e(0, 6, "Thank you", "formality"),
            e(8, 11, "I am", "contraction"),
            e(12, 17, "going to", "formality"),
            e(25, 25, ".", "punctuation")),
        row(
            FORMAL,
            "yeah that's ok, we don't need it",
            "Yes, that is all right, we do not need it.",
            e(0, 4, "Yes", "formality"),
            e(4, 4, ",", "punctuation"),
            e(5, 11, "that is", "contraction"),
            e(12, 14, "all right", "formality"),
            e(19, 24, "do not", "contraction"),
            e(32, 32, ".", "punctuation")),
        row(
            FORMAL,
            "I can't come tomorrow!!!",
            "I cannot come tomorrow!",
            e(2, 7, "cannot", "contraction"),
            e(22, 24, "", "punctuation")),
        row(
            FORMAL,
            "btw the meeting is at 3",
            "By the way the meeting is at 3.",
            e(0, 3, "By the way", "formality"),
            e(23, 23, ".", "punctuation")),
        row(
            FORMAL,
            "wanna grab lunch on monday",
            "Want to grab lunch on Monday.",
            e(0, 5, "Want to", "formality"),
            e(20, 26, "Monday", "capitalisation"),
            e(26, 26, ".", "punctuation")),
        row(FORMAL, "Hello, the train is late.", "Hello, the train is late."),
        row(
            FORMAL,
            "lol that's funny",
            "That is funny.",
            e(0, 4, "", "formality"),
            e(4, 10, "That is", "contraction"),
            e(16, 16, ".", "punctuation")),
        row(
            FORMAL,
            "no we can't 😅",
            "No, we cannot 😅",
            e(0, 2, "No", "capitalisation"),
            e(2, 2, ",", "punctuation"),
            e(6, 11, "cannot", "contraction")),
        row(
            FORMAL,
            "hey guys, pls send thru the stuff",
            "Hello, everyone, please send through the things.",
            e(0, 3, "Hello", "formality"),
            e(3, 3, ",", "punctuation"),
            e(4, 8, "everyone", "formality"),
            e(10, 13, "please", "formality"),
            e(19, 23, "through", "formality"),
            e(28, 33, "things", "formality"),
            e(33, 33, ".", "punctuation")),
        row(
            FORMAL,
            "Hello I'm here",
            "Hello, I am here.",
            e(5, 5, ",", "punctuation"),
            e(6, 9, "I am", "contraction"),
            e(14, 14, ".", "punctuation")),
        row(
            FORMAL,
            "Dear Ana, thx for the files. I'll check them",
            "Dear Ana, thank you for the files. I will check them.",
            e(10, 13, "thank you", "formality"),
            e(29, 33, "I will", "contraction"),
            e(44, 44, ".", "punctuation")),
        row(
            FRIENDLY,
            "I cannot attend the meeting",
            "Hi! I can't attend the meeting.",
            e(0, 0, "Hi! ", "greeting"),
            e(2, 8, "can't", "contraction"),
            e(27, 27, ".", "punctuation")),
        row(
            FRIENDLY,
            "Hello, I am running late",
            "Hi, I'm running late.",
            e(0, 5, "Hi", "greeting"),
            e(7, 11, "I'm", "contraction"),
            e(24, 24, ".", "punctuation")),
        row(
            FRIENDLY,
            "see you at 7 🎉",
            "Hi! See you at 7 🎉",
            e(0, 0, "Hi! ", "greeting"),
            e(0, 3, "See", "capitalisation")),
        row(
            FRIENDLY,
            "We do not have the tickets yet",
            "Hi! We don't have the tickets yet.",
            e(0, 0, "Hi! ", "greeting"),
            e(3, 9, "don't", "contraction"),
            e(30, 30, ".", "punctuation")),
        row(FRIENDLY, "Hi! See you soon.", "Hi! See you soon."),
        row(
            FRIENDLY,
            "Dear team, it is done",
            "Hi team, it's done.",
            e(0, 4, "Hi", "greeting"),
            e(11, 16, "it's", "contraction"),
            e(21, 21, ".", "punctuation")),
        row(
            FRIENDLY,
            "let us meet at the café",
            "Hi! Let's meet at the café.",
            e(0, 0, "Hi! ", "greeting"),
            e(0, 6, "Let's", "contraction"),
            e(23, 23, ".", "punctuation")),
        row(
            FRIENDLY,
            "i will be there. do not worry",
            "Hi! I'll be there. Don't worry.",
            e(0, 0, "Hi! ", "greeting"),
            e(0, 6, "I'll", "contraction"),
            e(17, 23, "Don't", "contraction"),
            e(29, 29, ".", "punctuation")),
        row(
            FRIENDLY,
            "I am sure that is fine 👍",
            "Hi! I'm sure that's fine 👍",
            e(0, 0, "Hi! ", "greeting"),
            e(0, 4, "I'm", "contraction"),
            e(10, 17, "that's", "contraction")),
        row(
            CONCISE,
            "I think that we should really just leave now",
            "We should leave now.",
            e(0, 13, "", "filler"),
            e(13, 15, "We", "capitalisation"),
            e(23, 35, "", "filler"),
            e(44, 44, ".", "punctuation")),
        row(
            CONCISE,
            "In order to save time, we will basically skip lunch",
            "To save time, we will skip lunch.",
            e(0, 11, "To", "wordiness"),
            e(31, 41, "", "filler"),
            e(51, 51, ".", "punctuation")),
        row(
            CONCISE,
            "At this point in time I am very busy",
            "Now I am busy.",
            e(0, 21, "Now", "wordiness"),
            e(27, 32, "", "filler"),
            e(36, 36, ".", "punctuation")),
        row(
            CONCISE,
            "Due to the fact that it rains, the party is actually cancelled",
            "Because it rains, the party is cancelled.",
            e(0, 20, "Because", "wordiness"),
            e(44, 53, "", "filler"),
            e(62, 62, ".", "punctuation")),
        row(
            CONCISE,
            "It was a very important meeting",
            "It was an important meeting.",
            e(7, 8, "an", "grammar"),
            e(9, 14, "", "filler"),
            e(31, 31, ".", "punctuation")),
        row(
            CONCISE,
            "I just wanted to let you know that the train is late",
            "The train is late.",
            e(0, 35, "", "filler"),
            e(35, 38, "The", "capitalisation"),
            e(52, 52, ".", "punctuation")),
        row(CONCISE, "The train is late.", "The train is late."),
        row(
            CONCISE,
            "basically, it is done",
            "It is done.",
            e(0, 11, "", "filler"),
            e(11, 13, "It", "capitalisation"),
            e(21, 21, ".", "punctuation")),
        row(
            CONCISE,
            "We will meet in the near future to talk with regard to the plan",
            "We will meet soon to talk about the plan.",
            e(13, 31, "soon", "wordiness"),
            e(40, 54, "about", "wordiness"),
            e(63, 63, ".", "punctuation")),
        row(
            CONCISE,
            "a large number of people are able to come 🎉",
            "Many people can come 🎉",
            e(0, 17, "Many", "wordiness"),
            e(25, 36, "can", "wordiness")),
        row(
            CONCISE,
            "I do not know, I think",
            "I do not know.",
            e(13, 22, "", "filler"),
            e(22, 22, ".", "punctuation")),
        row(
            CONCISE,
            "It is literally the best café in Zürich",
            "It is the best café in Zürich.",
            e(6, 16, "", "filler"),
            e(39, 39, ".", "punctuation")),
        row(
            CONCISE,
            "Basically, we are done, I think.",
            "We are done.",
            e(0, 11, "", "filler"),
            e(11, 13, "We", "capitalisation"),
            e(22, 31, "", "filler")),
        row(
            PROOFREAD,
            "hello  😀  world",
            "Hello 😀 world.",
            e(0, 5, "Hello", "capitalisation"),
            e(6, 7, "", "spacing"),
            e(10, 11, "", "spacing"),
            e(16, 16, ".", "punctuation")),
        row(
            FORMAL,
            "ok thx 👍",
            "All right thank you 👍",
            e(0, 2, "All right", "formality"),
            e(3, 6, "thank you", "formality")),
        row(
            FRIENDLY,
            "Dear Sam, I cannot wait to see you!",
            "Hi Sam, I can't wait to see you!",
            e(0, 4, "Hi", "greeting"),
            e(12, 18, "can't", "contraction")));
  }

  @ParameterizedTest(name = "[{index}] {0}: \"{1}\"")
  @MethodSource("table")
  @DisplayName("the main rewrite lists exactly the expected edits")
  void suggest_listsTheExpectedEditsOfTheMainRewrite(
      Tone tone, String draft, String expectedText, List<Edit> expectedEdits) {
    List<Suggestion> suggestions = assistant.suggest(draft, tone);
    assertThat(suggestions.get(0).text()).isEqualTo(expectedText);
    assertThat(suggestions.get(0).edits()).containsExactlyElementsOf(expectedEdits);
    assertThat(Edit.apply(draft, expectedEdits))
        .as("the table row is consistent")
        .isEqualTo(expectedText);
    for (Suggestion s : suggestions) {
      assertThat(Edit.apply(draft, s.edits())).as("edits of \"%s\"", s.text()).isEqualTo(s.text());
    }
    if (expectedText.equals(draft)) {
      assertThat(suggestions).containsExactly(new Suggestion(draft, List.of()));
    }
  }

  @Test
  void table_coversEveryToneUnchangedDraftsAndEveryReasonTheAssistantGives() {
    List<Arguments> rows = table().toList();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(50);
    assertThat(rows.stream().map(r -> (Tone) r.get()[0]).collect(Collectors.toSet()))
        .isEqualTo(EnumSet.allOf(Tone.class));
    assertThat(rows.stream().filter(r -> r.get()[1].equals(r.get()[2])).count())
        .isGreaterThanOrEqualTo(4);
    @SuppressWarnings("unchecked")
    Set<String> reasons =
        rows.stream()
            .flatMap(r -> ((List<Edit>) r.get()[3]).stream())
            .map(Edit::reason)
            .collect(Collectors.toSet());
    assertThat(reasons)
        .containsExactlyInAnyOrder(
            "spelling",
            "capitalisation",
            "spacing",
            "doubled-word",
            "punctuation",
            "grammar",
            "contraction",
            "formality",
            "filler",
            "wordiness",
            "greeting");
  }

  @Test
  void suggest_listsTheEditsOfEveryVariant() {
    assertThat(assistant.suggest("thanks, i'm gonna be late", FORMAL).get(1).edits())
        .containsExactly(
            e(0, 0, "Hello,\n", "greeting"),
            e(0, 6, "Thank you", "formality"),
            e(8, 11, "I am", "contraction"),
            e(12, 17, "going to", "formality"),
            e(25, 25, ".", "punctuation"));
    List<Suggestion> friendly = assistant.suggest("I cannot attend the meeting", FRIENDLY);
    assertThat(friendly.get(1).edits())
        .containsExactly(
            e(2, 8, "can't", "contraction"),
            e(27, 27, ".", "punctuation"),
            e(27, 27, " 🙂", "friendliness"));
    assertThat(friendly.get(2).edits())
        .containsExactly(e(2, 8, "can't", "contraction"), e(27, 27, ".", "punctuation"));
    assertThat(assistant.suggest("At this point in time I am very busy", CONCISE).get(1).edits())
        .containsExactly(
            e(0, 21, "Now", "wordiness"),
            e(22, 26, "I'm", "contraction"),
            e(27, 32, "", "filler"),
            e(36, 36, ".", "punctuation"));
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void suggest_editsReproduceEverySuggestionOfAnyDraft(String draft) {
    for (Tone tone : Tone.values()) {
      for (Suggestion s : assistant.suggest(draft, tone)) {
        assertThat(Edit.apply(draft, s.edits())).as("%s: %s", tone, s.text()).isEqualTo(s.text());
        assertThat(s.edits().isEmpty())
            .as("%s lists edits", tone)
            .isEqualTo(s.text().equals(draft));
      }
    }
  }

  static Stream<String> corpus() {
    return Stream.concat(
        table().map(r -> (String) r.get()[1]),
        Stream.of(
            "🙂",
            "...",
            "ok",
            "i",
            "just",
            "https://x.example",
            "的的的",
            "a\n\nb",
            "see \uE000 https://a.example",
            "hey guys, i think that we should realy just book teh restaurant asap",
            "  lol  ,  i dont  know lol  ",
            "teh teh teh",
            "ok ok ok ok",
            "I I think that that is is fine",
            "www.teh.example,dont  go",
            "mail bob@x.example.please reply",
            "@teh dont",
            "Hello\n\n  hi  there !!",
            "é é é",
            "𝒜 teh 𝒜 dont",
            "a\tb\u00A0c",
            "yeah.yeah.yeah",
            "In order to, basically, leave",
            "it is it is",
            "I am. I am. I am",
            "very very very",
            "Dear\nHello",
            "cant wont dont",
            "haha lol lol",
            "a a a apple",
            "kind of sort of"));
  }

  private static Arguments row(Tone tone, String draft, String text, Edit... edits) {
    return Arguments.of(tone, draft, text, List.of(edits));
  }

  private static Edit e(int start, int end, String replacement, String reason) {
    return new Edit(start, end, replacement, reason);
  }
}
