package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.RequestEncapsulator;

class EnclaveHandshakeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final EnclaveIdentity identity = EnclaveIdentity.generate("abcd01", null, RANDOM);
  private final EnclaveHandshake handshake = new EnclaveHandshake(identity);

  @Test
  @DisplayName("a request sealed to a live key of this enclave passes, for each offered KEM")
  void requestToLiveKeyPasses() throws Exception {
    for (KeyConfig config : identity.keyConfigs()) {
      byte[] sealed = RequestEncapsulator.encapsulate(config, new byte[] {1}, RANDOM).bytes();
      assertThatCode(() -> handshake.checkAddressedToLiveKey(sealed)).doesNotThrowAnyException();
    }
  }

  @Test
  @DisplayName("a request sealed to another enclave's key is refused before any decryption")
  void requestToAnotherEnclaveIsRefused() throws Exception {
    EnclaveIdentity other = EnclaveIdentity.generate("abcd02", null, RANDOM);
    byte[] sealed =
        RequestEncapsulator.encapsulate(other.keyConfigs().get(0), new byte[] {1}, RANDOM).bytes();
    // Same key id, different key: the handshake cannot tell from the header, decapsulation will.
    assertThatCode(() -> handshake.checkAddressedToLiveKey(sealed)).doesNotThrowAnyException();
    sealed[0] = 7;
    assertThatThrownBy(() -> handshake.checkAddressedToLiveKey(sealed))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("key id 7");
  }

  @Test
  @DisplayName("a header with a KEM or suite the key does not offer is refused")
  void mismatchedSuiteIsRefused() throws Exception {
    KeyConfig x25519 =
        identity.keyConfigs().stream()
            .filter(c -> c.kemId() == HpkeIds.KEM_X25519_HKDF_SHA256)
            .findFirst()
            .orElseThrow();
    byte[] sealed = RequestEncapsulator.encapsulate(x25519, new byte[] {1}, RANDOM).bytes();
    byte[] wrongKem = sealed.clone();
    wrongKem[1] = 0x64;
    wrongKem[2] = 0x7a;
    assertThatThrownBy(() -> handshake.checkAddressedToLiveKey(wrongKem))
        .isInstanceOf(PipelineException.class);
    byte[] wrongAead = sealed.clone();
    wrongAead[6] = 0x02;
    assertThatThrownBy(() -> handshake.checkAddressedToLiveKey(wrongAead))
        .isInstanceOf(PipelineException.class);
    assertThatThrownBy(() -> handshake.checkAddressedToLiveKey(new byte[] {0, 0, 0x20}))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("shorter");
  }

  @Test
  @DisplayName("the description lists id and key configs, the post-quantum one first")
  void descriptionListsKeys() throws Exception {
    JsonObject description = handshake.describe();
    assertThat(description.getString("id")).isEqualTo("abcd01");
    KeyConfig first =
        KeyConfig.parse(Base64.getUrlDecoder().decode(description.getString("keyConfig")));
    assertThat(first.kemId()).isEqualTo(HpkeIds.KEM_X_WING);
    assertThat(KeyConfigs.parse(Base64.getUrlDecoder().decode(description.getString("keyConfigs"))))
        .isEqualTo(identity.keyConfigs());
    assertThat(description.encode()).doesNotContain("=");
  }

  @Test
  @DisplayName("enclave ids that are not hex are refused at start")
  void badEnclaveIdIsRefused() {
    assertThatThrownBy(() -> EnclaveIdentity.generate("../x", null, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
