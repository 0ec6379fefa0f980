package org.privateprocessing.infer;

import java.util.List;
import java.util.stream.Collectors;
import org.privateprocessing.api.ChatMessage;

/**
 * The LEAD-3 baseline for dialogues, as commonly reported for SAMSum (Gliwa et al. 2019): the first
 * three utterances, each written {@code Speaker: text}, joined by spaces. Stateless.
 */
public final class Lead3 {
  /** Utterances the baseline keeps. */
  public static final int UTTERANCES = 3;

  private Lead3() {}

  /** The first three messages as {@code "Name: text Name: text Name: text"}. */
  public static String summarize(List<ChatMessage> messages) {
    return messages.stream()
        .limit(UTTERANCES)
        .map(m -> m.from() + ": " + m.text().strip())
        .collect(Collectors.joining(" "));
  }
}
