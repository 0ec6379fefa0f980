package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one Ed25519 key implementation behind note signers, cosigners and publisher keys. */
class NoteKeysTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BODY =
      "log.example/pp\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

  private final byte[] seed = new byte[32];

  NoteKeysTest() {
    RANDOM.nextBytes(seed);
  }

  /** The signing key string of {@code seed} as a key of {@code type}, built by hand. */
  private static String skey(String name, byte type, byte[] seed) {
    byte[] pub = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    return NoteKeys.PRIVATE_PREFIX
        + NoteKeys.encode(name, NoteKeys.keyId(name, type, pub), type, seed);
  }

  private static byte[] publicKey(String vkey) {
    // name+keyid+base64: the base64 itself may hold '+', so split at the first two only.
    byte[] raw = Base64.getDecoder().decode(vkey.split("\\+", 3)[2]);
    return Arrays.copyOfRange(raw, 1, raw.length);
  }

  @Test
  @DisplayName(
      "one seed read as either type: same public key, another key id, and each class"
          + " takes only its own type, naming it")
  void oneSeedAsEitherType_differsOnlyInTheTypeByteAndKeyId() throws Exception {
    String noteSkey = skey("k", NoteKeys.TYPE_ED25519, seed);
    String cosignerSkey = skey("k", NoteKeys.TYPE_COSIGNATURE_V1, seed);
    NoteSigner note = NoteSigner.parse(noteSkey);
    CosignatureSigner cosigner = CosignatureSigner.parse(cosignerSkey);

    assertThat(note.encodeSkey()).isEqualTo(noteSkey);
    assertThat(cosigner.encodeSkey()).isEqualTo(cosignerSkey);
    assertThat(publicKey(note.verifierKey())).isEqualTo(publicKey(cosigner.verifierKey()));
    assertThat(note.keyId()).isNotEqualTo(cosigner.keyId());

    assertThatThrownBy(() -> NoteSigner.parse(cosignerSkey))
        .hasMessage("MALFORMED: signing key type is not Ed25519 (0x01)");
    assertThatThrownBy(() -> CosignatureSigner.parse(noteSkey))
        .hasMessage("MALFORMED: cosigner key type is not cosignature/v1 (0x04)");
    assertThatThrownBy(() -> NoteVerifier.parse(cosigner.verifierKey()))
        .hasMessage("MALFORMED: verifier key type is not Ed25519 (0x01)");
    assertThatThrownBy(() -> CosignatureVerifier.parse(note.verifierKey()))
        .hasMessage("MALFORMED: cosigner verifier key type is not cosignature/v1 (0x04)");
    assertThatThrownBy(() -> CosignatureSigner.parse(null))
        .hasMessage("MALFORMED: cosigner key must start with PRIVATE+KEY+");
    assertThatThrownBy(() -> PublisherKeys.Verifier.parse(cosigner.verifierKey()))
        .isInstanceOf(TlogException.class);
  }

  @Test
  @DisplayName(
      "the signers differ only in the message: the note text, or the timestamped"
          + " cosignature/v1 message (Ed25519 is deterministic, so the bytes must match)")
  void signersDifferOnlyInTheSignedMessage() throws Exception {
    NoteKeys.SigningKey raw =
        NoteKeys.SigningKey.parse(NoteKeys.Type.ED25519, skey("k", NoteKeys.TYPE_ED25519, seed));
    NoteSigner note = NoteSigner.parse(skey("k", NoteKeys.TYPE_ED25519, seed));
    CosignatureSigner cosigner =
        CosignatureSigner.parse(skey("k", NoteKeys.TYPE_COSIGNATURE_V1, seed));
    Instant t = Instant.ofEpochSecond(1_700_000_000L);

    assertThat(note.sign(BODY).signature())
        .isEqualTo(raw.sign(BODY.getBytes(StandardCharsets.UTF_8)));
    byte[] cosignature = cosigner.cosign(BODY, t).signature();
    assertThat(Arrays.copyOfRange(cosignature, 8, cosignature.length))
        .isEqualTo(raw.sign(CosignatureVerifier.message(BODY, t.getEpochSecond())));
    assertThat(PublisherKeys.Signer.parse(note.encodeSkey()).sign(new byte[] {1, 2}))
        .isEqualTo(raw.sign(new byte[] {1, 2}));

    assertThat(note.verifier().verify(BODY, note.sign(BODY).signature())).isTrue();
    assertThat(cosigner.verifier().verify(BODY, cosignature)).hasValue(t);
    assertThat(note.verifier().matches(note.sign(BODY))).isTrue();
    assertThat(note.verifier().matches(cosigner.cosign(BODY, t))).isFalse();
  }

  @Test
  @DisplayName("toString names the key and never shows it")
  void toStringNamesTheKeyOnly() throws Exception {
    NoteSigner note = NoteSigner.parse(skey("k", NoteKeys.TYPE_ED25519, seed));
    CosignatureSigner cosigner =
        CosignatureSigner.parse(skey("k", NoteKeys.TYPE_COSIGNATURE_V1, seed));
    String seedB64 = Base64.getEncoder().encodeToString(seed).substring(0, 16);
    assertThat(note.toString())
        .isEqualTo("NoteSigner[k+" + Hashes.hex(note.keyId()) + "]")
        .doesNotContain(seedB64);
    assertThat(cosigner.toString())
        .isEqualTo("CosignatureSigner[k+" + Hashes.hex(cosigner.keyId()) + "]");
    assertThat(note.verifier().toString())
        .isEqualTo("NoteVerifier[k+" + Hashes.hex(note.keyId()) + "]");
    assertThat(cosigner.verifier().toString())
        .isEqualTo("CosignatureVerifier[k+" + Hashes.hex(cosigner.keyId()) + "]");
  }
}
