package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportedSpeechTest {

  private static String report(String sentence) {
    return ReportedSpeech.report(sentence, "Priya", "Tomasz", List.of("Tomasz"));
  }

  @Test
  void clean_removesEmojiEmoticonsPlaceholdersAndStraySpaces() {
    assertThat(ReportedSpeech.clean("See you at 7:30 🙂👍🏽 :-) xD <file_photo>"))
        .isEqualTo("See you at 7:30");
    assertThat(ReportedSpeech.clean("milk:D.")).isEqualTo("milk.");
    assertThat(ReportedSpeech.clean("https://x.example/a:b stays"))
        .isEqualTo("https://x.example/a:b stays");
    assertThat(ReportedSpeech.clean("🎉🎉")).isEmpty();
  }

  @Test
  void report_rewritesFirstAndSecondPersonWithVerbAgreement() {
    assertThat(report("I want a new lamp for my desk."))
        .isEqualTo("Priya wants a new lamp for Priya's desk.");
    assertThat(report("I'm late, can you wait for me?"))
        .isEqualTo("Priya asks: Priya is late, can Tomasz wait for Priya?");
    assertThat(report("I really need your help")).isEqualTo("Priya really needs Tomasz's help.");
    assertThat(report("We'll meet at the cinema."))
        .isEqualTo("Priya and Tomasz will meet at the cinema.");
    assertThat(report("Do you have time?")).isEqualTo("Priya asks: does Tomasz have time?");
    assertThat(report("thank you I owe you a beer"))
        .isEqualTo("Priya: thank Tomasz Priya owes Tomasz a beer.");
    assertThat(report("I don't know")).isEqualTo("Priya doesn't know.");
  }

  @Test
  void report_usesTheyForWeInAGroupAndKeepsYouWithoutAnAddressee() {
    assertThat(ReportedSpeech.report("We should book it.", "Ann", null, List.of()))
        .isEqualTo("Ann: They should book it.");
    assertThat(ReportedSpeech.report("Did you see it?", "Ann", null, List.of()))
        .isEqualTo("Ann asks: did you see it?");
  }

  @Test
  void report_dropsGreetingsAndInterjectionsButKeepsContent() {
    assertThat(report("Hi Tom, I'll call the vet.")).isEqualTo("Priya will call the vet.");
    assertThat(report("Haha I lost my keys again")).isEqualTo("Priya lost Priya's keys again.");
    assertThat(report("Sorry for the delay.")).isEqualTo("Priya: Sorry for the delay.");
    assertThat(report("Hey can you call me")).isEqualTo("Priya asks: can Tomasz call Priya?");
  }

  @Test
  void report_saysAgreesForABareAgreement() {
    assertThat(report("Sounds good!")).isEqualTo("Priya agrees.");
    assertThat(report("ok 👍")).isEqualTo("Priya agrees.");
  }

  @Test
  void report_leavesOtherLanguagesWordForWord() {
    assertThat(ReportedSpeech.report("Ich bringe den Kuchen mit.", "Lena", "Tom", List.of("Tom")))
        .isEqualTo("Lena: Ich bringe den Kuchen mit.");
    assertThat(ReportedSpeech.report("¿Quién trae el pastel?", "Ana", "Tom", List.of("Tom")))
        .isEqualTo("Ana asks: ¿Quién trae el pastel?");
    assertThat(ReportedSpeech.report("明日は七時です", "Yuki", "Tom", List.of("Tom")))
        .isEqualTo("Yuki: 明日は七時です。");
  }

  @Test
  void report_isEmptyForASentenceOfOnlyEmoji() {
    assertThat(report("👍👍")).isEmpty();
  }
}
