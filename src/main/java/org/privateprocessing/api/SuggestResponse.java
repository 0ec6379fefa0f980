package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reply to {@code POST /v1/suggest}: the suggestions (best first), each with the edits that turn
 * the draft into it, the model and the enclave.
 */
public record SuggestResponse(List<Suggestion> suggestions, ModelInfo model, EnclaveInfo enclave) {

  public SuggestResponse {
    suggestions =
        suggestions == null ? null : Collections.unmodifiableList(new ArrayList<>(suggestions));
  }

  /** Parses and validates a response body (a client reading the enclave's answer). */
  public static SuggestResponse parse(byte[] json) throws InvalidRequestException {
    JsonNode root = Fields.requireObject(Json.read(json), "$");
    JsonNode array = Fields.requireArray(Fields.member(root, "suggestions"), "suggestions");
    List<Suggestion> suggestions = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      suggestions.add(Suggestion.read(array.get(i), "suggestions[" + i + "]"));
    }
    ModelInfo model = ModelInfo.read(Fields.member(root, "model"), "model");
    JsonNode e = Fields.member(root, "enclave");
    EnclaveInfo enclave = e == null ? null : EnclaveInfo.read(e, "enclave");
    return new SuggestResponse(suggestions, model, enclave);
  }

  /** The response as UTF-8 JSON, null members omitted. */
  public byte[] encode() {
    return Json.write(this);
  }
}
