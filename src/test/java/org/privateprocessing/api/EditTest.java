package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EditTest {

  @Test
  void apply_replacesInsertsAndDeletesAgainstTheOriginalOffsets() {
    String draft = "teh cat  sat";
    List<Edit> edits =
        List.of(
            new Edit(0, 3, "The", Edit.SPELLING),
            new Edit(7, 8, "", Edit.SPACING),
            new Edit(12, 12, ".", Edit.PUNCTUATION));
    assertThat(Edit.apply(draft, edits)).isEqualTo("The cat sat.");
  }

  @Test
  void apply_withoutEditsReturnsTheDraft() {
    assertThat(Edit.apply("as is 🙂", List.of())).isEqualTo("as is 🙂");
    assertThat(Edit.apply("", List.of(new Edit(0, 0, "Hi", Edit.GREETING)))).isEqualTo("Hi");
  }

  @Test
  void apply_insertionsAtOnePlaceGoInListOrderAndMayTouchAReplacement() {
    assertThat(
            Edit.apply(
                "ab",
                List.of(
                    new Edit(1, 1, "x", Edit.SPACING),
                    new Edit(1, 1, "y", Edit.SPACING),
                    new Edit(1, 2, "B", Edit.CAPITALISATION))))
        .isEqualTo("axyB");
    assertThat(
            Edit.apply(
                "ab",
                List.of(
                    new Edit(0, 1, "A", Edit.CAPITALISATION),
                    new Edit(1, 1, "-", Edit.PUNCTUATION))))
        .isEqualTo("A-b");
  }

  @Test
  void apply_rejectsUnsortedOverlappingAndOutOfRangeEdits() {
    assertThatThrownBy(
            () ->
                Edit.apply(
                    "abcdef",
                    List.of(new Edit(3, 4, "", Edit.SPACING), new Edit(0, 1, "", Edit.SPACING))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edit 1 starts before");
    assertThatThrownBy(
            () ->
                Edit.apply(
                    "abcdef",
                    List.of(new Edit(0, 3, "", Edit.SPACING), new Edit(2, 4, "", Edit.SPACING))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Edit.apply("abc", List.of(new Edit(2, 4, "", Edit.SPACING))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends after");
    assertThatThrownBy(() -> Edit.apply("abc", List.of(new Edit(4, 4, "x", Edit.SPACING))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void edit_rejectsBadSpansNullsAndUnknownReasons() {
    assertThatThrownBy(() -> new Edit(-1, 0, "", Edit.SPACING))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Edit(2, 1, "", Edit.SPACING))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Edit(0, 1, null, Edit.SPACING))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Edit(0, 1, "", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Edit(0, 1, "", "typo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("typo");
    assertThat(new Edit(0, 0, "", Edit.CLOSING).start()).isZero();
  }

  @Test
  void reasons_areTheDocumentedSetAndTheErrorTextListsThemAll() {
    assertThat(Edit.REASONS)
        .isEqualTo(
            Set.of(
                "spelling",
                "capitalisation",
                "spacing",
                "doubled-word",
                "punctuation",
                "grammar",
                "contraction",
                "formality",
                "friendliness",
                "filler",
                "wordiness",
                "greeting",
                "closing"));
    for (String r : Edit.REASONS) {
      assertThat(Edit.EXPECTED_REASON).contains(r);
    }
  }

  @Test
  void suggestion_keepsATextOnlyConstructorListingNoEdits() {
    assertThat(new Suggestion("Hi.").edits()).isEmpty();
    assertThat(new Suggestion("Hi.")).isEqualTo(new Suggestion("Hi.", List.of()));
    assertThat(new Suggestion("Hi.", null).edits()).isEmpty();
  }

  @Test
  void suggestion_copiesItsEditsAndRejectsUnsortedOrOverlappingOnes() {
    java.util.List<Edit> list =
        new java.util.ArrayList<>(List.of(new Edit(0, 1, "H", Edit.CAPITALISATION)));
    Suggestion s = new Suggestion("Hi", list);
    list.clear();
    assertThat(s.edits()).hasSize(1);
    assertThatThrownBy(() -> s.edits().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () ->
                new Suggestion(
                    "x",
                    List.of(new Edit(2, 3, "", Edit.SPACING), new Edit(0, 1, "", Edit.SPACING))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Suggestion(null, List.of()))
        .isInstanceOf(NullPointerException.class);
  }
}
