package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Highlight;
import org.privateprocessing.api.SummarizeRequest;

class TextRankSummarizerTest {
  private final TextRankSummarizer summarizer = new TextRankSummarizer();

  static SummarizeRequest sampleChat() throws Exception {
    return SummarizeRequest.parse(Files.readAllBytes(Path.of("conf/examples/chat.json")));
  }

  static ChatMessage msg(String id, String from, String text) {
    return new ChatMessage(id, from, null, text);
  }

  @Test
  void summary_ofTheSampleFamilyChat_mentionsTheBookedDinner() throws Exception {
    SummarizeRequest chat = sampleChat();
    Summary s = summarizer.summarize(chat.messages(), chat.maxSentences());
    assertThat(s.text()).contains("Luigi's").contains("Saturday").contains("7 pm");
    assertThat(s.highlights()).extracting(Highlight::messageId).contains("m8");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 10})
  void summary_respectsMaxSentencesAndAttributesEverySentenceInChatOrder(int max) throws Exception {
    List<ChatMessage> messages = sampleChat().messages();
    Summary s = summarizer.summarize(messages, max);
    assertThat(s.highlights()).hasSizeBetween(1, max);
    assertThat(TextRankSummarizer.splitSentences(s.text())).hasSizeBetween(1, max);
    List<String> ids = messages.stream().map(ChatMessage::id).toList();
    List<Integer> positions = s.highlights().stream().map(h -> ids.indexOf(h.messageId())).toList();
    assertThat(positions).doesNotContain(-1).isSorted();
    for (Highlight h : s.highlights()) {
      ChatMessage source = messages.get(ids.indexOf(h.messageId()));
      assertThat(source.text()).as("highlight is the source sentence").contains(h.text());
      assertThat(s.text()).as("speaker named").contains(source.from());
    }
  }

  @Test
  void summary_reportsWhoSaidWhatInTheThirdPerson() {
    List<ChatMessage> messages =
        List.of(
            msg("1", "Alice", "Shall we meet at the station at seven for the concert?"),
            msg("2", "Bob", "Yes, the station at seven works, I will bring the concert tickets."),
            msg(
                "3",
                "Alice",
                "Great, the concert starts at eight so seven at the station is fine."));
    Summary s = summarizer.summarize(messages, 3);
    assertThat(s.text())
        .isEqualTo(
            "Alice asks: shall Alice and Bob meet at the station at seven for the concert? "
                + "Bob: the station at seven works, Bob will bring the concert tickets. "
                + "Alice: the concert starts at eight so seven at the station is fine.");
    assertThat(s.highlights())
        .extracting(Highlight::text)
        .containsExactly(
            "Shall we meet at the station at seven for the concert?",
            "Yes, the station at seven works, I will bring the concert tickets.",
            "Great, the concert starts at eight so seven at the station is fine.");
  }

  @Test
  void summary_turnsFirstPersonStatementsIntoTheSpeakersName() {
    List<ChatMessage> messages =
        List.of(
            msg("1", "Priya", "I repaired the bike 🚲 Do you need it on Friday?"),
            msg("2", "Tomasz", "Sure!"),
            msg("3", "Priya", "I'll leave it at your door tomorrow :-)"));
    Summary s = summarizer.summarize(messages, 3);
    assertThat(s.text())
        .contains("Priya repaired the bike.")
        .contains("Priya will leave it at Tomasz's door tomorrow.")
        .doesNotContain("🚲")
        .doesNotContain(":-)");
  }

  @Test
  void summary_ignoresQuotedLinesOfAReply() {
    List<ChatMessage> messages =
        List.of(
            msg("1", "Ann", "The rehearsal moves to Thursday evening in the small hall."),
            msg(
                "2",
                "Ben",
                "> The rehearsal moves to Thursday evening in the small hall.\nThursday is fine, I bring the sheet music."));
    Summary s = summarizer.summarize(messages, 3);
    assertThat(s.highlights()).extracting(Highlight::text).noneMatch(t -> t.startsWith(">"));
    assertThat(s.highlights())
        .filteredOn(h -> h.messageId().equals("2"))
        .extracting(Highlight::text)
        .containsExactly("Thursday is fine, I bring the sheet music.");
    assertThat(TextRankSummarizer.withoutQuotedLines("> a\nb\n  > c\nd")).isEqualTo("b\nd\n");
  }

  @Test
  void summary_givesConsecutiveQuotedSentencesOfOneSpeakerOnePrefix() {
    List<ChatMessage> messages =
        List.of(
            msg(
                "1",
                "Ann",
                "The rehearsal moves to Thursday evening. The small hall is booked for the rehearsal."),
            msg("2", "Ben", "ok"));
    Summary s = summarizer.summarize(messages, 2);
    assertThat(s.text())
        .isEqualTo(
            "Ann: The rehearsal moves to Thursday evening. The small hall is booked for the rehearsal.");
    assertThat(s.highlights()).hasSize(2);
  }

  @Test
  void summary_saysAsksForAQuestion() {
    Summary s =
        summarizer.summarize(List.of(msg("1", "Alice", "Who brings the cake for the party?")), 1);
    assertThat(s.text()).isEqualTo("Alice asks: who brings the cake for the party?");
    assertThat(s.highlights())
        .containsExactly(new Highlight("1", "Who brings the cake for the party?"));
  }

  @Test
  void summary_isEmptyWhenEveryMessageIsBlank() {
    Summary s = summarizer.summarize(List.of(msg("1", "A", ""), msg("2", "B", "  \n\t ")), 3);
    assertThat(s.text()).isEmpty();
    assertThat(s.highlights()).isEmpty();
  }

  @Test
  void summary_skipsBlankMessagesAndClosesASentenceWithoutPunctuation() {
    Summary s =
        summarizer.summarize(
            List.of(msg("1", "A", " "), msg("2", "Bo", "dinner moved to friday")), 3);
    assertThat(s.text()).isEqualTo("Bo: dinner moved to friday.");
    assertThat(s.highlights()).containsExactly(new Highlight("2", "dinner moved to friday"));
  }

  @Test
  void summary_survivesEmojiLinksAndNonEnglishPunctuation() {
    List<ChatMessage> messages =
        List.of(
            msg("1", "Yuki", "明日の夕食は七時からです。駅前のレストランを予約しました！"),
            msg("2", "Ana", "¿Quién trae el pastel? Yo traigo las velas… 🎂🎉"),
            msg(
                "3",
                "Léa",
                "Le menu est ici : https://resto.example/menu?lang=fr&x=1. C'est parfait !"),
            msg("4", "Max", "👍👍👍"),
            msg("5", "Yuki", "レストランの予約は七時です。"),
            msg("6", "Ana", "Perfecto, el pastel y las velas para las siete."));
    Summary s = summarizer.summarize(messages, 3);
    assertThat(s.highlights()).hasSizeBetween(1, 3);
    assertThat(s.highlights()).extracting(Highlight::messageId).doesNotContain("4").isSorted();
    assertThat(s.text()).doesNotContain("null");
    assertThat(TextRankSummarizer.splitSentences(messages.get(0).text()))
        .containsExactly("明日の夕食は七時からです。", "駅前のレストランを予約しました！");
    assertThat(TextRankSummarizer.splitSentences(messages.get(2).text()))
        .containsExactly(
            "Le menu est ici : https://resto.example/menu?lang=fr&x=1.", "C'est parfait !");
  }

  @Test
  void splitSentences_keepsAbbreviationsDecimalsAndUrlsTogether() {
    assertThat(
            TextRankSummarizer.splitSentences(
                "Dr. Who costs 7.50 e.g. at www.x.example today! Really?! Yes… ok"))
        .containsExactly(
            "Dr. Who costs 7.50 e.g. at www.x.example today!", "Really?!", "Yes…", "ok");
    assertThat(TextRankSummarizer.splitSentences("line one\nline two"))
        .containsExactly("line one", "line two");
  }

  @Test
  void summary_isDeterministic() throws Exception {
    List<ChatMessage> messages = sampleChat().messages();
    assertThat(summarizer.summarize(messages, 3))
        .isEqualTo(new TextRankSummarizer().summarize(messages, 3));
  }

  @Test
  void summary_breaksTiesForTheEarlierMessage() {
    List<ChatMessage> messages =
        List.of(
            msg("1", "A", "Alpha beta gamma delta."),
            msg("2", "B", "Epsilon zeta eta theta."),
            msg("3", "C", "Iota kappa lambda mu."));
    assertThat(summarizer.summarize(messages, 1).highlights())
        .extracting(Highlight::messageId)
        .containsExactly("1");
  }

  @Test
  void summary_skipsNearDuplicateSentences() {
    List<ChatMessage> messages =
        List.of(
            msg("1", "A", "Dinner on Saturday at seven at Luigi's."),
            msg("2", "B", "Dinner on Saturday at seven at Luigi's!"),
            msg("3", "C", "I will bring the birthday cake to the dinner."));
    Set<String> texts =
        summarizer.summarize(messages, 2).highlights().stream()
            .map(Highlight::messageId)
            .collect(Collectors.toSet());
    assertThat(texts).hasSize(2).containsAnyOf("1", "2").contains("3");
  }

  @Test
  void summary_of5000MessagesCompletesWithMaxSentences() {
    String[] names = {"Alice", "Bob", "Chloé", "Dmitri", "Eve"};
    String[] topics = {
      "dinner", "tickets", "train", "cake", "present", "holiday", "garden", "school", "car"
    };
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      String t = topics[i % topics.length];
      String u = topics[(i * 7 + 3) % topics.length];
      messages.add(
          msg(
              "m" + i,
              names[i % names.length],
              "Message "
                  + i
                  + " about the "
                  + t
                  + " and the "
                  + u
                  + ", see https://x.example/"
                  + i
                  + " 🙂. Also word"
                  + (i % 97)
                  + " and item"
                  + (i % 13)
                  + "?"));
    }
    Summary s = summarizer.summarize(messages, 10);
    assertThat(s.highlights()).hasSize(10);
    assertThat(s.highlights())
        .extracting(h -> Integer.parseInt(h.messageId().substring(1)))
        .isSorted();
  }

  @Test
  void summarize_rejectsMaxSentencesBelowOne() {
    assertThatThrownBy(() -> summarizer.summarize(List.of(msg("1", "A", "x")), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
