package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TermsTest {
  @Test
  void tokenize_lowerCasesDropsStopWordsAndGivesCjkBigrams() {
    assertThat(Terms.forRanking("The Tickets for the Concert, at 7!"))
        .containsExactly("ticket", "concert", "7");
    assertThat(Terms.forRanking("駅前")).containsExactly("駅前");
    assertThat(Terms.forRanking("Die Torte und der Kuchen")).containsExactly("torte", "kuchen");
  }

  @Test
  @DisplayName("two-letter words and numbers count, one letter does not; ranking keeps repeats")
  void forRanking_keepsTwoLetterWordsAndNumbersInOrderWithRepeats() {
    assertThat(Terms.forRanking("TV at 9, TV again x 2020s"))
        .containsExactly("tv", "9", "tv", "2020s");
    assertThat(Terms.forMatching("TV at 9, TV x")).containsExactly("tv", "9");
  }

  @Test
  @DisplayName("the plural strip leaves -ss, -us and -is words and short words alone")
  void tokenize_stripsPluralsLightly() {
    assertThat(Terms.forMatching("tickets class status analysis bus cats"))
        .containsExactly("ticket", "class", "status", "analysis", "bus", "cats");
  }

  @Test
  @DisplayName("chat words are dropped for ranking and kept for matching; function words for both")
  void chatWords_countForMatchingOnly() {
    String s = "Ross wants to get the tickets again, thanks";
    assertThat(Terms.forRanking(s)).containsExactly("ross", "want", "ticket");
    assertThat(Terms.forMatching(s))
        .containsExactly("ross", "want", "get", "ticket", "again", "thank");
  }

  @Test
  @DisplayName("the verbs a generated summary reports speech with are no content for either job")
  void reportingVerbs_areStopWords() {
    String s = "Ann said she asked Bob, who agreed and says he shall pay";
    assertThat(Terms.forMatching(s)).containsExactly("ann", "bob", "pay");
    assertThat(Terms.forRanking(s)).containsExactly("ann", "bob", "pay");
  }

  @Test
  @DisplayName("Han, Hiragana and Katakana runs give bigrams; a Latin word inside ends the run")
  void tokenize_cjkRunsGiveBigrams() {
    assertThat(Terms.forRanking("明天下午")).containsExactly("明天", "天下", "下午");
    assertThat(Terms.forRanking("東京Tower駅")).containsExactly("東京", "tower", "駅");
    assertThat(Terms.forMatching("カメラを買う")).containsExactly("カメ", "メラ", "ラを", "を買", "買う");
    assertThat(Terms.isCjk('a')).isFalse();
    assertThat(Terms.isCjk('漢')).isTrue();
  }

  @Test
  void tokenize_punctuationEmojiAndStopWordsAloneGiveNoTerm() {
    assertThat(Terms.forRanking("")).isEmpty();
    assertThat(Terms.forMatching(" ... !? 👍")).isEmpty();
    assertThat(Terms.forMatching("yes, ok, lol")).isEmpty();
    assertThat(Terms.forRanking("yes, ok, thanks!")).isEmpty();
  }
}
