package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;

/** One suggested wording of a draft. */
public record Suggestion(String text) {

    static Suggestion read(JsonNode node, String path) throws InvalidRequestException {
        Fields.requireObject(node, path);
        return new Suggestion(Fields.requiredString(node, "text", path, 0, Integer.MAX_VALUE));
    }
}
