package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.privateprocessing.ohttp.Vectors;

class SignedNoteTest {
  private static final JsonNode V = Vectors.load("merkle/c2sp-signed-note-checkpoint.json");
  private static final SecureRandom RANDOM = new SecureRandom();

  private static void assertReason(ThrowingCall c, TlogException.Reason reason) {
    assertThatThrownBy(c::run)
        .isInstanceOfSatisfying(TlogException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void theC2spExampleVerifierKeyParsesWithItsKeyId() throws Exception {
    JsonNode ex = V.get("signed_note_example");
    NoteVerifier v = NoteVerifier.parse(ex.get("vkey").asText());
    assertThat(v.name()).isEqualTo("example.com/foo");
    assertThat(Vectors.hex(v.keyId())).isEqualTo(ex.get("expected").get("key_id_hex").asText());
    assertThat(v.encode()).isEqualTo(ex.get("vkey").asText());
  }

  @Test
  void theC2spExampleNoteVerifiesAndReencodesByteForByte() throws Exception {
    JsonNode ex = V.get("signed_note_example");
    String text = ex.get("note").asText();
    SignedNote note = SignedNote.parse(text);
    assertThat(note.text()).isEqualTo(ex.get("expected").get("signed_text").asText());
    assertThat(note.signatures()).hasSize(1);
    assertThat(note.signatures().get(0).keyName()).isEqualTo("example.com/foo");
    assertThat(note.encode()).isEqualTo(text);
    assertThat(note.verify(List.of(NoteVerifier.parse(ex.get("vkey").asText()))))
        .containsExactly("example.com/foo");
  }

  @Test
  void aNoteWhoseTextHasBlankLinesSplitsAtTheLastBlankLine() throws Exception {
    JsonNode ex = V.get("signed_note_intro_example_no_vkey");
    SignedNote note = SignedNote.parse(ex.get("note").asText());
    assertThat(note.text()).endsWith("ed \u00e8 subito sera.\n").contains("\n\n");
    assertThat(note.signatures().get(0).keyName())
        .isEqualTo(ex.get("expected").get("key_name").asText());
    assertThat(note.encode()).isEqualTo(ex.get("note").asText());
  }

  @Test
  void theC2spCheckpointExampleParsesIntoOriginSizeAndRoot() throws Exception {
    JsonNode ex = V.get("checkpoint_example_no_vkey");
    SignedNote note = SignedNote.parse(ex.get("note").asText());
    Checkpoint cp = Checkpoint.parse(note.text());
    assertThat(cp.origin()).isEqualTo(ex.get("expected").get("origin").asText());
    assertThat(cp.size()).isEqualTo(ex.get("expected").get("tree_size").asLong());
    assertThat(cp.rootHash()).isEqualTo(Vectors.hex(ex.get("expected").get("root_hash_hex")));
    assertThat(cp.extensions()).isEmpty();
    assertThat(cp.encode()).isEqualTo(note.text());
  }

  @Test
  void aNoteSignedHereVerifiesWithItsVerifierKeyAndAnotherKeyIsUnknown() throws Exception {
    NoteSigner signer = NoteSigner.generate("log.example/pp", RANDOM);
    NoteSigner other = NoteSigner.generate("other.example", RANDOM);
    String text = new Checkpoint("log.example/pp", 3, new byte[32]).encode();
    SignedNote note = new SignedNote(text, List.of()).withSignature(signer.sign(text));
    SignedNote reparsed = SignedNote.parse(note.encode());
    assertThat(reparsed).isEqualTo(note);
    NoteVerifier v = NoteVerifier.parse(signer.verifierKey());
    assertThat(reparsed.verify(List.of(v, other.verifier()))).containsExactly("log.example/pp");
    assertThatThrownBy(() -> reparsed.verify(List.of(other.verifier())))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(TlogException.Reason.UNKNOWN_KEY);
              assertThat(e.getMessage()).contains("log.example/pp");
            });
  }

  @Test
  void aSigningKeyStringRoundTripsAndSignsTheSame() throws Exception {
    NoteSigner signer = NoteSigner.generate("log.example/pp", RANDOM);
    NoteSigner again = NoteSigner.parse(signer.encodeSkey());
    assertThat(again.verifierKey()).isEqualTo(signer.verifierKey());
    assertThat(again.keyId()).isEqualTo(signer.keyId());
    // Ed25519 is deterministic: the same key signs the same text identically.
    assertThat(again.sign("x\n").signature()).isEqualTo(signer.sign("x\n").signature());
    assertThat(signer.toString()).doesNotContain(signer.encodeSkey().substring(12));
  }

