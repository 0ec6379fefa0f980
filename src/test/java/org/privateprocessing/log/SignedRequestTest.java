package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.privateprocessing.tlog.PublisherKeys;

class SignedRequestTest {
  static final PublisherKeys.Signer PUBLISHER =
      PublisherKeys.Signer.generate("pub", LogServiceTest.RANDOM);

  static Map<String, PublisherKeys.Verifier> publishers() throws Exception {
    return Map.of("pub", PublisherKeys.Verifier.parse(PUBLISHER.verifierKey()));
  }

  @Test
  void encodeAndParse_roundTripWithAndWithoutTheBody() {
    byte[] entry = LogServiceTest.release(1).encode();
    SignedRequest canonical = SignedRequest.of("pub", PUBLISHER.sign(entry), entry, entry);
    assertThat(canonical.body()).isNull();
    String text = new String(canonical.encode(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("publisher-signature/v1\nkeyName pub\nsignature ").endsWith("\n");
    assertThat(text.split("\n")).hasSize(3);
    SignedRequest back = SignedRequest.parse(canonical.encode());
    assertThat(back.keyName()).isEqualTo("pub");
    assertThat(back.signature()).isEqualTo(canonical.signature());
    assertThat(back.body()).isNull();

    byte[] spaced = (" " + new String(entry, StandardCharsets.UTF_8)).getBytes();
    SignedRequest kept = SignedRequest.of("pub", PUBLISHER.sign(spaced), spaced, entry);
    assertThat(SignedRequest.parse(kept.encode()).body()).isEqualTo(spaced);
  }

  @Test
  void parse_refusesAnythingButTheExactFormat() {
    String sig = "signature AAAA\n";
    for (String bad :
        new String[] {
          "",
          "publisher-signature/v1\n",
          "publisher-signature/v2\nkeyName pub\n" + sig,
          "publisher-signature/v1\nkeyName pub\n" + sig.trim(),
          "publisher-signature/v1\nkeyName \n" + sig,
          "publisher-signature/v1\nkeyName a b\n" + sig,
          "publisher-signature/v1\nkeyname pub\n" + sig,
          "publisher-signature/v1\nkeyName pub\nsignature AAA=\n",
          "publisher-signature/v1\nkeyName pub\nsignature A+/A\n",
          "publisher-signature/v1\nkeyName pub\nsignature \n",
          "publisher-signature/v1\nkeyName pub\n" + sig + "body AAAA\nmore x\n",
          "publisher-signature/v1\nkeyName pub\n" + sig + "bod AAAA\n",
          "publisher-signature/v1\nkeyName pub\n" + sig + "\n",
        }) {
      assertThatThrownBy(() -> SignedRequest.parse(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    byte[] notUtf8 = "publisher-signature/v1\nkeyName p\u00e9\n".getBytes(StandardCharsets.UTF_8);
    notUtf8[notUtf8.length - 2] = (byte) 0xff;
    assertThatThrownBy(() -> SignedRequest.parse(notUtf8))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void problem_namesWhyARequestDoesNotAuthorizeTheStoredEntry() throws Exception {
    byte[] entry = LogServiceTest.release(1).encode();
    byte[] other = LogServiceTest.release(2).encode();
    assertThat(
            SignedRequest.of("pub", PUBLISHER.sign(entry), entry, entry)
                .problem(publishers(), entry))
        .isEmpty();
    byte[] spaced = (" " + new String(entry, StandardCharsets.UTF_8)).getBytes();
    assertThat(
            SignedRequest.of("pub", PUBLISHER.sign(spaced), spaced, entry)
                .problem(publishers(), entry))
        .isEmpty();
    assertThat(
            SignedRequest.of("other", PUBLISHER.sign(entry), entry, entry)
                .problem(publishers(), entry))
        .hasValueSatisfying(p -> assertThat(p).contains("'other'", "does not list"));
    assertThat(
            SignedRequest.of("pub", PUBLISHER.sign(other), entry, entry)
                .problem(publishers(), entry))
        .hasValueSatisfying(p -> assertThat(p).contains("does not verify"));
    assertThat(new SignedRequest("pub", PUBLISHER.sign(other), other).problem(publishers(), entry))
        .hasValueSatisfying(p -> assertThat(p).contains("another entry"));
    byte[] junk = "{\"type\":\"nope\"}".getBytes();
    assertThat(new SignedRequest("pub", PUBLISHER.sign(junk), junk).problem(publishers(), entry))
        .hasValueSatisfying(p -> assertThat(p).contains("not a log entry"));
  }
}
