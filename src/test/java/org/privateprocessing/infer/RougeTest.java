package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed ROUGE cases; every expected number is worked out in the comment next to it. */
class RougeTest {
  private static final double EPS = 1e-9;

  @Test
  void tokenize_lowerCasesAndSplitsOnEverythingButAsciiLettersAndDigits() {
    assertThat(Rouge.tokenize("Priya's 5-o'clock Café! ☕ at 7:30"))
        .containsExactly("priya", "s", "5", "o", "clock", "caf", "at", "7", "30");
    assertThat(Rouge.tokenize("  ...  ")).isEmpty();
  }

  @Test
  void score_ofNearlyEqualSentences_matchesHandComputedValues() {
    // candidate: the cat sat on the mat (6 tokens); reference: the cat is on the mat (6 tokens)
    Rouge.Scores s = Rouge.score("The cat sat on the mat.", "the cat is on the mat");
    // unigrams: the×2, cat, on, mat shared = 5 -> P = R = F = 5/6
    assertThat(s.rouge1().precision()).isCloseTo(5 / 6.0, within(EPS));
    assertThat(s.rouge1().f1()).isCloseTo(5 / 6.0, within(EPS));
    // bigrams: "the cat", "on the", "the mat" shared of 5 each -> 3/5
    assertThat(s.rouge2().f1()).isCloseTo(0.6, within(EPS));
    // LCS: the cat on the mat = 5 -> 5/6
    assertThat(s.rougeL().f1()).isCloseTo(5 / 6.0, within(EPS));
  }

  @Test
  void score_withDifferentLengths_usesPrecisionAndRecallSeparately() {
    // candidate a b c d, reference a c: overlap 2, P = 2/4, R = 2/2, F = 2·0.5·1/1.5 = 2/3
    Rouge.Scores s = Rouge.score("a b c d", "a c");
    assertThat(s.rouge1().precision()).isCloseTo(0.5, within(EPS));
    assertThat(s.rouge1().recall()).isCloseTo(1.0, within(EPS));
    assertThat(s.rouge1().f1()).isCloseTo(2 / 3.0, within(EPS));
    // bigrams ab, bc, cd vs ac: nothing shared
    assertThat(s.rouge2().f1()).isZero();
    // LCS "a c" = 2: same as ROUGE-1 here
    assertThat(s.rougeL().f1()).isCloseTo(2 / 3.0, within(EPS));
  }

  @Test
  void rougeN_clipsRepeatedNgramsToTheirCountInTheOtherText() {
    // the the the vs the cat: "the" counts once -> P = 1/3, R = 1/2, F = 2·(1/6)/(5/6) = 0.4
    assertThat(Rouge.score("the the the", "the cat").rouge1().f1()).isCloseTo(0.4, within(EPS));
  }

  @Test
  void rougeL_isTheLongestCommonSubsequenceNotSubstring() {
    // a x b y c vs a b c: LCS a b c = 3 -> P = 3/5, R = 1, F = 2·0.6/1.6 = 0.75
    assertThat(Rouge.rougeL(List.of("a", "x", "b", "y", "c"), List.of("a", "b", "c")).f1())
        .isCloseTo(0.75, within(EPS));
    assertThat(Rouge.lcs(List.of("b", "a"), List.of("a", "b"))).isEqualTo(1);
  }

  @Test
  void score_isZeroForAnEmptyCandidateOrReference() {
    assertThat(Rouge.score("", "some words").rouge1().f1()).isZero();
    assertThat(Rouge.score("some words", "").rougeL().f1()).isZero();
    assertThat(Rouge.score("one", "one").rouge2().f1()).isZero(); // no bigram on either side
    assertThat(Rouge.score("one", "one").rouge1().f1()).isEqualTo(1.0);
  }

  @Test
  void rougeN_rejectsNBelowOne() {
    assertThatThrownBy(() -> Rouge.rougeN(List.of("a"), List.of("a"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
