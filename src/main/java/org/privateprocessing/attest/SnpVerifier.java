package org.privateprocessing.attest;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;

/**
 * Verifies a SEV-SNP attestation report against AMD's key hierarchy and an {@link
 * AttestationPolicy}:
 *
 * <ol>
 *   <li>the report parses (0x4A0 bytes, version 2, 3 or 5) and is signed with ECDSA P-384/SHA-384
 *       by a VCEK (AMD SEV-SNP ABI specification, "ATTESTATION_REPORT Structure");
 *   <li>ARK -&gt; ASK -&gt; VCEK chains with RSASSA-PSS/SHA-384 signatures, the ARK is self-signed
 *       and byte-identical to AMD's shipped root for the VCEK's product line, and every certificate
 *       is valid at {@code now} (AMD "Versioned Chip Endorsement Key (VCEK) Certificate and KDS
 *       Interface Specification" 57230);
 *   <li>the ECDSA signature over bytes [0, 0x2A0) verifies with the VCEK key (R and S are
 *       little-endian and zero-padded to 72 bytes);
 *   <li>the VCEK's hwID extension equals CHIP_ID and its TCB extensions equal REPORTED_TCB (the
 *       VCEK is derived from exactly that chip and TCB);
 *   <li>the policy: VMPL, minimum TCB, DEBUG, measurement, REPORT_DATA, freshness.
 * </ol>
 *
 * <p>Bad evidence never throws: every failure is a {@link Verdict.Refused} naming its {@link
 * Check}. Stateless and thread-safe.
 */
public final class SnpVerifier {
  /** VCEK extension OIDs, KDS specification 57230 table "VCEK Certificate Extensions". */
  static final String OID_BL_SPL = "1.3.6.1.4.1.3704.1.3.1";

  static final String OID_TEE_SPL = "1.3.6.1.4.1.3704.1.3.2";
  static final String OID_SNP_SPL = "1.3.6.1.4.1.3704.1.3.3";
  static final String OID_UCODE_SPL = "1.3.6.1.4.1.3704.1.3.8";
  static final String OID_HWID = "1.3.6.1.4.1.3704.1.4";

  /** id-RSASSA-PSS (RFC 4055), the only signature AMD uses for ARK, ASK and VCEK certificates. */
  static final String OID_RSASSA_PSS = "1.2.840.113549.1.1.10";

  private SnpVerifier() {}

  /**
   * {@link #verify(byte[], X509Certificate, Optional, Optional, AttestationPolicy, Instant,
   * Optional)} without an evidence time.
   */
  public static Verdict verify(
      byte[] report,
      X509Certificate vcek,
      Optional<X509Certificate> ask,
      Optional<X509Certificate> ark,
      AttestationPolicy policy,
      Instant now) {
    return verify(report, vcek, ask, ark, policy, now, Optional.empty());
  }

  /**
   * Verifies {@code report}.
   *
   * @param ask the ASK; empty for the shipped one of the VCEK's product line
   * @param ark the ARK; must be AMD's root of that line, empty for the shipped one
   * @param now the time at which certificates must be valid and evidence fresh
   * @param evidenceTime when the evidence was produced (by the caller's account); required when the
   *     policy has a maximum evidence age
   */
  public static Verdict verify(
      byte[] report,
      X509Certificate vcek,
      Optional<X509Certificate> ask,
      Optional<X509Certificate> ark,
      AttestationPolicy policy,
      Instant now,
      Optional<Instant> evidenceTime) {
    return verify(report, vcek, ask, ark, policy, now, evidenceTime, TrustAnchors.amdOnly());
  }

