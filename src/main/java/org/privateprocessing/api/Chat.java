package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The chat a request is about. {@code title} may be null. A chat with {@code advancedChatPrivacy}
 * set must not be processed at all (DESIGN.md section 3).
 */
public record Chat(String id, String title, boolean advancedChatPrivacy) {

  static Chat read(JsonNode node, String path) throws InvalidRequestException {
    Fields.requireObject(node, path);
    return new Chat(
        Fields.requiredString(node, "id", path, 1, ApiLimits.MAX_ID_CHARS),
        Fields.optionalString(node, "title", path, ApiLimits.MAX_TITLE_CHARS),
        Fields.optionalBoolean(node, "advancedChatPrivacy", path, false));
  }
}
