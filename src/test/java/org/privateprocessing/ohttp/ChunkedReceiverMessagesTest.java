package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The chunked request decapsulator and response opener share the life of a received stream; each
 * keeps its own words. These are the exact messages of the refusals the shared code builds.
 */
class ChunkedReceiverMessagesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SymmetricSuite SUITE = SymmetricSuite.HKDF_SHA256_AES_128_GCM;

  @Test
  @DisplayName("a request: ended in its header, then refused; completed, then closed")
  void request_messages() throws Exception {
    OhttpKeyPair key =
        OhttpKeyPair.generate(3, HpkeIds.KEM_X25519_HKDF_SHA256, List.of(SUITE), RANDOM);
    ChunkedRequestDecapsulator cut = new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    cut.feed(new byte[] {3});
    assertThatThrownBy(cut::finish)
        .isInstanceOf(OhttpException.class)
        .hasMessage("TRUNCATED: chunked request ended inside its header or encapsulated key");
    assertThatThrownBy(() -> cut.feed(new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the request stream already failed");

    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.start(key.config(), SUITE, RANDOM);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(client.header());
    wire.writeBytes(client.sealChunk(new byte[] {1}));
    ChunkedRequestDecapsulator open = new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    open.feed(wire.toByteArray());
    assertThatThrownBy(open::finish)
        .isInstanceOf(OhttpException.class)
        .hasMessage(
            "TRUNCATED: chunked request ended without its final chunk: the request is incomplete");

    wire.writeBytes(client.sealFinal(new byte[0]));
    ChunkedRequestDecapsulator whole = new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    whole.feed(wire.toByteArray());
    whole.finish();
    assertThatThrownBy(() -> whole.feed(new byte[] {0}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the request is complete; no bytes may follow its final chunk");

    ChunkedResponseOpener opener = client.opener();
    assertThatThrownBy(opener::finish)
        .isInstanceOf(OhttpException.class)
        .hasMessage("TRUNCATED: chunked response ended inside its nonce");
    assertThatThrownBy(opener::finish)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the response stream already failed");
  }

  @Test
  @DisplayName("a response: completed, then closed to further bytes")
  void response_messages() throws Exception {
    OhttpKeyPair key =
        OhttpKeyPair.generate(4, HpkeIds.KEM_X25519_HKDF_SHA256, List.of(SUITE), RANDOM);
    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.start(key.config(), SUITE, RANDOM);
    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    gateway.feed(client.header());
    ChunkedResponseSealer sealer = gateway.sealer();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(sealer.begin(RANDOM));
    wire.writeBytes(sealer.sealFinal(new byte[] {7}));
    ChunkedResponseOpener opener = client.opener();
    opener.feed(wire.toByteArray());
    opener.finish();
    assertThatThrownBy(() -> opener.feed(new byte[] {0}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the response is complete; no bytes may follow its final chunk");
  }
}
