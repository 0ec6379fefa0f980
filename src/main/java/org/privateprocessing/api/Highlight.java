package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A sentence of a summary and the id of the message it was taken from. */
public record Highlight(String messageId, String text) {

  static Highlight read(JsonNode node, String path) throws InvalidRequestException {
    Fields.requireObject(node, path);
    return new Highlight(
        Fields.requiredString(node, "messageId", path, 1, ApiLimits.MAX_ID_CHARS),
        Fields.requiredString(node, "text", path, 0, ApiLimits.MAX_MESSAGE_TEXT_CHARS));
  }
}
