package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkedOhttpRoundTripTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> BOTH =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);

  static Stream<Arguments> everySuite() {
    List<Arguments> out = new ArrayList<>();
    for (int kem : new int[] {HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KEM_X_WING}) {
      for (SymmetricSuite s : BOTH) {
        out.add(Arguments.of(HpkeIds.kemName(kem), kem, s));
      }
    }
    return out.stream();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "{0} with {2}: many chunks each way, fed in odd slices")
  @MethodSource("everySuite")
  void manyChunks_roundTripEachWay(String name, int kem, SymmetricSuite suite) throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(9, kem, BOTH, RANDOM);
    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.start(key.config(), suite, RANDOM);
    List<byte[]> sent = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(client.header());
    for (int size : new int[] {1, 63, 64, 16383, ChunkLimits.MAX_SEND_PLAINTEXT, 200}) {
      byte[] pt = random(size);
      sent.add(pt);
      wire.writeBytes(client.sealChunk(pt));
    }
    byte[] lastSent = random(17);
    wire.writeBytes(client.sealFinal(lastSent));

    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    List<byte[]> got = new ArrayList<>();
    byte[] in = wire.toByteArray();
    for (int at = 0; at < in.length; at += 997) {
      got.addAll(gateway.feed(in, at, Math.min(997, in.length - at)));
    }
    assertThat(got).containsExactlyElementsOf(sent);
    assertThat(gateway.finish()).isEqualTo(lastSent);
    assertThat(gateway.suite()).isEqualTo(suite);

    ChunkedResponseSealer sealer = gateway.sealer();
    ChunkedResponseOpener opener = client.opener();
    assertThat(opener.feed(sealer.begin(RANDOM))).isEmpty();
    List<byte[]> answered = new ArrayList<>();
    List<byte[]> opened = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] pt = random(1 + i * 7);
      answered.add(pt);
      opened.addAll(opener.feed(sealer.sealChunk(pt)));
    }
    assertThat(opened).containsExactlyElementsOf(answered);
    assertThat(opener.isComplete()).isFalse();
    assertThat(opener.feed(sealer.sealFinal(new byte[0]))).isEmpty();
    assertThat(opener.finish()).isEmpty();
    assertThat(opener.isComplete()).isTrue();
    assertThat(sealer.isFinished()).isTrue();
  }

  @Test
  @DisplayName("a chunk's plaintext comes out as soon as its last byte is fed, not before")
  void chunk_isReleasedExactlyWhenComplete() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, BOTH, RANDOM);
    ChunkedRequestEncapsulator client = ChunkedRequestEncapsulator.start(key.config(), RANDOM);
    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    assertThat(gateway.hasHeader()).isFalse();
    assertThat(gateway.feed(client.header())).isEmpty();
    assertThat(gateway.hasHeader()).isTrue();
    byte[] chunk = client.sealChunk("first words".getBytes());
    assertThat(gateway.feed(chunk, 0, chunk.length - 1)).isEmpty();
    assertThat(gateway.feed(chunk, chunk.length - 1, 1))
        .singleElement()
        .isEqualTo("first words".getBytes());
  }

  @Test
  @DisplayName(
      "the response can begin before the request is complete (the sealer exists after the header)")
  void response_canStreamBeforeRequestEnds() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, BOTH, RANDOM);
    ChunkedRequestEncapsulator client = ChunkedRequestEncapsulator.start(key.config(), RANDOM);
    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    gateway.feed(client.header());
    ChunkedResponseOpener opener = client.opener();
    ChunkedResponseSealer sealer = gateway.sealer();
    opener.feed(sealer.begin(RANDOM));
    assertThat(opener.feed(sealer.sealChunk(new byte[] {42})))
        .singleElement()
        .isEqualTo(new byte[] {42});
    gateway.feed(client.sealFinal(new byte[] {1}));
    assertThat(gateway.finish()).containsExactly(1);
    opener.feed(sealer.sealFinal(new byte[] {7}));
    assertThat(opener.finish()).containsExactly(7);
  }

  @Test
  @DisplayName(
      "lengths in a non-minimal varint encoding are accepted (draft section 6: not authenticated)")
  void nonMinimalLengths_areAccepted() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, BOTH, RANDOM);
    ChunkedRequestEncapsulator client = ChunkedRequestEncapsulator.start(key.config(), RANDOM);
    byte[] c1 = client.sealChunk(new byte[] {1, 2, 3}); // 1-byte length 19
    byte[] c2 = client.sealFinal(new byte[] {4}); // 0x00 then sealed
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(client.header());
    wire.writeBytes(new byte[] {(byte) 0x40, (byte) (c1.length - 1)}); // 2-byte varint 19
    wire.write(c1, 1, c1.length - 1);
    wire.writeBytes(new byte[] {(byte) 0x80, 0, 0, 0}); // 4-byte varint 0
    wire.write(c2, 1, c2.length - 1);
    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    assertThat(gateway.feed(wire.toByteArray())).singleElement().isEqualTo(new byte[] {1, 2, 3});
    assertThat(gateway.finish()).containsExactly(4);
  }
}
