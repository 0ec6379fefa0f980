package org.privateprocessing.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The codec for {@link Envelope}s, the only messages allowed to cross a cluster. Wire form: kind (1
 * byte), length (4 bytes, big-endian), ciphertext.
 */
public final class EnvelopeCodec implements MessageCodec<Envelope, Envelope> {
  public static final String NAME = "pp-envelope";

  /** Largest ciphertext a peer may send; bounded so a bad peer cannot make us allocate at will. */
  static final int MAX_CIPHERTEXT = 8 << 20;

  /** Writes kind, length and bytes; called only when the message leaves this node. */
  @Override
  public void encodeToWire(Buffer buffer, Envelope envelope) {
    byte[] bytes = envelope.ciphertext();
    buffer.appendByte((byte) envelope.kind().code).appendInt(bytes.length).appendBytes(bytes);
  }

  /** Reads what {@link #encodeToWire} wrote, refusing lengths that run past the buffer. */
  @Override
  public Envelope decodeFromWire(int pos, Buffer buffer) {
    Envelope.Kind kind = Envelope.Kind.fromCode(buffer.getByte(pos));
    int length = buffer.getInt(pos + 1);
    if (length < 0 || length > MAX_CIPHERTEXT || pos + 5 + length > buffer.length()) {
      throw new IllegalArgumentException("envelope length out of range: " + length);
    }
    return Envelope.wrap(kind, buffer.getBytes(pos + 5, pos + 5 + length));
  }

  /** Local delivery: the envelope is immutable, so the same instance is passed on. */
  @Override
  public Envelope transform(Envelope envelope) {
    return envelope;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** A user codec, not one of Vert.x's built-ins. */
  @Override
  public byte systemCodecID() {
    return -1;
  }
}
