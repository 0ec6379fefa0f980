package org.privateprocessing.node;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster CA and the node certificates it issues for the event bus's mutual TLS ({@code
 * cluster-ca init} and {@code cluster-ca issue}): ECDSA P-256 keys (what both the JDK's TLS and
 * OpenSSL take), certificates built with BouncyCastle, keys written owner-only (0600) as PKCS#8
 * PEM. A node certificate carries its host names or addresses as subject alternative names (for
 * operators and audits: the event bus checks the CA, not the name, see {@link ClusterTls}) and is
 * good for both ends of a connection (server and client authentication).
 *
 * <p>Files of a CA directory: {@value #CA_CERT} (give it to every node as {@code
 * cluster.tls.trustFile}) and {@value #CA_KEY} (keep it off the nodes). Files of an issued
 * directory: {@value #NODE_CERT}, {@value #NODE_KEY} and a copy of the CA's certificate as {@value
 * #TRUST}. A file is never overwritten.
 */
public final class ClusterCredentials {
  public static final String CA_CERT = "ca-cert.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String NODE_CERT = "node-cert.pem";
  public static final String NODE_KEY = "node-key.pem";
  public static final String TRUST = "cluster-ca.pem";

  /** Default lifetime of a CA certificate. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /** Default lifetime of a node certificate: rotate yearly (docs/OPERATIONS.md). */
  public static final Duration NODE_VALIDITY = Duration.ofDays(365);

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ClusterCredentials() {}

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    /** The certificate as PEM. */
    public String certificatePem() {
      return pem(certificate);
    }

    /** The private key as PKCS#8 PEM. */
    public String keyPem() {
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    }
  }

  /**
   * A self-signed CA certificate named {@code name}, valid from {@code now} for {@code validity}.
   */
  public static Issued newCa(String name, Duration validity, Instant now, SecureRandom random) {
    KeyPair pair = p256(random);
    X500Principal subject = new X500Principal("CN=" + cn(name));
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          builder(subject, subject, pair, validity, now, random)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new Issued(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make the CA certificate", e);
    }
  }

  /**
   * A node certificate for {@code hosts} (IP addresses or DNS names; the first is its common name),
   * signed by {@code ca}, valid from {@code now} for {@code validity} (capped at the CA's end).
   *
   * @throws IllegalArgumentException for no host or a host that is neither an IPv4 address nor a
   *     DNS name
   */
  public static Issued issue(
      Issued ca, List<String> hosts, Duration validity, Instant now, SecureRandom random) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "--host: give the node's address or name (repeat --host for several)");
    }
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      names.add(name(h));
    }
    KeyPair pair = p256(random);
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    Duration capped = validity;
    if (now.plus(validity).isAfter(caEnd)) {
      capped = Duration.between(now, caEnd);
    }
    if (capped.isNegative() || capped.isZero()) {
      throw new IllegalArgumentException(
          "the CA certificate expired at " + caEnd + "; make a new CA (cluster-ca init)");
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          builder(
                  ca.certificate().getSubjectX500Principal(),
                  new X500Principal("CN=" + cn(hosts.get(0))),
                  pair,
                  capped,
                  now,
                  random)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(new GeneralName[0])))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(ca.certificate()));
      return new Issued(sign(b, ca.key()), pair.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make the node certificate", e);
    }
  }

  /**
   * Makes a CA in {@code dir} (created owner-only when missing).
   *
   * @throws IllegalArgumentException when {@code dir} already holds a CA (never overwritten)
   */
  public static Issued initCa(Path dir, String name, Duration validity) throws IOException {
    if (Files.exists(dir.resolve(CA_KEY)) || Files.exists(dir.resolve(CA_CERT))) {
      throw new IllegalArgumentException(
          dir
              + " already holds a cluster CA ("
              + CA_CERT
              + ", "
              + CA_KEY
              + "); it is never overwritten: issue node certificates from it "
              + "(cluster-ca issue "
              + dir
              + " --host H --out DIR), or give another directory");
    }
    Issued ca = newCa(name, validity, Instant.now(), new SecureRandom());
    ownerOnlyDir(dir);
    writeNew(dir.resolve(CA_KEY), ca.keyPem(), true);
    writeNew(dir.resolve(CA_CERT), ca.certificatePem(), false);
    return ca;
  }

  /**
   * Reads the CA of {@code caDir} (its key must be owner-only), issues a node certificate for
   * {@code hosts} and writes it, its key (0600) and the CA's certificate into {@code out}.
   *
   * @throws ClusterTls.RefusedException for a CA file that is missing, not owner-only or not what
   *     it should be
   * @throws IllegalArgumentException for a bad host, or when {@code out} already holds any of the
   *     files
   */
  public static Issued issueInto(Path caDir, List<String> hosts, Duration validity, Path out)
      throws IOException {
    PrivateKey caKey = ClusterTls.readPrivateKey("CA key", caDir.resolve(CA_KEY));
    X509Certificate caCert =
        ClusterTls.readCertificates("CA certificate", caDir.resolve(CA_CERT)).get(0);
    Issued ca = new Issued(caCert, caKey);
    for (String f : List.of(NODE_CERT, NODE_KEY, TRUST)) {
      if (Files.exists(out.resolve(f))) {
        throw new IllegalArgumentException(
            out.resolve(f)
                + " already exists and is never overwritten; give an empty --out directory "
                + "(for a rotation: a new one, then point cluster.tls at it)");
      }
    }
    Issued node = issue(ca, hosts, validity, Instant.now(), new SecureRandom());
    ownerOnlyDir(out);
    writeNew(out.resolve(NODE_KEY), node.keyPem(), true);
    writeNew(out.resolve(NODE_CERT), node.certificatePem(), false);
    writeNew(out.resolve(TRUST), pem(caCert), false);
    return node;
  }

  /** A certificate as PEM. */
  public static String pem(X509Certificate c) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a new file (never replacing one), owner-only when {@code secret}, forced to disk. */
  public static void writeNew(Path file, String text, boolean secret) throws IOException {
    var perms =
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
    try (var ch =
        Files.newByteChannel(
            file,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            perms)) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(file + " already exists and is never overwritten");
    }
    try (var fc = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      fc.force(true);
    }
  }

  private static void ownerOnlyDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }

  private static GeneralName name(String host) {
    String h = host.trim();
    if (IPV4.matcher(h).matches()) {
      try {
        InetAddress.getByName(h); // a literal: no lookup
      } catch (IOException e) {
        throw new IllegalArgumentException("--host " + host + ": not an IPv4 address");
      }
      for (String part : h.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException("--host " + host + ": not an IPv4 address");
        }
      }
      return new GeneralName(GeneralName.iPAddress, h);
    }
    if (HOST_NAME.matcher(h).matches()) {
      return new GeneralName(GeneralName.dNSName, h);
    }
    throw new IllegalArgumentException(
        "--host "
            + host
            + ": not an IPv4 address or a DNS name (e.g. --host 10.0.0.5 or --host node1.internal)");
  }

  private static String cn(String name) {
    String n = name.replaceAll("[^A-Za-z0-9 .\\-]", "");
    return n.isEmpty() ? "private-processing" : n;
  }

  private static KeyPair p256(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is not available", e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Principal issuer,
      X500Principal subject,
      KeyPair pair,
      Duration validity,
      Instant now,
      SecureRandom random) {
    Instant start = now.minus(5, ChronoUnit.MINUTES); // clocks of a fleet differ a little
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, random).add(BigInteger.ONE),
        Date.from(start),
        Date.from(now.plus(validity)),
        subject,
        pair.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(
                  new JcaContentSignerBuilder(
                          key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                      .build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
