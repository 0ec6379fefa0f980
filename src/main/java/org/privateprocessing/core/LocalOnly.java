package org.privateprocessing.core;

import java.util.Objects;

/**
 * A wrapper for event-bus payloads that may carry plaintext (for instance a model's answer on its
 * way to the sealing stage). Its codec refuses to serialise it, so it can never leave the JVM even
 * if an address were wrongly served by another node.
 */
public record LocalOnly<T>(T value) {
  public LocalOnly {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "LocalOnly[" + value.getClass().getSimpleName() + "]";
  }
}
