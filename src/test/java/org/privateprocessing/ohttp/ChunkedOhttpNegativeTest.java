package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bad input and misuse of the chunked roles: each refuses clearly and keeps refusing. */
class ChunkedOhttpNegativeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> BOTH =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);
  private static final OhttpKeyPair KEY =
      OhttpKeyPair.generate(3, HpkeIds.KEM_X25519_HKDF_SHA256, BOTH, RANDOM);

  /** A request of a header, three non-final chunks and a final one, kept as separate parts. */
  private static final class Exchange {
    final ChunkedRequestEncapsulator client;
    final byte[] header;
    final List<byte[]> chunks = new ArrayList<>();
    final byte[] last;

    Exchange() throws OhttpException {
      client = ChunkedRequestEncapsulator.start(KEY.config(), RANDOM);
      header = client.header();
      for (String s : new String[] {"one", "two", "three"}) {
        chunks.add(client.sealChunk(s.getBytes(StandardCharsets.US_ASCII)));
      }
      last = client.sealFinal("end".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static ChunkedRequestDecapsulator gateway() {
    return new ChunkedRequestDecapsulator(RequestDecapsulator.of(KEY));
  }

  private static OhttpException.Reason failure(ThrowingRunnable r) {
    try {
      r.run();
    } catch (OhttpException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError("unexpected " + e, e);
    }
    throw new AssertionError("no failure");
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  @DisplayName("a stream that ends without its final chunk is incomplete, never complete")
  void missingFinalChunk_isTruncated() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    assertThat(g.feed(concat(x.header, x.chunks.get(0), x.chunks.get(1), x.chunks.get(2))))
        .hasSize(3);
    assertThatThrownBy(g::finish)
        .isInstanceOf(OhttpException.class)
        .hasMessageContaining("without its final chunk")
        .extracting(e -> ((OhttpException) e).reason())
        .isEqualTo(OhttpException.Reason.TRUNCATED);
    assertThat(g.isComplete()).isFalse();
  }

  @Test
  @DisplayName("a stream cut in the middle of a chunk waits, then is incomplete at its end")
  void chunkCutInTheMiddle_waitsThenIsTruncated() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    byte[] c = x.chunks.get(0);
    assertThat(g.feed(concat(x.header, Arrays.copyOf(c, c.length / 2)))).isEmpty();
    assertThat(failure(g::finish)).isEqualTo(OhttpException.Reason.TRUNCATED);
  }

  @Test
  @DisplayName("streams that end inside the header or the response nonce are truncated")
  void endInsidePrefix_isTruncated() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    g.feed(Arrays.copyOf(x.header, 20));
    assertThat(failure(g::finish)).isEqualTo(OhttpException.Reason.TRUNCATED);

    ChunkedResponseOpener o = x.client.opener();
    o.feed(new byte[5]);
    assertThat(failure(o::finish)).isEqualTo(OhttpException.Reason.TRUNCATED);
  }

  @Test
  @DisplayName("chunks out of order fail authentication")
  void outOfOrder_failsAuthentication() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    assertThat(g.feed(concat(x.header, x.chunks.get(0)))).hasSize(1);
    assertThat(failure(() -> g.feed(x.chunks.get(2))))
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("a replayed chunk fails authentication")
  void replayedChunk_failsAuthentication() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    g.feed(concat(x.header, x.chunks.get(0)));
    assertThat(failure(() -> g.feed(x.chunks.get(0))))
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("a non-final chunk passed off as final (truncation attack) fails authentication")
  void nonFinalMarkedFinal_failsAuthentication() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    byte[] second = x.chunks.get(1);
    byte[] asFinal = concat(new byte[] {0}, Arrays.copyOfRange(second, 1, second.length));
    g.feed(concat(x.header, x.chunks.get(0), asFinal));
    assertThat(failure(g::finish)).isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
    assertThat(g.isComplete()).isFalse();
  }

  @Test
  @DisplayName("the final chunk passed off as non-final fails authentication")
  void finalMarkedNonFinal_failsAuthentication() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    byte[] sealed = Arrays.copyOfRange(x.last, 1, x.last.length);
    g.feed(concat(x.header, x.chunks.get(0), x.chunks.get(1), x.chunks.get(2)));
    assertThat(failure(() -> g.feed(concat(new byte[] {(byte) sealed.length}, sealed))))
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("a flipped bit in a chunk fails authentication, and the failure sticks")
  void tamperedChunk_failsAndStreamStaysFailed() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    byte[] bad = x.chunks.get(0).clone();
    bad[bad.length - 1] ^= 1;
    assertThat(failure(() -> g.feed(concat(x.header, bad))))
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
    assertThatThrownBy(() -> g.feed(x.chunks.get(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already failed");
    assertThatThrownBy(g::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("an empty non-final chunk is treated as a decryption error (draft section 6)")
  void emptyNonFinalChunk_isRefused() throws Exception {
    OhttpKeyPair key = KEY;
    byte[] hdr = RequestHeader.of(key.config(), SymmetricSuite.HKDF_SHA256_AES_128_GCM).encode();
    Hpke.Sender s =
        Hpke.setupBaseS(
            key.config().kemId(),
            HpkeIds.KDF_HKDF_SHA256,
            HpkeIds.AEAD_AES_128_GCM,
            key.config().publicKey(),
            Encapsulation.info(MediaTypes.BHTTP_CHUNKED_REQUEST_LABEL, hdr),
            RANDOM);
    byte[] emptySealed = s.context.seal(new byte[0], new byte[0]);
    ChunkedRequestDecapsulator g = gateway();
    assertThatThrownBy(() -> g.feed(concat(hdr, s.enc, ChunkFraming.frame(emptySealed, false))))
        .isInstanceOf(OhttpException.class)
        .hasMessageContaining("empty non-final");
  }

  @Test
  @DisplayName("a sealed chunk shorter than the AEAD tag fails authentication")
  void chunkShorterThanTag_isRefused() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    g.feed(concat(x.header, new byte[] {0}, new byte[5]));
    assertThat(failure(g::finish)).isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("an oversized chunk is refused when its length is announced, before its bytes")
  void oversizedChunk_isRefusedOnItsLength() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    // varint 2^20: 4-byte form 0x80 0x10 0x00 0x00, no chunk bytes follow
    byte[] announce = {(byte) 0x80, 0x10, 0, 0};
    OhttpException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            OhttpException.class, () -> g.feed(concat(x.header, announce)));
    assertThat(e.reason()).isEqualTo(OhttpException.Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("1048576").contains("limit");
  }

  @Test
  @DisplayName("a stream past the total limit is refused, even in small valid chunks")
  void totalLimit_isEnforced() throws Exception {
    ChunkLimits small = new ChunkLimits(ChunkLimits.MIN_CHUNK_LENGTH, 200);
    ChunkedRequestEncapsulator client = ChunkedRequestEncapsulator.start(KEY.config(), RANDOM);
    ChunkedRequestDecapsulator g =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(KEY), small);
    g.feed(client.header());
    OhttpException.Reason reason = null;
    try {
      for (int i = 0; i < 100; i++) {
        g.feed(client.sealChunk(new byte[10]));
      }
    } catch (OhttpException e) {
      reason = e.reason();
    }
    assertThat(reason).isEqualTo(OhttpException.Reason.TOO_LARGE);
  }

  @Test
  @DisplayName("a final chunk longer than the chunk limit is refused while it streams in")
  void oversizedFinalChunk_isRefused() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    g.feed(concat(x.header, new byte[] {0}));
    byte[] piece = new byte[8192];
    OhttpException.Reason reason = null;
    try {
      for (int i = 0; i < 20; i++) {
        g.feed(piece);
      }
    } catch (OhttpException e) {
      reason = e.reason();
    }
    assertThat(reason).isEqualTo(OhttpException.Reason.TOO_LARGE);
  }

  @Test
  @DisplayName("unknown key id, and a header that does not match the key, are refused")
  void badHeader_isRefused() throws Exception {
    Exchange x = new Exchange();
    byte[] unknown = x.header.clone();
    unknown[0] = 99;
    assertThat(failure(() -> gateway().feed(unknown)))
        .isEqualTo(OhttpException.Reason.UNKNOWN_KEY_ID);
    byte[] otherKem = x.header.clone();
    otherKem[2] = 0x21;
    assertThat(failure(() -> gateway().feed(otherKem)))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_KEM);
    byte[] otherAead = x.header.clone();
    otherAead[6] = 0x02;
    assertThat(failure(() -> gateway().feed(otherAead)))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);
  }

  @Test
  @DisplayName("a non-chunked request does not open as a chunked one (distinct HPKE labels)")
  void nonChunkedRequest_doesNotOpenAsChunked() throws Exception {
    byte[] plain =
        RequestEncapsulator.encapsulate(KEY.config(), "hello".getBytes(), RANDOM).bytes();
    // reframe hdr || enc || ct as a chunked request whose final chunk is ct
    byte[] reframed =
        concat(
            Arrays.copyOf(plain, 39), new byte[] {0}, Arrays.copyOfRange(plain, 39, plain.length));
    ChunkedRequestDecapsulator g = gateway();
    g.feed(reframed);
    assertThat(failure(g::finish)).isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("one request's chunked response does not open with another request's opener")
  void responseForAnotherRequest_failsAuthentication() throws Exception {
    Exchange a = new Exchange();
    Exchange b = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    g.feed(concat(a.header, a.chunks.get(0)));
    ChunkedResponseSealer sealer = g.sealer();
    ChunkedResponseOpener wrong = b.client.opener();
    wrong.feed(sealer.begin(RANDOM));
    assertThat(failure(() -> wrong.feed(sealer.sealChunk(new byte[] {1}))))
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("response chunks out of order, replayed, or without the final one are refused")
  void responseFaults_areRefused() throws Exception {
    for (String fault : List.of("reordered", "replayed", "unfinished")) {
      Exchange x = new Exchange();
      ChunkedRequestDecapsulator g = gateway();
      g.feed(x.header);
      ChunkedResponseSealer sealer = g.sealer();
      ChunkedResponseOpener o = x.client.opener();
      o.feed(sealer.begin(RANDOM));
      byte[] r0 = sealer.sealChunk(new byte[] {0});
      byte[] r1 = sealer.sealChunk(new byte[] {1});
      switch (fault) {
        case "reordered" ->
            assertThat(failure(() -> o.feed(concat(r1, r0))))
                .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
        case "replayed" -> {
          assertThat(o.feed(r0)).hasSize(1);
          assertThat(failure(() -> o.feed(r0))).isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
        }
        default -> {
          assertThat(o.feed(concat(r0, r1))).hasSize(2);
          assertThat(failure(o::finish)).as(fault).isEqualTo(OhttpException.Reason.TRUNCATED);
        }
      }
      assertThat(o.isComplete()).as(fault).isFalse();
      assertThatThrownBy(() -> o.feed(new byte[1])).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  @DisplayName("nothing may follow a complete stream")
  void bytesAfterComplete_areRefused() throws Exception {
    Exchange x = new Exchange();
    ChunkedRequestDecapsulator g = gateway();
    g.feed(concat(x.header, x.chunks.get(0), x.chunks.get(1), x.chunks.get(2), x.last));
    g.finish();
    assertThatThrownBy(() -> g.feed(new byte[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("complete");
  }

  @Test
  @DisplayName("senders refuse misuse: empty or oversized chunks, chunks after the final one")
  void senderMisuse_isRefused() throws Exception {
    ChunkedRequestEncapsulator client = ChunkedRequestEncapsulator.start(KEY.config(), RANDOM);
    assertThatThrownBy(() -> client.sealChunk(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> client.sealChunk(new byte[ChunkLimits.MAX_SEND_PLAINTEXT + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("split it");
    client.sealFinal(new byte[0]);
    assertThatThrownBy(() -> client.sealFinal(new byte[0]))
        .isInstanceOf(IllegalStateException.class);
    ChunkLimits tight = new ChunkLimits(ChunkLimits.MIN_CHUNK_LENGTH, 10);
    ChunkedResponseOpener custom = client.opener(tight);
    assertThat(client.opener(tight)).isSameAs(custom);
    assertThatThrownBy(client::opener).isInstanceOf(IllegalStateException.class);

    ChunkedRequestDecapsulator g = gateway();
    assertThatThrownBy(g::sealer).isInstanceOf(IllegalStateException.class);
    g.feed(ChunkedRequestEncapsulator.start(KEY.config(), RANDOM).header());
    ChunkedResponseSealer sealer = g.sealer();
    assertThatThrownBy(() -> sealer.sealChunk(new byte[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("begin");
    assertThatThrownBy(() -> sealer.begin(new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
    sealer.begin(RANDOM);
    assertThatThrownBy(() -> sealer.begin(RANDOM)).isInstanceOf(IllegalStateException.class);
    sealer.sealFinal(new byte[] {1});
    assertThatThrownBy(() -> sealer.sealChunk(new byte[1]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("limits below what the draft requires receivers to accept are refused")
  void limitsBelowTheDraftsMinimum_areRefused() {
    assertThatThrownBy(() -> new ChunkLimits(1000, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16400");
    assertThatThrownBy(() -> new ChunkLimits(ChunkLimits.MIN_CHUNK_LENGTH, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
