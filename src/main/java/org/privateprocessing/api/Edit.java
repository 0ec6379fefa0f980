package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One change a suggestion makes to the draft: the draft's characters {@code [start, end)} are
 * replaced by {@code replacement}. Offsets are UTF-16 indices into the <em>original</em> draft,
 * {@code end} exclusive; an insertion has {@code start == end}, a deletion an empty replacement.
 * {@code reason} is one of {@link #REASONS}, a short machine-friendly label.
 *
 * @throws IllegalArgumentException from the constructor for a negative or reversed span or an
 *     unknown reason
 * @throws NullPointerException from the constructor for a null replacement or reason
 */
public record Edit(int start, int end, String replacement, String reason) {
  public static final String SPELLING = "spelling";
  public static final String CAPITALISATION = "capitalisation";
  public static final String SPACING = "spacing";
  public static final String DOUBLED_WORD = "doubled-word";
  public static final String PUNCTUATION = "punctuation";
  public static final String GRAMMAR = "grammar";
  public static final String CONTRACTION = "contraction";
  public static final String FORMALITY = "formality";
  public static final String FRIENDLINESS = "friendliness";
  public static final String FILLER = "filler";
  public static final String WORDINESS = "wordiness";
  public static final String GREETING = "greeting";
  public static final String CLOSING = "closing";

  /** Every reason an edit may carry; a reader rejects any other. */
  public static final Set<String> REASONS =
      Set.of(
          SPELLING,
          CAPITALISATION,
          SPACING,
          DOUBLED_WORD,
          PUNCTUATION,
          GRAMMAR,
          CONTRACTION,
          FORMALITY,
          FRIENDLINESS,
          FILLER,
          WORDINESS,
          GREETING,
          CLOSING);

  /** Reason given when a reason is not in {@link #REASONS}; it does not repeat the value. */
  static final String EXPECTED_REASON =
      "must be one of spelling, capitalisation, spacing, doubled-word, "
          + "punctuation, grammar, contraction, formality, friendliness, filler, wordiness, greeting, closing";

  public Edit {
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(reason, "reason");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "edit span must satisfy 0 <= start <= end, got [" + start + ", " + end + ")");
    }
    if (!REASONS.contains(reason)) {
      throw new IllegalArgumentException("edit reason " + EXPECTED_REASON);
    }
  }

  /**
   * The draft with the edits applied. The edits must be sorted by start and must not overlap (each
   * starts at or after the end of the one before; insertions at one place apply in list order), and
   * every span must lie within the draft.
   *
   * @throws IllegalArgumentException if the edits are unsorted, overlap or reach past the draft
   */
  public static String apply(String draft, List<Edit> edits) {
    Objects.requireNonNull(draft, "draft");
    StringBuilder b = new StringBuilder(draft.length());
    int pos = 0;
    for (int i = 0; i < edits.size(); i++) {
      Edit e = edits.get(i);
      if (e.start < pos) {
        throw new IllegalArgumentException(
            "edit " + i + " starts before the end of the edit before it");
      }
      if (e.end > draft.length()) {
        throw new IllegalArgumentException("edit " + i + " ends after the end of the draft");
      }
      b.append(draft, pos, e.start).append(e.replacement);
      pos = e.end;
    }
    return b.append(draft, pos, draft.length()).toString();
  }

  static Edit read(JsonNode node, String path, int previousEnd) throws InvalidRequestException {
    Fields.requireObject(node, path);
    int start = Fields.requiredInt(node, "start", path, 0, Integer.MAX_VALUE);
    if (start < previousEnd) {
      throw new InvalidRequestException(
          Fields.path(path, "start"), "must not be before the end of the previous edit");
    }
    int end = Fields.requiredInt(node, "end", path, 0, Integer.MAX_VALUE);
    if (end < start) {
      throw new InvalidRequestException(Fields.path(path, "end"), "must not be less than start");
    }
    String replacement = Fields.requiredString(node, "replacement", path, 0, Integer.MAX_VALUE);
    String reason = Fields.requiredString(node, "reason", path, 1, 32);
    if (!REASONS.contains(reason)) {
      throw new InvalidRequestException(Fields.path(path, "reason"), EXPECTED_REASON);
    }
    return new Edit(start, end, replacement, reason);
  }
}
