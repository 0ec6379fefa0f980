package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;

/** The enclave's state of one request arriving in pieces, without Vert.x. */
class InboundStreamTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final EnclaveIdentity identity = EnclaveIdentity.generate("1b", null, RANDOM);

  private InboundStream stream(ChunkLimits limits) {
    return new InboundStream(new EnclaveHandshake(identity), identity.keys(), limits);
  }

  /** A chunked inner request with {@code plain} in chunks of {@code chunk} bytes, whole. */
  private byte[] sealed(byte[] plain, int chunk) throws Exception {
    ChunkedRequestEncapsulator inner =
        ChunkedRequestEncapsulator.start(identity.keyConfigs().get(0), RANDOM);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(inner.header());
    for (int at = 0; at < plain.length; at += chunk) {
      wire.writeBytes(
          inner.sealChunk(Arrays.copyOfRange(plain, at, Math.min(plain.length, at + chunk))));
    }
    wire.writeBytes(inner.sealFinal(new byte[0]));
    return wire.toByteArray();
  }

  private static List<byte[]> slices(byte[] all, int slice) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < all.length; at += slice) {
      out.add(Arrays.copyOfRange(all, at, Math.min(all.length, at + slice)));
    }
    return out;
  }

  private static String slug(PipelineException e) {
    return e.problem().type().substring(e.problem().type().lastIndexOf(':') + 1);
  }

  @Test
  @DisplayName(
      "pieces of any size, even the header one byte at a time, open to the request's plaintext on the last")
  void anySlicing() throws Exception {
    byte[] plain = new byte[5000];
    RANDOM.nextBytes(plain);
    for (int slice : new int[] {1, 3, 7, 100, 4096, 100_000}) {
      InboundStream s = stream(ChunkLimits.DEFAULT);
      List<byte[]> pieces = slices(sealed(plain, 700), slice);
      OpenedStream opened = null;
      for (int i = 0; i < pieces.size(); i++) {
        boolean last = i == pieces.size() - 1;
        opened = s.take(i, pieces.get(i), last);
        assertThat(opened == null).isEqualTo(!last);
      }
      assertThat(opened.content()).isEqualTo(plain);
    }
  }

  @Test
  @DisplayName("a piece out of sequence, replayed, or after the last is bad-envelope")
  void sequence() throws Exception {
    List<byte[]> pieces = slices(sealed(new byte[300], 100), 50);
    InboundStream skipped = stream(ChunkLimits.DEFAULT);
    skipped.take(0, pieces.get(0), false);
    assertThatThrownBy(() -> skipped.take(2, pieces.get(2), false))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).isEqualTo("bad-envelope"));
    // Dropped: even the right piece is refused now.
    assertThatThrownBy(() -> skipped.take(1, pieces.get(1), false))
        .isInstanceOf(PipelineException.class);

    InboundStream replayed = stream(ChunkLimits.DEFAULT);
    replayed.take(0, pieces.get(0), false);
    assertThatThrownBy(() -> replayed.take(0, pieces.get(0), false))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).isEqualTo("bad-envelope"));

    InboundStream done = stream(ChunkLimits.DEFAULT);
    for (int i = 0; i < pieces.size(); i++) {
      done.take(i, pieces.get(i), i == pieces.size() - 1);
    }
    assertThatThrownBy(() -> done.take(pieces.size(), new byte[] {0}, true))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).isEqualTo("bad-envelope"));
  }

  @Test
  @DisplayName(
      "a header for no live key, a tampered chunk, a stream past the limits, a last piece before the final chunk: inner-* problems")
  void innerProblems() throws Exception {
    byte[] wire = sealed(new byte[3000], 500);
    byte[] otherKey = wire.clone();
    otherKey[0] ^= 0x55;
    assertThatThrownBy(() -> stream(ChunkLimits.DEFAULT).take(0, otherKey, true))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).startsWith("inner-"));

    byte[] tampered = wire.clone();
    tampered[wire.length / 2] ^= 1;
    InboundStream t = stream(ChunkLimits.DEFAULT);
    List<byte[]> pieces = slices(tampered, 256);
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < pieces.size(); i++) {
                t.take(i, pieces.get(i), i == pieces.size() - 1);
              }
            })
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).isEqualTo("inner-decryption-failed"));

    assertThatThrownBy(
            () ->
                stream(new ChunkLimits(ChunkLimits.MIN_CHUNK_LENGTH, 1000))
                    .take(0, sealed(new byte[3000], 200), true))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).isEqualTo("inner-too-large"));

    assertThatThrownBy(
            () -> stream(ChunkLimits.DEFAULT).take(0, Arrays.copyOf(wire, wire.length - 30), true))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).isEqualTo("inner-truncated"));
    assertThatThrownBy(() -> stream(ChunkLimits.DEFAULT).take(0, new byte[3], true))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(slug(e)).isEqualTo("inner-truncated"));
  }
}