  @Test
  void aTamperedTextOrSignatureFromATrustedKeyIsABadSignature() throws Exception {
    NoteSigner signer = NoteSigner.generate("log.example", RANDOM);
    String text = "hello\n";
    SignedNote good = new SignedNote(text, List.of(signer.sign(text)));
    SignedNote tampered = SignedNote.parse(good.encode().replace("hello", "hellO"));
    assertReason(
        () -> tampered.verify(List.of(signer.verifier())), TlogException.Reason.BAD_SIGNATURE);
    byte[] sig = good.signatures().get(0).signature();
    sig[0] ^= 1;
    SignedNote forged =
        new SignedNote(text, List.of(new NoteSignature("log.example", signer.keyId(), sig)));
    assertReason(
        () -> forged.verify(List.of(signer.verifier())), TlogException.Reason.BAD_SIGNATURE);
  }

  @Test
  void malformedNotesAreRejectedAsMalformed() {
    String sigLine =
        "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    TlogException.Reason m = TlogException.Reason.MALFORMED;
    assertReason(() -> SignedNote.parse("This is an example message.\n" + sigLine), m);
    assertReason(() -> SignedNote.parse("This is an example message.\n\n"), m);
    assertReason(() -> SignedNote.parse("text\n\n" + sigLine.replace("\u2014", "-")), m);
    assertReason(() -> SignedNote.parse("text\n\n" + sigLine.replace("\u2014", "\u2013")), m);
    assertReason(() -> SignedNote.parse("text\n\n" + sigLine.replace("Uw2Q", "Uw*Q")), m);
    assertReason(() -> SignedNote.parse("text\n\n" + sigLine.replace("aQM=", "aQM")), m);
    assertReason(
        () -> SignedNote.parse("text\n\n" + sigLine.substring(0, sigLine.length() - 1)), m);
    assertReason(() -> SignedNote.parse("text\n\n" + sigLine + "\n"), m);
    assertReason(() -> SignedNote.parse("text\n\n\u2014 a+b AAAAAAA=\n"), m);
    assertReason(() -> SignedNote.parse("text\n\n\u2014 name AAAA\n"), m);
    assertReason(() -> SignedNote.parse("te\u0007xt\n\n" + sigLine), m);
    assertReason(() -> SignedNote.parse("te\rxt\n\n" + sigLine), m);
    assertReason(() -> SignedNote.parse(null), m);
  }

  @Test
  void tooManySignaturesOrTooLargeANoteIsRefused() {
    String line = "\u2014 w " + Base64.getEncoder().encodeToString(new byte[68]) + "\n";
    assertReason(
        () -> SignedNote.parse("t\n\n" + line.repeat(101)), TlogException.Reason.TOO_LARGE);
    assertReason(
        () -> SignedNote.parse("a".repeat(SignedNote.MAX_NOTE_BYTES) + "\n\n" + line),
        TlogException.Reason.TOO_LARGE);
  }

  @Test
  void verifierKeysWithAWrongKeyIdTypeOrFormAreMalformed() throws Exception {
    String vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    TlogException.Reason m = TlogException.Reason.MALFORMED;
    assertReason(() -> NoteVerifier.parse(vkey.replace("530d903a", "530d903b")), m);
    assertReason(() -> NoteVerifier.parse(vkey.replace("530d903a", "530D903A")), m);
    assertReason(() -> NoteVerifier.parse(vkey.replace("+AekyeR", "+BekyeR")), m);
    assertReason(() -> NoteVerifier.parse("example.com/foo+530d903a"), m);
    assertReason(
        () -> NoteVerifier.parse("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"), m);
    assertReason(() -> NoteVerifier.parse(vkey.substring(0, vkey.length() - 4)), m);
    assertReason(() -> NoteSigner.parse(vkey), m);
    NoteSigner s = NoteSigner.generate("n", RANDOM);
    String skey = s.encodeSkey();
    String wrongId =
        skey.substring(0, "PRIVATE+KEY+n+".length())
            + "00000000"
            + skey.substring("PRIVATE+KEY+n+".length() + 8);
    assertReason(() -> NoteSigner.parse(wrongId), m);
    assertReason(
        () -> NoteVerifier.parse(CosignatureSigner.generate("n", RANDOM).verifierKey()), m);
  }
}
