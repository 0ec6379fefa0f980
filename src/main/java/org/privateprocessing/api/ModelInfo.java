package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Which model produced a response. */
public record ModelInfo(String name, String version) {

  static ModelInfo read(JsonNode node, String path) throws InvalidRequestException {
    Fields.requireObject(node, path);
    return new ModelInfo(
        Fields.requiredString(node, "name", path, 1, ApiLimits.MAX_NAME_CHARS),
        Fields.requiredString(node, "version", path, 1, ApiLimits.MAX_NAME_CHARS));
  }
}