  /**
   * Verifies {@code report} with chains ending in {@code anchors}: the same checks as for AMD
   * evidence, only the root differs. A VCEK issued by a simulated ASK is refused with {@link
   * Check#SIMULATED_ROOT} unless {@code anchors} trusts exactly its root.
   */
  public static Verdict verify(
      byte[] report,
      X509Certificate vcek,
      Optional<X509Certificate> ask,
      Optional<X509Certificate> ark,
      AttestationPolicy policy,
      Instant now,
      Optional<Instant> evidenceTime,
      TrustAnchors anchors) {
    Objects.requireNonNull(anchors, "anchors");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(vcek, "vcek");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
    SnpReport parsed;
    try {
      parsed = SnpReport.parse(report);
    } catch (SnpFormatException e) {
      return new Verdict.Refused(
          e.reason() == SnpFormatException.Reason.UNSUPPORTED_VERSION
              ? Check.VERSION
              : Check.FORMAT,
          e.getMessage());
    }
    if (parsed.signatureAlgo() != SnpReport.ECDSA_P384_SHA384) {
      return new Verdict.Refused(
          Check.SIGNATURE_ALGORITHM,
          "SIGNATURE_ALGO is "
              + parsed.signatureAlgo()
              + ", only 1 (ECDSA P-384 with SHA-384) is accepted");
    }
    if (parsed.signingKey() != SnpReport.SIGNING_KEY_VCEK) {
      return new Verdict.Refused(
          Check.SIGNING_KEY,
          "SIGNING_KEY is " + parsed.signingKey() + ", only 0 (VCEK) is accepted");
    }
    Optional<AmdProduct> product = AmdProduct.ofVcek(vcek);
    Optional<Verdict.Refused> chain = verifyChain(vcek, ask, ark, now, anchors);
    if (chain.isPresent()) {
      return chain.get();
    }
    if (product.isPresent() && product.get() == AmdProduct.TURIN) {
      // Turin moved the TCB fields and shortened hwID; without a real Turin report to test against
      // we refuse rather than compare the wrong bytes.
      return new Verdict.Refused(
          Check.PRODUCT, "Turin reports are not supported yet (different TCB layout)");
    }
    Optional<Verdict.Refused> signature = verifyReportSignature(parsed, report, vcek);
    if (signature.isPresent()) {
      return signature.get();
    }
    if (parsed.maskChipKey()) {
      return new Verdict.Refused(
          Check.CHIP_ID, "MASK_CHIP_KEY is set: CHIP_ID is masked and cannot be bound to the VCEK");
    }
    Optional<byte[]> hwId = octets(vcek, OID_HWID);
    if (hwId.isEmpty() || !Arrays.equals(hwId.get(), parsed.chipId())) {
      return new Verdict.Refused(
          Check.CHIP_ID, "VCEK hwID extension does not equal the report's CHIP_ID");
    }
    Optional<Verdict.Refused> tcb = verifyVcekTcb(vcek, parsed.reportedTcb());
    if (tcb.isPresent()) {
      return tcb.get();
    }
    if (policy.requiredVmpl().isPresent() && parsed.vmpl() != policy.requiredVmpl().get()) {
      return new Verdict.Refused(
          Check.VMPL,
          "VMPL " + parsed.vmpl() + " is not the required " + policy.requiredVmpl().get());
    }
    if (policy.minimumTcb().isPresent()
        && !parsed.reportedTcb().atLeast(policy.minimumTcb().get())) {
      return new Verdict.Refused(
          Check.TCB,
          "REPORTED_TCB "
              + parsed.reportedTcb()
              + " is below the minimum "
              + policy.minimumTcb().get());
    }
    if (parsed.policy().debugAllowed() && !policy.allowDebug()) {
      return new Verdict.Refused(
          Check.DEBUG, "guest policy allows DEBUG (bit 19): the host can read guest memory");
    }
    if (!policy.allowsMeasurement(parsed.measurement())) {
      return new Verdict.Refused(
          Check.MEASUREMENT,
          "MEASUREMENT " + HexFormat.of().formatHex(parsed.measurement()) + " is not allowed");
    }
    if (!policy.reportDataMatches(parsed.reportData())) {
      return new Verdict.Refused(Check.REPORT_DATA, "REPORT_DATA is not the expected value");
    }
    if (policy.maxEvidenceAge().isPresent()) {
      Duration maxAge = policy.maxEvidenceAge().get();
      if (evidenceTime.isEmpty()) {
        return new Verdict.Refused(
            Check.FRESHNESS, "policy has a maximum evidence age but no evidence time was given");
      }
      if (evidenceTime.get().isAfter(now)) {
        return new Verdict.Refused(
            Check.FRESHNESS, "evidence time " + evidenceTime.get() + " is after " + now);
      }
      Duration age = Duration.between(evidenceTime.get(), now);
      if (age.compareTo(maxAge) > 0) {
        return new Verdict.Refused(
            Check.FRESHNESS, "evidence is " + age + " old, maximum " + maxAge);
      }
    }
    return new Verdict.Accepted(parsed);
  }

