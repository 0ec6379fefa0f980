package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CodecsTest {
  private final EnvelopeCodec envelopes = new EnvelopeCodec();
  private final LocalOnlyCodec localOnly = new LocalOnlyCodec();

  @Test
  @DisplayName("an envelope survives the wire form byte for byte, at any buffer offset")
  void envelopeRoundTripsThroughTheWire() {
    Envelope envelope = Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[] {1, 2, 3, (byte) 0xff});
    Buffer buffer = Buffer.buffer().appendString("prefix");
    envelopes.encodeToWire(buffer, envelope);
    assertThat(envelopes.decodeFromWire(6, buffer)).isEqualTo(envelope);
  }

  @Test
  @DisplayName("a wire envelope whose length runs past the buffer is refused")
  void envelopeWithLyingLengthIsRefused() {
    Buffer buffer = Buffer.buffer().appendByte((byte) 1).appendInt(1000).appendBytes(new byte[10]);
    assertThatThrownBy(() -> envelopes.decodeFromWire(0, buffer))
        .isInstanceOf(IllegalArgumentException.class);
    Buffer negative = Buffer.buffer().appendByte((byte) 1).appendInt(-1);
    assertThatThrownBy(() -> envelopes.decodeFromWire(0, negative))
        .isInstanceOf(IllegalArgumentException.class);
    Buffer badKind = Buffer.buffer().appendByte((byte) 9).appendInt(0);
    assertThatThrownBy(() -> envelopes.decodeFromWire(0, badKind))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an envelope copies its bytes, so a caller cannot change what was sent")
  void envelopeIsImmutable() {
    byte[] bytes = {1, 2, 3};
    Envelope envelope = Envelope.of(Envelope.Kind.OUTER_REQUEST, bytes);
    bytes[0] = 9;
    envelope.ciphertext()[1] = 9;
    assertThat(envelope.ciphertext()).containsExactly(1, 2, 3);
    assertThat(envelope.toString()).doesNotContain("1, 2, 3").contains("3 bytes");
  }

  @Test
  @DisplayName("a wrapped envelope holds the array it was given, and still hands out copies")
  void wrappedEnvelopeTakesTheArrayOver() {
    byte[] bytes = {1, 2, 3};
    Envelope envelope = Envelope.wrap(Envelope.Kind.OUTER_RESPONSE, bytes);
    assertThat(envelope).isEqualTo(Envelope.of(Envelope.Kind.OUTER_RESPONSE, new byte[] {1, 2, 3}));
    envelope.ciphertext()[1] = 9;
    assertThat(envelope.ciphertext()).containsExactly(1, 2, 3);
    Buffer wire = Buffer.buffer();
    envelopes.encodeToWire(wire, envelope);
    assertThat(envelopes.decodeFromWire(0, wire)).isEqualTo(envelope);
    assertThatThrownBy(() -> Envelope.wrap(Envelope.Kind.OUTER_RESPONSE, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  @DisplayName("a plaintext-carrying message refuses to be serialised for another node")
  void localOnlyRefusesTheWire() {
    LocalOnly<String> plaintext = new LocalOnly<>("secret answer");
    assertThatThrownBy(() -> localOnly.encodeToWire(Buffer.buffer(), plaintext))
        .isInstanceOf(LocalOnlyCodec.RemoteHopRefused.class);
    assertThatThrownBy(() -> localOnly.decodeFromWire(0, Buffer.buffer("x")))
        .isInstanceOf(LocalOnlyCodec.RemoteHopRefused.class);
    assertThat(localOnly.transform(plaintext)).isSameAs(plaintext);
    assertThat(plaintext.toString()).doesNotContain("secret");
  }
}
