package org.privateprocessing.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Codec for {@link LocalOnly} payloads: identity for local delivery, and a hard refusal for any
 * attempt to put one on the wire (DESIGN.md section 2: plaintext never crosses a node).
 */
@SuppressWarnings("rawtypes")
public final class LocalOnlyCodec implements MessageCodec<LocalOnly, LocalOnly> {
  public static final String NAME = "pp-local-only";

  /** Thrown when a plaintext-carrying message is about to leave this JVM. */
  public static final class RemoteHopRefused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    RemoteHopRefused() {
      super("refused: a local-only (plaintext) message cannot be sent to another node");
    }
  }

  /** Always refuses: serialising means the message would leave this node. */
  @Override
  public void encodeToWire(Buffer buffer, LocalOnly value) {
    throw new RemoteHopRefused();
  }

  /** Always refuses: no peer may send us plaintext either. */
  @Override
  public LocalOnly decodeFromWire(int pos, Buffer buffer) {
    throw new RemoteHopRefused();
  }

  /** Local delivery hands over the same instance; nothing is copied. */
  @Override
  public LocalOnly transform(LocalOnly value) {
    return value;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
