package org.privateprocessing.core;

import io.vertx.core.Vertx;

/**
 * Registers the pipeline's codecs on a Vert.x instance, and the guard that refuses a plaintext
 * ({@link LocalOnly}) message sent without local-only delivery; every node must do it (STACK.md).
 */
public final class Codecs {
  private Codecs() {}

  /** Idempotent, so every verticle can call it on start without coordination. */
  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(Envelope.class, new EnvelopeCodec());
      vertx.eventBus().registerDefaultCodec(LocalOnly.class, new LocalOnlyCodec());
      // Once per Vert.x instance, like the codecs: a LocalOnly sent any other way fails at once.
      vertx.eventBus().addOutboundInterceptor(LocalOnlyCodec::guard);
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance did it first
    }
  }
}
