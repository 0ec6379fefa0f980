package org.privateprocessing.infer;

import java.util.Objects;
import org.privateprocessing.api.ModelInfo;

/**
 * What a {@link Model} answered and which model actually answered it. A {@link FallbackModel}
 * reports its fallback's {@link ModelInfo} here when the primary failed, so a response never names
 * a model that did not produce it.
 */
public record Answer<T>(T value, ModelInfo model) {

  public Answer {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(model, "model");
  }
}
