package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.privateprocessing.api.Highlight;

/** A summary text and the message sentences it was built from, in chat order. */
public record Summary(String text, List<Highlight> highlights) {

  public Summary {
    highlights =
        highlights == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(highlights));
  }
}
