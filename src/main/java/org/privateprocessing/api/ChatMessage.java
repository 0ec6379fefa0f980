package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One message of a chat: its id (unique within a request), who sent it, when (an ISO-8601 date-time
 * with offset, or null), and its text (may be empty).
 */
public record ChatMessage(String id, String from, String sentAt, String text) {
  /** The members a message may have on the wire; any other is refused. */
  static final List<String> MEMBERS = List.of("id", "from", "sentAt", "text");

  static ChatMessage read(JsonNode node, String path) throws InvalidRequestException {
    Fields.requireObjectWithOnly(node, path, MEMBERS);
    return new ChatMessage(
        Fields.requiredString(node, "id", path, 1, ApiLimits.MAX_ID_CHARS),
        Fields.requiredString(node, "from", path, 1, ApiLimits.MAX_NAME_CHARS),
        Fields.optionalInstant(node, "sentAt", path),
        Fields.requiredString(node, "text", path, 0, ApiLimits.MAX_MESSAGE_TEXT_CHARS));
  }
}
