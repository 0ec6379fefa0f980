package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import org.privateprocessing.FuzzSeeds;

/**
 * Fuzz targets for Oblivious HTTP (RFC 9458): key configurations (which clients read from the
 * relay), request headers and whole encapsulated requests (which the gateway and the enclave read
 * from anyone) and encapsulated responses (which the client reads). Each either returns or throws
 * {@link OhttpException}; what parses re-encodes byte for byte.
 */
class OhttpFuzzTest {
  /** The gateway side: RFC 9458's X25519 key (id 1) and an X-Wing key (id 2). */
  private static final RequestDecapsulator GATEWAY =
      RequestDecapsulator.of(FuzzSeeds.rfc9458Key(), FuzzSeeds.xWingKey());

  private static final KeyConfig RFC_CONFIG = FuzzSeeds.rfc9458Key().config();

  private static final byte[] CLIENT_EPHEMERAL =
      org.privateprocessing.ohttp.Vectors.hex(FuzzSeeds.OHTTP.get("client_ephemeral_secret_key"));

  private static final byte[] REQUEST =
      org.privateprocessing.ohttp.Vectors.hex(FuzzSeeds.OHTTP.get("request_bhttp"));

  @FuzzTest
  void keyConfig(byte[] input) {
    KeyConfig parsed;
    try {
      parsed = KeyConfig.parse(input);
    } catch (OhttpException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(input);
  }

  @FuzzTest
  void keyConfigs(byte[] input) throws OhttpException {
    List<KeyConfig> parsed;
    try {
      parsed = KeyConfigs.parse(input);
    } catch (OhttpException refused) {
      return;
    }
    if (!parsed.isEmpty()) {
      assertThat(KeyConfigs.parse(KeyConfigs.encode(parsed))).isEqualTo(parsed);
    }
  }

  @FuzzTest
  void requestHeader(byte[] input) {
    RequestHeader parsed;
    try {
      parsed = RequestHeader.parse(input);
    } catch (OhttpException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(input);
    try {
      parsed.requireMatches(RFC_CONFIG);
    } catch (OhttpException refused) {
      // Another key or suite: refused with its reason, which is all this checks.
    }
  }

  @FuzzTest
  void decapsulate(byte[] input) {
    DecapsulatedRequest request;
    try {
      request = GATEWAY.decapsulate(input);
    } catch (OhttpException refused) {
      return;
    }
    // Only a genuine request authenticates: its header is the input's, and its sealer answers once.
    assertThat(request.keyConfig().keyId()).isEqualTo(input[0] & 0xFF);
    assertThat(request.sealer().seal(new byte[0], new byte[request.sealer().responseNonceLength()]))
        .isNotEmpty();
  }

  @FuzzTest
  void openResponse(byte[] input) throws OhttpException {
    ResponseOpener opener =
        RequestEncapsulator.encapsulateWithEphemeralKey(
                RFC_CONFIG, SymmetricSuite.HKDF_SHA256_AES_128_GCM, REQUEST, CLIENT_EPHEMERAL)
            .opener();
    byte[] opened;
    try {
      opened = opener.open(input);
    } catch (OhttpException refused) {
      assertThat(opener.isUsed()).isTrue();
      return;
    }
    // Only the gateway's real answer authenticates.
    assertThat(Arrays.equals(input, Vectors.hex(FuzzSeeds.OHTTP.get("encapsulated_response"))))
        .isTrue();
    assertThat(opened).isEqualTo(Vectors.hex(FuzzSeeds.OHTTP.get("response_bhttp")));
  }
}
