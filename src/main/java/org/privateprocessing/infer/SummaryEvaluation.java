package org.privateprocessing.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.privateprocessing.api.ChatMessage;

/**
 * Macro-averaged ROUGE F1 of one summariser over a set of reference summaries: add one (candidate,
 * reference) pair per item, then read the mean F1 of each measure in percent. Not thread-safe; use
 * one instance per system and thread.
 */
public final class SummaryEvaluation {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private double rouge1;
  private double rouge2;
  private double rougeL;
  private int items;

  /** One evaluation item: a dialogue of {@code Speaker: text} lines and its reference summary. */
  public record Item(String id, String dialogue, String summary) {

    /**
     * Reads one JSON Lines record {@code {"id","dialogue","summary"}}.
     *
     * @throws IllegalArgumentException when the line is not such an object
     */
    public static Item parse(String jsonLine) {
      JsonNode node;
      try {
        node = MAPPER.readTree(jsonLine);
      } catch (Exception e) {
        throw new IllegalArgumentException("not a JSON object");
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return new Item(text(node, "id"), text(node, "dialogue"), text(node, "summary"));
    }

    private static String text(JsonNode node, String name) {
      JsonNode v = node.get(name);
      if (v == null || !v.isTextual()) {
        throw new IllegalArgumentException("missing string member \"" + name + "\"");
      }
      return v.asText();
    }

    /** The dialogue as chat messages, see {@link SummaryEvaluation#messages(String)}. */
    public List<ChatMessage> messages() {
      return SummaryEvaluation.messages(dialogue);
    }
  }

  /** Mean F1 of each measure over {@code items} items, in percent. */
  public record Result(double rouge1, double rouge2, double rougeL, int items) {}

  /**
   * Converts a dialogue to messages: one per line {@code Speaker: text} (split at the first {@code
   * ": "}), ids {@code "1"}, {@code "2"}, … in order. A line without a speaker continues the
   * previous message on a new line (or, first, becomes a message from {@code "Unknown"}); blank
   * lines are skipped.
   */
  public static List<ChatMessage> messages(String dialogue) {
    List<ChatMessage> out = new ArrayList<>();
    for (String line : dialogue.replace("\r\n", "\n").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(": ");
      if (colon > 0) {
        out.add(
            new ChatMessage(
                String.valueOf(out.size() + 1),
                line.substring(0, colon).strip(),
                null,
                line.substring(colon + 2).strip()));
      } else if (!out.isEmpty()) {
        ChatMessage last = out.remove(out.size() - 1);
        out.add(new ChatMessage(last.id(), last.from(), null, last.text() + "\n" + line.strip()));
      } else {
        out.add(new ChatMessage("1", "Unknown", null, line.strip()));
      }
    }
    return out;
  }

  /** Adds one item's candidate summary and reference summary. */
  public void add(String candidate, String reference) {
    Rouge.Scores s = Rouge.score(candidate, reference);
    rouge1 += s.rouge1().f1();
    rouge2 += s.rouge2().f1();
    rougeL += s.rougeL().f1();
    items++;
  }

  /** The means so far, in percent (all 0 before the first item). */
  public Result result() {
    if (items == 0) {
      return new Result(0, 0, 0, 0);
    }
    return new Result(100 * rouge1 / items, 100 * rouge2 / items, 100 * rougeL / items, items);
  }
}
