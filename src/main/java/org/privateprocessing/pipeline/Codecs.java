package org.privateprocessing.pipeline;

import io.vertx.core.Vertx;

/** Registers the pipeline's codecs on a Vert.x instance; every node must do it (STACK.md). */
public final class Codecs {
  private Codecs() {}

  /** Idempotent, so every verticle can call it on start without coordination. */
  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(Envelope.class, new EnvelopeCodec());
      vertx.eventBus().registerDefaultCodec(LocalOnly.class, new LocalOnlyCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance did it first
    }
  }
}
