package org.privateprocessing.attest;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * What an enclave shows a client: its SEV-SNP report, the VCEK chain, and the two public keys the
 * report binds — the inner OHTTP key configs (RFC 9540 list) and the TLS key — plus the time the
 * report was made. One DER structure serves both {@code GET /v1/enclaves} (base64url in the {@code
 * evidence} field) and the RA-TLS certificate extension, so there is one verifier.
 *
 * <pre>
 * EnclaveEvidence ::= SEQUENCE {
 *   version     INTEGER (1),
 *   report      OCTET STRING,              -- the 1184-byte ATTESTATION_REPORT
 *   chain       SEQUENCE OF OCTET STRING,  -- DER certificates: VCEK[, ASK[, ARK]]
 *   keyConfigs  OCTET STRING,              -- RFC 9540 application/ohttp-keys
 *   tlsSpki     OCTET STRING,              -- DER SubjectPublicKeyInfo of the TLS key
 *   producedAt  INTEGER }                  -- seconds since the epoch
 * </pre>
 *
 * <p>{@code REPORT_DATA = ReportDataBinding(keyConfigs, tlsSpki, nonce)} where the nonce is the
 * 8-byte big-endian {@code producedAt}: the time is inside the signed report, so a replayed old
 * report cannot claim to be fresh, and freshness needs no round trip to the enclave.
 */
