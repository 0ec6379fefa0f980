package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The chat a request is about. {@code title} may be null. A chat with {@code advancedChatPrivacy}
 * set must not be processed at all (DESIGN.md section 3).
 */
public record Chat(String id, String title, boolean advancedChatPrivacy) {
  /** The members a chat may have on the wire; any other is refused. */
  static final List<String> MEMBERS = List.of("id", "title", "advancedChatPrivacy");

  static Chat read(JsonNode node, String path) throws InvalidRequestException {
    Fields.requireObjectWithOnly(node, path, MEMBERS);
    return new Chat(
        Fields.requiredString(node, "id", path, 1, ApiLimits.MAX_ID_CHARS),
        Fields.optionalString(node, "title", path, ApiLimits.MAX_TITLE_CHARS),
        Fields.optionalBoolean(node, "advancedChatPrivacy", path, false));
  }
}
