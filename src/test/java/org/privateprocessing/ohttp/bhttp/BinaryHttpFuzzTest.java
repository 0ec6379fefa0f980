package org.privateprocessing.ohttp.bhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for Binary HTTP (RFC 9292), which the gateway and the enclave read from decrypted
 * but untrusted requests, and the client from responses. Each parser either returns or throws
 * {@link BinaryHttpException}; what it returns re-encodes to a message that parses to the same
 * value (docs/THREAT-MODEL.md, "Fuzzing"; seeds from the RFC 9292 and RFC 9458 vectors).
 */
class BinaryHttpFuzzTest {
  @FuzzTest
  void request(byte[] input) throws BinaryHttpException {
    BinaryHttpRequest parsed;
    try {
      parsed = BinaryHttpRequest.parse(input);
    } catch (BinaryHttpException refused) {
      return;
    }
    byte[] encoded = parsed.encode();
    BinaryHttpRequest again = BinaryHttpRequest.parse(encoded);
    assertThat(again).isEqualTo(parsed);
    assertThat(again.encode()).isEqualTo(encoded);
  }

  @FuzzTest
  void response(byte[] input) throws BinaryHttpException {
    BinaryHttpResponse parsed;
    try {
      parsed = BinaryHttpResponse.parse(input);
    } catch (BinaryHttpException refused) {
      return;
    }
    byte[] encoded = parsed.encode();
    BinaryHttpResponse again = BinaryHttpResponse.parse(encoded);
    assertThat(again).isEqualTo(parsed);
    assertThat(again.encode()).isEqualTo(encoded);
  }
}