public record EnclaveEvidence(
    byte[] report,
    List<X509Certificate> chain,
    byte[] keyConfigs,
    byte[] tlsSpki,
    Instant producedAt) {
  public static final int VERSION = 1;

  /**
   * Upper bound of an encoded bundle: a report, three certificates and the keys fit well within it.
   */
  public static final int MAX_ENCODED = 32 * 1024;

  public EnclaveEvidence {
    report = report.clone();
    chain = List.copyOf(chain);
    if (chain.isEmpty() || chain.size() > 3) {
      throw new IllegalArgumentException("chain is VCEK[, ASK[, ARK]]");
    }
    keyConfigs = keyConfigs.clone();
    tlsSpki = tlsSpki.clone();
    Objects.requireNonNull(producedAt, "producedAt");
    if (producedAt.getNano() != 0) {
      throw new IllegalArgumentException("producedAt is whole seconds");
    }
  }

  /**
   * Asks {@code provider} for a report binding these keys at {@code now} (truncated to seconds).
   *
   * @param keyConfigs the enclave's inner key configs in RFC 9540 form
   */
  public static EnclaveEvidence produce(
      AttestationProvider provider, byte[] keyConfigs, PublicKey tlsKey, Instant now)
      throws AttestationException {
    Instant at = Instant.ofEpochSecond(now.getEpochSecond());
    byte[] spki = tlsKey.getEncoded();
    byte[] reportData = ReportDataBinding.compute(keyConfigs, spki, timeNonce(at));
    AttestationProvider.Evidence e = provider.attest(reportData);
    return new EnclaveEvidence(e.report(), e.chain(), keyConfigs, spki, at);
  }

  /** The nonce that binds {@code producedAt} into REPORT_DATA. */
  public static byte[] timeNonce(Instant producedAt) {
    return ByteBuffer.allocate(8).putLong(producedAt.getEpochSecond()).array();
  }

  @Override
  public byte[] report() {
    return report.clone();
  }

  @Override
  public byte[] keyConfigs() {
    return keyConfigs.clone();
  }

  @Override
  public byte[] tlsSpki() {
    return tlsSpki.clone();
  }

  /**
   * Verifies the report and chain under {@code policy}, that REPORT_DATA binds exactly this
   * bundle's keys and time, and that the evidence is as fresh as the policy demands. The caller
   * must then use only {@link #keyConfigs()} (and a TLS peer whose key is {@link #tlsSpki()}).
   */
  public Verdict verify(AttestationPolicy policy, Instant now, TrustAnchors anchors) {
    Verdict verdict =
        SnpVerifier.verify(
            report, chain.get(0), at(1), at(2), policy, now, Optional.of(producedAt), anchors);
    if (verdict instanceof Verdict.Accepted accepted
        && !ReportDataBinding.matches(
            accepted.report(), keyConfigs, tlsSpki, timeNonce(producedAt))) {
      return new Verdict.Refused(
          Check.REPORT_DATA,
          "REPORT_DATA does not bind the key configs, TLS key and time this evidence presents");
    }
    return verdict;
  }

  private Optional<X509Certificate> at(int i) {
    return chain.size() > i ? Optional.of(chain.get(i)) : Optional.empty();
  }

  public byte[] encode() {
    try {
      ASN1EncodableVector certs = new ASN1EncodableVector();
      for (X509Certificate c : chain) {
        certs.add(new DEROctetString(c.getEncoded()));
      }
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(new ASN1Integer(VERSION));
      v.add(new DEROctetString(report));
      v.add(new DERSequence(certs));
      v.add(new DEROctetString(keyConfigs));
      v.add(new DEROctetString(tlsSpki));
      v.add(new ASN1Integer(producedAt.getEpochSecond()));
      return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    } catch (CertificateEncodingException | IOException e) {
      throw new IllegalStateException("cannot encode evidence", e);
    }
  }

  /**
   * Reads a bundle; strict DER, nothing trailing. Says nothing about whether it is genuine: {@link
   * #verify} does.
   */
  public static EnclaveEvidence parse(byte[] der) throws EvidenceFormatException {
    try {
      return parseStrict(der);
    } catch (RuntimeException e) {
      // BouncyCastle's ASN.1 classes report some malformed inputs as unchecked exceptions.
      throw malformed(
          "not a well-formed evidence structure (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static EnclaveEvidence parseStrict(byte[] der) throws EvidenceFormatException {
    if (der.length > MAX_ENCODED) {
      throw new EvidenceFormatException(
          EvidenceFormatException.Reason.OVERSIZED,
          "evidence is " + der.length + " bytes, more than " + MAX_ENCODED);
    }
    ASN1Sequence seq;
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (p == null || !Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
        throw malformed("not in canonical DER or has trailing bytes");
      }
      seq = ASN1Sequence.getInstance(p);
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw malformed("not a DER SEQUENCE");
    }
    if (seq.size() != 6) {
      throw malformed("expected 6 fields, found " + seq.size());
    }
    BigInteger version = integer(seq.getObjectAt(0), "version");
    if (!version.equals(BigInteger.valueOf(VERSION))) {
      throw new EvidenceFormatException(
          EvidenceFormatException.Reason.UNSUPPORTED_VERSION,
          "evidence version " + version + " is not " + VERSION);
    }
    byte[] report = octets(seq.getObjectAt(1), "report");
    List<X509Certificate> chain = new ArrayList<>();
    ASN1Sequence certs;
    try {
      certs = ASN1Sequence.getInstance(seq.getObjectAt(2));
    } catch (IllegalArgumentException e) {
      throw malformed("chain is not a SEQUENCE");
    }
    if (certs.size() < 1 || certs.size() > 3) {
      throw malformed("chain has " + certs.size() + " certificates, expected 1 to 3");
    }
    for (ASN1Encodable c : certs) {
      try {
        chain.add(Certificates.parseStrictDer(octets(c, "certificate")));
      } catch (CertificateException e) {
        throw malformed("certificate " + (chain.size() + 1) + " of the chain cannot be read");
      }
    }
    byte[] keyConfigs = octets(seq.getObjectAt(3), "keyConfigs");
    byte[] spki = octets(seq.getObjectAt(4), "tlsSpki");
    BigInteger at = integer(seq.getObjectAt(5), "producedAt");
    if (at.signum() < 0 || at.bitLength() > 40) {
      throw malformed("producedAt is out of range");
    }
    return new EnclaveEvidence(
        report, chain, keyConfigs, spki, Instant.ofEpochSecond(at.longValueExact()));
  }

  private static BigInteger integer(ASN1Encodable e, String field) throws EvidenceFormatException {
    if (!(e instanceof ASN1Integer i)) {
      throw malformed(field + " is not an INTEGER");
    }
    return i.getValue();
  }

  private static byte[] octets(ASN1Encodable e, String field) throws EvidenceFormatException {
    if (!(e instanceof ASN1OctetString o)) {
      throw malformed(field + " is not an OCTET STRING");
    }
    return o.getOctets();
  }

  private static EvidenceFormatException malformed(String what) {
    return new EvidenceFormatException(EvidenceFormatException.Reason.MALFORMED, what);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnclaveEvidence other && Arrays.equals(encode(), other.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "EnclaveEvidence[producedAt=" + producedAt + ", chain=" + chain.size() + "]";
  }
}
