package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CosignatureTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T = Instant.ofEpochSecond(1_679_315_147L);
  private final NoteSigner log = NoteSigner.generate("log.example/pp", RANDOM);
  private final CosignatureSigner w1 = CosignatureSigner.generate("witness.example/w1", RANDOM);
  private final CosignatureSigner w2 = CosignatureSigner.generate("witness.example/w2", RANDOM);
  private final CosignatureSigner w3 = CosignatureSigner.generate("witness.example/w3", RANDOM);
  private final Checkpoint cp = new Checkpoint("log.example/pp", 7, new byte[32]);
  private final SignedNote note = new SignedNote(cp.encode(), List.of(log.sign(cp.encode())));

  @Test
  void aCosignatureCarriesItsTimeAndVerifiesOverTheCheckpointBody() throws Exception {
    NoteSignature s = w1.cosign(cp, T.plusMillis(999));
    assertThat(s.signature()).hasSize(72);
    assertThat(ByteBuffer.wrap(s.signature()).getLong()).isEqualTo(T.getEpochSecond());
    CosignatureVerifier v = CosignatureVerifier.parse(w1.verifierKey());
    assertThat(v.keyId())
        .isEqualTo(
            NoteKeys.keyId(
                w1.name(),
                (byte) 0x04,
                java.util.Arrays.copyOfRange(
                    java.util.Base64.getDecoder()
                        .decode(w1.verifierKey().substring(w1.name().length() + 10)),
                    1,
                    33)));
    assertThat(v.verify(cp.encode(), s.signature())).hasValue(T);
    assertThat(v.verify("other\n", s.signature())).isEmpty();
    byte[] shifted = s.signature();
    shifted[7]++;
    assertThat(v.verify(cp.encode(), shifted)).isEmpty();
    assertThat(CosignatureVerifier.parse(w2.verifierKey()).verify(cp.encode(), s.signature()))
        .isEmpty();
  }

  @Test
  void aCosignatureOnANoteSurvivesEncodingAndLeavesTheLogSignatureValid() throws Exception {
    SignedNote cosigned = SignedNote.parse(note.withSignature(w1.cosign(cp, T)).encode());
    assertThat(cosigned.verify(List.of(log.verifier()))).containsExactly("log.example/pp");
    new WitnessPolicy(List.of(w1.verifier()), 1).check(cosigned);
  }

  @Test
  void cosignerKeyStringsRoundTripAndWrongTypesAreRefused() throws Exception {
    CosignatureSigner again = CosignatureSigner.parse(w1.encodeSkey());
    assertThat(again.verifierKey()).isEqualTo(w1.verifierKey());
    assertThatThrownBy(() -> CosignatureVerifier.parse(log.verifierKey()))
        .isInstanceOf(TlogException.class);
    assertThatThrownBy(() -> CosignatureSigner.parse(log.encodeSkey()))
        .isInstanceOf(TlogException.class);
    assertThatThrownBy(
            () ->
                CosignatureVerifier.parse(
                    w1.name() + "+deadbeef+" + w1.verifierKey().substring(w1.name().length() + 10)))
        .isInstanceOf(TlogException.class);
  }

  @Test
  void thresholdZeroNeedsNoWitness() throws Exception {
    WitnessPolicy.none().check(note);
    new WitnessPolicy(List.of(w1.verifier()), 0).check(note);
  }

  @Test
  void thresholdOneAndTwoCountDistinctTrustedWitnesses() throws Exception {
    WitnessPolicy two = new WitnessPolicy(List.of(w1.verifier(), w2.verifier()), 2);
    SignedNote one = note.withSignature(w1.cosign(cp, T));
    new WitnessPolicy(List.of(w1.verifier(), w2.verifier()), 1).check(one);
    assertThatThrownBy(() -> two.check(one.withSignature(w1.cosign(cp, T.plusSeconds(5)))))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(TlogException.Reason.NOT_ENOUGH_SIGNATURES);
              assertThat(e.getMessage()).contains("1 of 2").contains("witness.example/w1");
            });
    two.check(one.withSignature(w2.cosign(cp, T)));
  }

  @Test
  void cosignaturesFromUnknownWitnessesDoNotCount() {
    WitnessPolicy p = new WitnessPolicy(List.of(w1.verifier(), w2.verifier()), 1);
    assertThatThrownBy(() -> p.check(note.withSignature(w3.cosign(cp, T))))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.NOT_ENOUGH_SIGNATURES));
  }

  @Test
  void aForgedCosignatureFromATrustedWitnessFailsTheCheck() {
    // Signed by w3's key but presented under w1's name and key id.
    NoteSignature real = w3.cosign(cp, T);
    NoteSignature forged = new NoteSignature(w1.name(), w1.keyId(), real.signature());
    WitnessPolicy p = new WitnessPolicy(List.of(w1.verifier(), w2.verifier()), 1);
    assertThatThrownBy(() -> p.check(note.withSignature(w2.cosign(cp, T)).withSignature(forged)))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.BAD_SIGNATURE));
    // A cosignature over another checkpoint is a forgery for this one too.
    Checkpoint other = new Checkpoint("log.example/pp", 8, new byte[32]);
    assertThatThrownBy(() -> p.check(note.withSignature(w1.cosign(other, T))))
        .isInstanceOf(TlogException.class);
  }

  @Test
  void aThresholdAboveTheWitnessCountIsRefused() {
    assertThatThrownBy(() -> new WitnessPolicy(List.of(w1.verifier()), 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
