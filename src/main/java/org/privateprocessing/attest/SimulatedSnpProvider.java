package org.privateprocessing.attest;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A SIMULATED SEV-SNP attestation provider for development and tests. It is not hardware and its
 * evidence proves nothing about where code runs: anyone holding this object can sign any report.
 *
 * <p>At construction it generates a locally self-signed root "SIMULATED-ARK" shaped like AMD's ARK
 * (RSA-4096, RSASSA-PSS with SHA-384), an ASK "SEV-SIMULATED" signed by it, and an EC P-384 VCEK
 * signed by the ASK carrying AMD's VCEK extensions (KDS specification 57230: hwID = a random chip
 * id, boot loader / TEE / SNP / microcode SPLs, product name "SIMULATED"). {@link #attest} encodes
 * a real-layout version-2 {@link SnpReport} (VMPL 0, no DEBUG, the configured measurement, the
 * VCEK's chip id and TCB) and signs bytes [0, 0x2A0) with the VCEK exactly as the AMD secure
 * processor does, so {@link SnpVerifier} checks it with the same code as hardware evidence. The
 * verifier refuses it ({@link Check#SIMULATED_ROOT}) unless the caller passes {@link
 * TrustAnchors#trustSimulatedRoot(X509Certificate)} with {@link #ark()}: an explicit setting that
 * production must never use (DESIGN.md section 5).
 *
 * <p>Key generation (two RSA-4096 keys) takes a few seconds; create one instance and reuse it.
 * Thread-safe after construction.
 */
public final class SimulatedSnpProvider implements AttestationProvider {
  /** Value of the VCEK product-name extension: never an AMD product name. */
  public static final String PRODUCT_NAME = "SIMULATED";

  static final String OID_PRODUCT_NAME = "1.3.6.1.4.1.3704.1.2";

  /** The TCB the simulated VCEK is issued for (Milan/Genoa layout). */
  public static final TcbVersion TCB = TcbVersion.ofMilanGenoa(3, 0, 8, 115);

  /** Guest policy of simulated guests: SMT allowed, reserved bit 17 set, DEBUG not allowed. */
  public static final long GUEST_POLICY =
      1L << GuestPolicy.SMT_BIT | 1L << GuestPolicy.RESERVED_ONE_BIT;

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private final byte[] measurement;
  private final SecureRandom random;
  private final byte[] chipId = new byte[64];
  private final X509Certificate ark;
  private final X509Certificate ask;
  private final X509Certificate vcek;
  private final PrivateKey vcekKey;

  /**
   * A simulated ARK and ASK: like AMD's, one per product line. By default one per process ({@link
   * #SimulatedSnpProvider(byte[], SecureRandom, Instant)}); the demo keeps one in its data
   * directory ({@link #newRoot}, {@link Root#of}) so trust handed out survives restarts.
   *
   * @param arkKeys the root's key pair (RSA-4096)
   * @param askKeys the signing key's pair (RSA-4096)
   * @param ark the self-signed root certificate
   * @param ask the ASK certificate, signed by the root
   */
  public record Root(KeyPair arkKeys, KeyPair askKeys, X509Certificate ark, X509Certificate ask) {
    /**
     * A root from stored parts, checked: each private key belongs to its certificate, the root
     * signs itself and the ASK, and both are the simulated names.
     *
     * @throws IllegalArgumentException saying which check failed (never showing key bytes)
     */
    public static Root of(
        byte[] arkPkcs8, byte[] askPkcs8, X509Certificate ark, X509Certificate ask) {
      try {
        java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
        PrivateKey arkPrivate =
            rsa.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(arkPkcs8));
        PrivateKey askPrivate =
            rsa.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(askPkcs8));
        if (!matches(arkPrivate, ark) || !matches(askPrivate, ask)) {
          throw new IllegalArgumentException("a private key does not belong to its certificate");
        }
        if (!ark.getSubjectX500Principal().equals(name(TrustAnchors.SIMULATED_ARK_CN))
            || !ask.getSubjectX500Principal().equals(name(TrustAnchors.SIMULATED_ASK_CN))) {
          throw new IllegalArgumentException("the certificates are not the simulated ARK and ASK");
        }
        ark.verify(ark.getPublicKey(), BC);
        ask.verify(ark.getPublicKey(), BC);
        return new Root(
            new KeyPair(ark.getPublicKey(), arkPrivate),
            new KeyPair(ask.getPublicKey(), askPrivate),
            ark,
            ask);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "not a simulated root (" + e.getClass().getSimpleName() + ")");
      }
    }

    private static boolean matches(PrivateKey key, X509Certificate cert) {
      return key instanceof java.security.interfaces.RSAPrivateCrtKey k
          && cert.getPublicKey() instanceof java.security.interfaces.RSAPublicKey p
          && k.getModulus().equals(p.getModulus())
          && k.getPublicExponent().equals(p.getPublicExponent());
    }
  }

  private static Root shared;

  /**
   * The process's simulated ARK/ASK, made on first use. RSA-4096 key generation takes seconds, and
   * real platforms share their product line's ARK/ASK too; each provider still gets its own chip
   * (VCEK and CHIP_ID).
   */
  private static synchronized Root hierarchy(SecureRandom random, Instant now) {
    if (shared == null) {
      shared = newRoot(random, now);
    }
    return shared;
  }

  /**
   * A new simulated ARK and ASK, valid from a year before {@code now} for ten years. Takes seconds
   * (two RSA-4096 keys).
   */
  public static Root newRoot(SecureRandom random, Instant now) {
    try {
      KeyPair arkKeys = rsa4096(random);
      KeyPair askKeys = rsa4096(random);
      X500Principal arkName = name(TrustAnchors.SIMULATED_ARK_CN);
      X500Principal askName = name(TrustAnchors.SIMULATED_ASK_CN);
      Date from = Date.from(now.minus(Duration.ofDays(365)));
      Date to = Date.from(now.plus(Duration.ofDays(3650)));
      X509Certificate ark =
          issue(
              random,
              arkName,
              arkKeys.getPublic(),
              arkName,
              arkKeys.getPrivate(),
              from,
              to,
              b -> ca(b));
      X509Certificate ask =
          issue(
              random,
              askName,
              askKeys.getPublic(),
              arkName,
              arkKeys.getPrivate(),
              from,
              to,
              b -> ca(b));
      return new Root(arkKeys, askKeys, ark, ask);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate the simulated AMD key hierarchy", e);
    }
  }

  /**
   * A simulated chip: its own VCEK (valid from an hour before {@code now} for ten years) under the
   * process's simulated ASK and ARK.
   *
   * @param measurement the 48-byte MEASUREMENT to report, e.g. {@link #measure(byte[])} of the
   *     launch image
   */
  public SimulatedSnpProvider(byte[] measurement, SecureRandom random, Instant now) {
    this(measurement, random, now, hierarchy(random, now));
  }

  /**
   * A simulated chip under a given root (the demo's, kept in its data directory): its own VCEK,
   * valid from an hour before {@code now} for ten years, signed by {@code root}'s ASK.
   */
  public SimulatedSnpProvider(byte[] measurement, SecureRandom random, Instant now, Root root) {
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(root, "root");
    if (measurement.length != 48) {
      throw new IllegalArgumentException("measurement must be 48 bytes");
    }
    this.measurement = measurement.clone();
    this.random = Objects.requireNonNull(random, "random");
    random.nextBytes(chipId);
    Date from = Date.from(now.minus(Duration.ofHours(1)));
    Date to = Date.from(now.plus(Duration.ofDays(3650)));
    try {
      Root h = root;
      KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
      ec.initialize(new ECGenParameterSpec("secp384r1"), random);
      KeyPair vcekKeys = ec.generateKeyPair();
      X500Principal askName = name(TrustAnchors.SIMULATED_ASK_CN);
      ark = h.ark();
      ask = h.ask();
      vcek =
          issue(
              random,
              name("SEV-VCEK"),
              vcekKeys.getPublic(),
              askName,
              h.askKeys().getPrivate(),
              from,
              to,
              b -> {
                try {
                  b.addExtension(
                      new ASN1ObjectIdentifier(SnpVerifier.OID_BL_SPL),
                      false,
                      new ASN1Integer(TCB.bootLoader()));
                  b.addExtension(
                      new ASN1ObjectIdentifier(SnpVerifier.OID_TEE_SPL),
                      false,
                      new ASN1Integer(TCB.tee()));
                  b.addExtension(
                      new ASN1ObjectIdentifier(SnpVerifier.OID_SNP_SPL),
                      false,
                      new ASN1Integer(TCB.snp()));
                  b.addExtension(
                      new ASN1ObjectIdentifier(SnpVerifier.OID_UCODE_SPL),
                      false,
                      new ASN1Integer(TCB.microcode()));
                  // hwID carries the raw 64 bytes as the extension value, as AMD's VCEKs do.
                  b.addExtension(
                      new ASN1ObjectIdentifier(SnpVerifier.OID_HWID), false, chipId.clone());
                  b.addExtension(
                      new ASN1ObjectIdentifier(OID_PRODUCT_NAME),
                      false,
                      new DERIA5String(PRODUCT_NAME));
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      vcekKey = vcekKeys.getPrivate();
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate the simulated AMD key hierarchy", e);
    }
  }

  /** SHA-384 of a launch image: the simulated MEASUREMENT (DESIGN.md section 5). */
  public static byte[] measure(byte[] launchImage) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(launchImage);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa4096(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), random);
    return g.generateKeyPair();
  }

  private static X500Principal name(String cn) {
    return new X500Principal(
        "CN=" + cn + ", OU=SIMULATED - not AMD, O=Private Processing development");
  }

  private static void ca(X509v3CertificateBuilder b) {
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate issue(
      SecureRandom random,
      X500Principal subject,
      PublicKey key,
      X500Principal issuer,
      PrivateKey signer,
      Date from,
      Date to,
      Consumer<X509v3CertificateBuilder> extensions)
      throws GeneralSecurityException, OperatorCreationException {
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer, new BigInteger(64, random).add(BigInteger.ONE), from, to, subject, key);
    extensions.accept(b);
    // SHA384withRSAandMGF1: RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48, as AMD signs its chain.
    var signerOp =
        new JcaContentSignerBuilder("SHA384withRSAandMGF1")
            .setProvider(BC)
            .setSecureRandom(random)
            .build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(signerOp));
  }

  /** The SIMULATED root; pass it to {@link TrustAnchors#trustSimulatedRoot} (development only). */
  public X509Certificate ark() {
    return ark;
  }

  /** The simulated chip id, the VCEK's hwID. */
  public byte[] chipId() {
    return chipId.clone();
  }

  /** The reported MEASUREMENT. */
  public byte[] measurement() {
    return measurement.clone();
  }

  @Override
  public Evidence attest(byte[] reportData) throws AttestationException {
    return attest(reportData, GUEST_POLICY);
  }

  /**
   * Test hook: a report claiming another guest policy (e.g. with DEBUG allowed), signed like any
   * other, so tests can show that the verifier's policy check, not the signature, refuses it.
   */
  Evidence attest(byte[] reportData, long guestPolicy) throws AttestationException {
    Objects.requireNonNull(reportData, "reportData");
    if (reportData.length != ReportDataBinding.LENGTH) {
      throw new IllegalArgumentException("REPORT_DATA must be 64 bytes");
    }
    byte[] reportId = new byte[32];
    random.nextBytes(reportId);
    byte[] unsigned =
        report(reportData, guestPolicy, reportId, new byte[72], new byte[72]).encode();
    byte[] p1363;
    try {
      Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
      s.initSign(vcekKey, random);
      s.update(unsigned, 0, SnpReport.SIGNED_LENGTH);
      p1363 = s.sign();
    } catch (GeneralSecurityException e) {
      throw new AttestationException(
          AttestationException.Reason.SIGNING, "cannot sign the simulated report", e);
    }
    byte[] report =
        report(
                reportData,
                guestPolicy,
                reportId,
                littleEndian72(p1363, 0),
                littleEndian72(p1363, 48))
            .encode();
    return new Evidence(report, List.of(vcek, ask, ark));
  }

  private SnpReport report(
      byte[] reportData, long guestPolicy, byte[] reportId, byte[] r, byte[] s) {
    byte[] maAbsent = new byte[32];
    Arrays.fill(maAbsent, (byte) 0xFF);
    return new SnpReport(
        2,
        0,
        new GuestPolicy(guestPolicy),
        new byte[16],
        new byte[16],
        0,
        SnpReport.ECDSA_P384_SHA384,
        TCB,
        0,
        0,
        reportData,
        measurement,
        new byte[32],
        new byte[48],
        new byte[48],
        reportId,
        maAbsent,
        TCB,
        0,
        0,
        0,
        chipId,
        TCB,
        0,
        0,
        0,
        0,
        0,
        0,
        TCB,
        0,
        0,
        r,
        s,
        new byte[SnpReport.RESERVED_LENGTH]);
  }

  /** A 48-byte big-endian component as the report's 72-byte little-endian, zero-padded form. */
  private static byte[] littleEndian72(byte[] p1363, int offset) {
    byte[] le = new byte[72];
    for (int i = 0; i < 48; i++) {
      le[i] = p1363[offset + 47 - i];
    }
    return le;
  }

  @Override
  public String toString() {
    return "SimulatedSnpProvider[SIMULATED - not hardware, chip "
        + HexFormat.of().formatHex(chipId, 0, 8)
        + "..., measurement "
        + HexFormat.of().formatHex(measurement)
        + "]";
  }
}
