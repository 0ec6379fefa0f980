package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reply to {@code POST /v1/summarize}: the summary, the sentences it was built from with their
 * message ids, the model, and the enclave (may be null when not known).
 */
public record SummarizeResponse(
    String summary, List<Highlight> highlights, ModelInfo model, EnclaveInfo enclave) {

  public SummarizeResponse {
    highlights =
        highlights == null ? null : Collections.unmodifiableList(new ArrayList<>(highlights));
  }

  /** Parses and validates a response body (a client reading the enclave's answer). */
  public static SummarizeResponse parse(byte[] json) throws InvalidRequestException {
    JsonNode root = Fields.requireObject(Json.read(json), "$");
    String summary = Fields.requiredString(root, "summary", "$", 0, Integer.MAX_VALUE);
    JsonNode array = Fields.requireArray(Fields.member(root, "highlights"), "highlights");
    List<Highlight> highlights = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      highlights.add(Highlight.read(array.get(i), "highlights[" + i + "]"));
    }
    ModelInfo model = ModelInfo.read(Fields.member(root, "model"), "model");
    JsonNode e = Fields.member(root, "enclave");
    EnclaveInfo enclave = e == null ? null : EnclaveInfo.read(e, "enclave");
    return new SummarizeResponse(summary, highlights, model, enclave);
  }

  /** The response as UTF-8 JSON, null members omitted. */
  public byte[] encode() {
    return Json.write(this);
  }
}
