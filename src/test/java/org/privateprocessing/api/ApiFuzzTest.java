package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for the enclave API's JSON: the requests the enclave parses after decryption (any
 * client can send any bytes), and the responses and problems a client parses. Each parser either
 * returns or throws {@link InvalidRequestException}; what parses encodes to JSON that parses to the
 * same record.
 */
class ApiFuzzTest {
  @FuzzTest
  void summarizeRequest(byte[] input) throws InvalidRequestException {
    SummarizeRequest parsed;
    try {
      parsed = SummarizeRequest.parse(input);
    } catch (InvalidRequestException refused) {
      return;
    }
    assertThat(SummarizeRequest.parse(parsed.encode())).isEqualTo(parsed);
  }

  @FuzzTest
  void suggestRequest(byte[] input) throws InvalidRequestException {
    SuggestRequest parsed;
    try {
      parsed = SuggestRequest.parse(input);
    } catch (InvalidRequestException refused) {
      return;
    }
    assertThat(SuggestRequest.parse(parsed.encode())).isEqualTo(parsed);
  }

  @FuzzTest
  void summarizeResponse(byte[] input) throws InvalidRequestException {
    SummarizeResponse parsed;
    try {
      parsed = SummarizeResponse.parse(input);
    } catch (InvalidRequestException refused) {
      return;
    }
    assertThat(SummarizeResponse.parse(parsed.encode())).isEqualTo(parsed);
  }

  @FuzzTest
  void suggestResponse(byte[] input) throws InvalidRequestException {
    SuggestResponse parsed;
    try {
      parsed = SuggestResponse.parse(input);
    } catch (InvalidRequestException refused) {
      return;
    }
    assertThat(SuggestResponse.parse(parsed.encode())).isEqualTo(parsed);
  }

  @FuzzTest
  void problem(byte[] input) throws InvalidRequestException {
    Problem parsed;
    try {
      parsed = Problem.parse(input);
    } catch (InvalidRequestException refused) {
      return;
    }
    assertThat(Problem.parse(parsed.encode())).isEqualTo(parsed);
  }
}