  /**
   * Verifies ARK -&gt; ASK -&gt; VCEK for the VCEK's product line at {@code now}; empty when it
   * holds. Usable alone for product lines whose reports are not yet supported (Turin).
   */
  public static Optional<Verdict.Refused> verifyChain(
      X509Certificate vcek,
      Optional<X509Certificate> askIn,
      Optional<X509Certificate> arkIn,
      Instant now) {
    return verifyChain(vcek, askIn, arkIn, now, TrustAnchors.amdOnly());
  }

  /**
   * {@link #verifyChain(X509Certificate, Optional, Optional, Instant)} with chains ending in {@code
   * anchors}; a simulated chain needs its ASK given explicitly.
   */
  public static Optional<Verdict.Refused> verifyChain(
      X509Certificate vcek,
      Optional<X509Certificate> askIn,
      Optional<X509Certificate> arkIn,
      Instant now,
      TrustAnchors anchors) {
    Optional<AmdProduct> product = AmdProduct.ofVcek(vcek);
    X509Certificate ark;
    X509Certificate ask;
    String issuer = AmdProduct.commonName(vcek.getIssuerX500Principal());
    if (product.isEmpty() && TrustAnchors.SIMULATED_ASK_CN.equals(issuer)) {
      if (anchors.simulatedRoots().isEmpty()) {
        return refused(
            Check.SIMULATED_ROOT,
            "VCEK was issued by "
                + issuer
                + ": SIMULATED evidence, and no simulated root is explicitly trusted");
      }
      if (arkIn.isEmpty() && anchors.simulatedRoot().isEmpty()) {
        return refused(
            Check.SIMULATED_ROOT,
            "several simulated roots are trusted, so the evidence must carry its ARK");
      }
      ark = arkIn.isPresent() ? arkIn.get() : anchors.simulatedRoot().orElseThrow();
      if (askIn.isEmpty()) {
        return refused(Check.VCEK_CHAIN, "a simulated chain needs its ASK");
      }
      ask = askIn.get();
      if (!anchors.isSimulatedRoot(ark)) {
        return refused(Check.SIMULATED_ROOT, "ARK is not the explicitly trusted simulated root");
      }
    } else if (product.isEmpty()) {
      return refused(
          Check.PRODUCT,
          "VCEK issuer " + issuer + " is not an AMD ASK (SEV-Milan, SEV-Genoa, SEV-Turin)");
    } else {
      AmdProduct p = product.get();
      ark = arkIn.orElse(p.ark());
      ask = askIn.orElse(p.ask());
      try {
        // Pinning the ARK bytes is what makes the chain mean "AMD": anyone can self-sign a root.
        if (!Arrays.equals(ark.getEncoded(), p.ark().getEncoded())) {
          return refused(Check.VCEK_CHAIN, "ARK is not AMD's " + p.arkCommonName() + " root");
        }
      } catch (GeneralSecurityException e) {
        return refused(Check.VCEK_CHAIN, "ARK cannot be encoded");
      }
    }
    Optional<Verdict.Refused> r = signedBy(ark, ark, "ARK self-signature");
    if (r.isEmpty()) {
      r = signedBy(ask, ark, "ASK signature by the ARK");
    }
    if (r.isEmpty()) {
      r = signedBy(vcek, ask, "VCEK signature by the ASK");
    }
    if (r.isPresent()) {
      return r;
    }
    for (X509Certificate c : new X509Certificate[] {ark, ask, vcek}) {
      try {
        c.checkValidity(Date.from(now));
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        return refused(
            Check.CERT_VALIDITY,
            AmdProduct.commonName(c.getSubjectX500Principal())
                + " is valid "
                + c.getNotBefore().toInstant()
                + " .. "
                + c.getNotAfter().toInstant()
                + ", not at "
                + now);
      }
    }
    return Optional.empty();
  }

