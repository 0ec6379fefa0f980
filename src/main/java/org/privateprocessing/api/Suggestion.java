package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One suggested wording of a draft and the edits that turn the draft into it: applying {@code
 * edits} to the draft with {@link Edit#apply} yields {@code text}. The edits are sorted by start
 * and do not overlap; an empty list means no edits are listed (the draft itself, or a suggestion
 * built with {@link #Suggestion(String)}).
 *
 * <p>On the wire: {@code {"text":"...","edits":[{"start":0,"end":3,"replacement":"The",
 * "reason":"capitalisation"}]}}; a reader treats an absent {@code edits} as an empty list.
 */
public record Suggestion(String text, List<Edit> edits) {

  /**
   * @throws NullPointerException if text or an edit is null
   * @throws IllegalArgumentException if the edits are not sorted by start or overlap
   */
  public Suggestion {
    Objects.requireNonNull(text, "text");
    edits = edits == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(edits));
    int pos = 0;
    for (Edit e : edits) {
      Objects.requireNonNull(e, "edit");
      if (e.start() < pos) {
        throw new IllegalArgumentException("edits must be sorted by start and must not overlap");
      }
      pos = e.end();
    }
  }

  /** A suggestion that lists no edits. */
  public Suggestion(String text) {
    this(text, List.of());
  }

  static Suggestion read(JsonNode node, String path) throws InvalidRequestException {
    Fields.requireObject(node, path);
    String text = Fields.requiredString(node, "text", path, 0, Integer.MAX_VALUE);
    JsonNode array = Fields.member(node, "edits");
    if (array == null) {
      return new Suggestion(text);
    }
    String arrayPath = Fields.path(path, "edits");
    Fields.requireArray(array, arrayPath);
    List<Edit> edits = new ArrayList<>(array.size());
    int previousEnd = 0;
    for (int i = 0; i < array.size(); i++) {
      Edit e = Edit.read(array.get(i), arrayPath + "[" + i + "]", previousEnd);
      edits.add(e);
      previousEnd = e.end();
    }
    return new Suggestion(text, edits);
  }
}
