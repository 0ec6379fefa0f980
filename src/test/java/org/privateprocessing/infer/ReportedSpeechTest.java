package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportedSpeechTest {

    private static String report(String sentence) {
        return ReportedSpeech.report(sentence, "Amanda", "Jerry", List.of("Jerry"));
    }

    @Test
    void clean_removesEmojiEmoticonsPlaceholdersAndStraySpaces() {
        assertThat(ReportedSpeech.clean("See you at 7:30 🙂👍🏽 :-) xD <file_photo>")).isEqualTo("See you at 7:30");
        assertThat(ReportedSpeech.clean("milk:D.")).isEqualTo("milk.");
        assertThat(ReportedSpeech.clean("https://x.example/a:b stays")).isEqualTo("https://x.example/a:b stays");
        assertThat(ReportedSpeech.clean("🎉🎉")).isEmpty();
    }

    @Test
    void report_rewritesFirstAndSecondPersonWithVerbAgreement() {
        assertThat(report("I want a puppy for my son.")).isEqualTo("Amanda wants a puppy for Amanda's son.");
        assertThat(report("I'm late, can you wait for me?")).isEqualTo("Amanda asks: Amanda is late, can Jerry wait for Amanda?");
        assertThat(report("I really need your help")).isEqualTo("Amanda really needs Jerry's help.");
        assertThat(report("We'll meet at the cinema.")).isEqualTo("Amanda and Jerry will meet at the cinema.");
        assertThat(report("Do you have time?")).isEqualTo("Amanda asks: does Jerry have time?");
        assertThat(report("thank you I owe you a beer")).isEqualTo("Amanda: thank Jerry Amanda owes Jerry a beer.");
        assertThat(report("I don't know")).isEqualTo("Amanda doesn't know.");
    }

    @Test
    void report_usesTheyForWeInAGroupAndKeepsYouWithoutAnAddressee() {
        assertThat(ReportedSpeech.report("We should book it.", "Ann", null, List.of()))
                .isEqualTo("Ann: They should book it.");
        assertThat(ReportedSpeech.report("Did you see it?", "Ann", null, List.of())).isEqualTo("Ann asks: did you see it?");
    }

    @Test
    void report_dropsGreetingsAndInterjectionsButKeepsContent() {
        assertThat(report("Hi Tom, I'll call the vet.")).isEqualTo("Amanda will call the vet.");
        assertThat(report("Haha I lost my keys again")).isEqualTo("Amanda lost Amanda's keys again.");
        assertThat(report("Sorry for the delay.")).isEqualTo("Amanda: Sorry for the delay.");
        assertThat(report("Hey can you call me")).isEqualTo("Amanda asks: can Jerry call Amanda?");
    }

    @Test
    void report_saysAgreesForABareAgreement() {
        assertThat(report("Sounds good!")).isEqualTo("Amanda agrees.");
        assertThat(report("ok 👍")).isEqualTo("Amanda agrees.");
    }

    @Test
    void report_leavesOtherLanguagesWordForWord() {
        assertThat(ReportedSpeech.report("Ich bringe den Kuchen mit.", "Lena", "Tom", List.of("Tom")))
                .isEqualTo("Lena: Ich bringe den Kuchen mit.");
        assertThat(ReportedSpeech.report("¿Quién trae el pastel?", "Ana", "Tom", List.of("Tom")))
                .isEqualTo("Ana asks: ¿Quién trae el pastel?");
        assertThat(ReportedSpeech.report("明日は七時です", "Yuki", "Tom", List.of("Tom"))).isEqualTo("Yuki: 明日は七時です。");
    }

    @Test
    void report_isEmptyForASentenceOfOnlyEmoji() {
        assertThat(report("👍👍")).isEmpty();
    }
}
