package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Body of {@code POST /v1/summarize}: a chat, its messages in chat order, and how many sentences
 * the summary may have ({@link ApiLimits#DEFAULT_SENTENCES} when absent).
 */
public record SummarizeRequest(Chat chat, List<ChatMessage> messages, int maxSentences) {
  /** The members of a summarise request on the wire; any other is refused. */
  static final List<String> MEMBERS = List.of("chat", "messages", "maxSentences");

  public SummarizeRequest {
    messages = messages == null ? null : Collections.unmodifiableList(new ArrayList<>(messages));
  }

  /**
   * Parses and validates a request body; the exception names the first offending field. A member
   * the wire type does not define is refused (by its position: its name is request content).
   */
  public static SummarizeRequest parse(byte[] json) throws InvalidRequestException {
    JsonNode root = Fields.requireObjectWithOnly(Json.read(json), "$", MEMBERS);
    Chat chat = Chat.read(Fields.member(root, "chat"), "chat");
    JsonNode array = Fields.requireArray(Fields.member(root, "messages"), "messages");
    if (array.isEmpty()) {
      throw new InvalidRequestException("messages", "at least one message");
    }
    if (array.size() > ApiLimits.MAX_MESSAGES) {
      throw new InvalidRequestException(
          "messages", "at most " + ApiLimits.MAX_MESSAGES + " messages");
    }
    List<ChatMessage> messages = new ArrayList<>(array.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String path = "messages[" + i + "]";
      ChatMessage m = ChatMessage.read(array.get(i), path);
      if (!ids.add(m.id())) {
        throw new InvalidRequestException(path + ".id", "duplicate id");
      }
      messages.add(m);
    }
    int maxSentences =
        Fields.optionalInt(
            root,
            "maxSentences",
            "$",
            ApiLimits.MIN_SENTENCES,
            ApiLimits.MAX_SENTENCES,
            ApiLimits.DEFAULT_SENTENCES);
    return new SummarizeRequest(chat, messages, maxSentences);
  }

  /** The request as UTF-8 JSON, null members omitted. */
  public byte[] encode() {
    return Json.write(this);
  }
}