  private static Optional<Verdict.Refused> signedBy(
      X509Certificate subject, X509Certificate issuer, String what) {
    if (!subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return refused(Check.VCEK_CHAIN, what + ": issuer name does not match");
    }
    // A signature by a non-CA key (a VCEK, say) must not extend the chain.
    if (issuer.getBasicConstraints() < 0) {
      return refused(Check.VCEK_CHAIN, what + ": the issuer is not a CA certificate");
    }
    if (!OID_RSASSA_PSS.equals(subject.getSigAlgOID())) {
      return refused(
          Check.VCEK_CHAIN,
          what + ": signature algorithm " + subject.getSigAlgOID() + " is not RSASSA-PSS");
    }
    try {
      RSASSAPSSparams params = RSASSAPSSparams.getInstance(subject.getSigAlgParams());
      if (!NISTObjectIdentifiers.id_sha384.equals(params.getHashAlgorithm().getAlgorithm())) {
        return refused(Check.VCEK_CHAIN, what + ": RSASSA-PSS hash is not SHA-384");
      }
      subject.verify(issuer.getPublicKey());
      return Optional.empty();
    } catch (GeneralSecurityException | RuntimeException e) {
      return refused(Check.VCEK_CHAIN, what + " does not verify");
    }
  }

  private static Optional<Verdict.Refused> verifyReportSignature(
      SnpReport parsed, byte[] report, X509Certificate vcek) {
    if (!(vcek.getPublicKey() instanceof ECPublicKey key)
        || key.getParams().getCurve().getField().getFieldSize() != 384) {
      return refused(Check.REPORT_SIGNATURE, "VCEK key is not ECDSA P-384");
    }
    // The 368 bytes after R and S are outside the signed region; requiring zeros means no byte of
    // accepted evidence can be altered unnoticed.
    for (int i = 0x330; i < SnpReport.SIZE; i++) {
      if (report[i] != 0) {
        return refused(
            Check.REPORT_SIGNATURE,
            "reserved signature byte at 0x" + Integer.toHexString(i) + " is not zero");
      }
    }
    BigInteger r = parsed.r();
    BigInteger s = parsed.s();
    // Components wider than 48 bytes cannot be P-384 values: refuse instead of truncating.
    if (r.bitLength() > 384 || s.bitLength() > 384) {
      return refused(Check.REPORT_SIGNATURE, "signature component wider than 384 bits");
    }
    byte[] p1363 = new byte[96];
    putUnsigned(r, p1363, 0);
    putUnsigned(s, p1363, 48);
    try {
      Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
      verifier.initVerify(key);
      verifier.update(report, 0, SnpReport.SIGNED_LENGTH);
      if (verifier.verify(p1363)) {
        return Optional.empty();
      }
    } catch (GeneralSecurityException e) {
      return refused(
          Check.REPORT_SIGNATURE, "ECDSA verification failed: " + e.getClass().getSimpleName());
    }
    return refused(
        Check.REPORT_SIGNATURE,
        "ECDSA P-384 signature over [0, 0x2A0) does not verify with the VCEK");
  }

  private static void putUnsigned(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 48);
    System.arraycopy(b, b.length - n, out, offset + 48 - n, n);
  }

  private static Optional<Verdict.Refused> verifyVcekTcb(
      X509Certificate vcek, TcbVersion reported) {
    String[] oids = {OID_BL_SPL, OID_TEE_SPL, OID_SNP_SPL, OID_UCODE_SPL};
    String[] names = {"boot loader", "TEE", "SNP", "microcode"};
    int[] values = {reported.bootLoader(), reported.tee(), reported.snp(), reported.microcode()};
    for (int i = 0; i < oids.length; i++) {
      Optional<BigInteger> ext = integer(vcek, oids[i]);
      if (ext.isEmpty()) {
        return refused(Check.VCEK_TCB, "VCEK lacks the " + names[i] + " SPL extension " + oids[i]);
      }
      if (!ext.get().equals(BigInteger.valueOf(values[i]))) {
        return refused(
            Check.VCEK_TCB,
            "VCEK " + names[i] + " SPL " + ext.get() + " is not REPORTED_TCB's " + values[i]);
      }
    }
    return Optional.empty();
  }

  static Optional<byte[]> octets(X509Certificate cert, String oid) {
    byte[] ext = cert.getExtensionValue(oid);
    if (ext == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ASN1OctetString.getInstance(ext).getOctets());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static Optional<BigInteger> integer(X509Certificate cert, String oid) {
    try {
      return octets(cert, oid).map(b -> ASN1Integer.getInstance(b).getValue());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Verdict.Refused> refused(Check check, String reason) {
    return Optional.of(new Verdict.Refused(check, reason));
  }
}
