package org.privateprocessing.node;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The event bus's mutual TLS credentials of one node ({@code cluster.tls}), read and checked before
 * anything starts: the key file is owner-only, readable and an unencrypted PKCS#8 EC or RSA key;
 * the certificate file holds X.509 certificates, the first of them this node's, matching the key
 * and valid now; the trust file holds certificates, and one of them issued this node's certificate
 * (the cluster CA) or is that certificate itself (pinned). Each refusal names the file and the fix.
 *
 * <p>Applied to Vert.x's {@link EventBusOptions}: TLS on, client certificates required, trust only
 * the trust file's certificates (never the JDK's roots). Vert.x's clustered event bus does no
 * hostname verification (its client sets none), and none is added here: a cluster's membership
 * authority is its CA, not DNS; which node serves an address comes from the cluster's own
 * subscription map, which any member can write, so a name check would add no protection. What a
 * member cannot do without a certificate from the cluster's CA (or a pinned one) is open an event
 * bus connection to any node, in either direction: it can send and receive no envelope.
 *
 * <p>The bytes checked are the bytes Vert.x is given (as values, not paths), so a file swapped
 * after the check is not used.
 */
public final class ClusterTls {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private static final String MAKE =
      "make cluster credentials with: private-processing cluster-ca init CA_DIR, then "
          + "private-processing cluster-ca issue CA_DIR --host HOST --out DIR";

  private final byte[] certPem;
  private final byte[] keyPem;
  private final byte[] trustPem;
  private final X509Certificate certificate;

  private ClusterTls(byte[] certPem, byte[] keyPem, byte[] trustPem, X509Certificate certificate) {
    this.certPem = certPem;
    this.keyPem = keyPem;
    this.trustPem = trustPem;
    this.certificate = certificate;
  }

  /**
   * Reads and checks the three files at {@code now}.
   *
   * @throws RefusedException naming the file, what is wrong and the fix
   */
  public static ClusterTls load(ClusterOptions.Tls tls, Instant now) {
    if (!tls.enabled()) {
      throw new IllegalArgumentException("cluster.tls is not set");
    }
    byte[] keyPem = readKey("cluster.tls.keyFile", tls.keyFile());
    PrivateKey key = parseKey("cluster.tls.keyFile", tls.keyFile(), keyPem);
    byte[] certPem = read("cluster.tls.certFile", tls.certFile());
    List<X509Certificate> chain = certificates("cluster.tls.certFile", tls.certFile(), certPem);
    X509Certificate own = chain.get(0);
    if (!matches(key, own.getPublicKey())) {
      throw refuse(
          "cluster.tls.certFile "
              + tls.certFile()
              + " is not the certificate of the key in cluster.tls.keyFile "
              + tls.keyFile()
              + "; give the certificate issued together with that key ("
              + MAKE
              + ")");
    }
    checkValidity("cluster.tls.certFile", tls.certFile(), own, now);
    byte[] trustPem = read("cluster.tls.trustFile", tls.trustFile());
    List<X509Certificate> trusted =
        certificates("cluster.tls.trustFile", tls.trustFile(), trustPem);
    X509Certificate issuer = null;
    for (X509Certificate t : trusted) {
      if (t.equals(own) || issued(t, own)) {
        issuer = t;
        break;
      }
    }
    if (issuer == null) {
      throw refuse(
          "cluster.tls.trustFile "
              + tls.trustFile()
              + " holds no certificate that issued cluster.tls.certFile "
              + tls.certFile()
              + " (issued by '"
              + own.getIssuerX500Principal().getName()
              + "'), nor that certificate itself: its peers could not accept this node either; "
              + "give the cluster CA's certificate (ca-cert.pem of cluster-ca init), or issue this "
              + "node's certificate from that CA");
    }
    checkValidity("cluster.tls.trustFile", tls.trustFile(), issuer, now);
    return new ClusterTls(certPem, keyPem, trustPem, own);
  }

  /** This node's certificate (its subject and names are what peers' logs would show). */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Turns on mutual TLS on {@code options}: this node's certificate and key, client certificates
   * required, and trust in the trust file's certificates only.
   */
  public EventBusOptions applyTo(EventBusOptions options) {
    return options
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setTrustAll(false)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(certPem))
                .addKeyValue(Buffer.buffer(keyPem)))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(trustPem)));
  }

  /**
   * An owner-only PEM private key (PKCS#8, EC or RSA), {@code what} naming it in refusals.
   *
   * @throws RefusedException naming the file and the fix
   */
  static PrivateKey readPrivateKey(String what, Path file) {
    return parseKey(what, file, readKey(what, file));
  }

  /** Every certificate of a PEM file, {@code what} naming it in refusals. */
  static List<X509Certificate> readCertificates(String what, Path file) {
    return certificates(what, file, read(what, file));
  }

  private static byte[] readKey(String what, Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw refuse(
          what
              + " "
              + file
              + (Files.exists(file) ? " is not a regular file" : " does not exist")
              + "; give this node's private key file ("
              + MAKE
              + ")");
    }
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> perms;
      try {
        perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        throw refuse(
            "cannot read the permissions of "
                + what
                + " "
                + file
                + "; make it readable by the user running this node: chmod 600 "
                + file);
      }
      Set<PosixFilePermission> others = EnumSet.copyOf(perms);
      others.removeAll(OWNER_ONLY);
      if (!others.isEmpty()) {
        throw refuse(
            what
                + " "
                + file
                + " is readable or writable by others (mode "
                + PosixFilePermissions.toString(perms)
                + "); a secret key must be owner-only: chmod 600 "
                + file
                + " (and consider the key exposed if others could read it: issue a new one)");
      }
    }
    return read(what, file);
  }

  private static byte[] read(String key, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (AccessDeniedException e) {
      throw refuse(
          key
              + " "
              + file
              + " cannot be read (permission denied); give it to the user running this node: "
              + "chown <user> "
              + file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw refuse(key + " " + file + " does not exist; " + MAKE);
    } catch (IOException e) {
      throw refuse(
          key + " " + file + " cannot be read (" + e.getClass().getSimpleName() + "); " + MAKE);
    }
  }

  private static PrivateKey parseKey(String what, Path file, byte[] pem) {
    Object parsed;
    try (PEMParser parser =
        new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      parsed = null;
    }
    if (parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw refuse(
          what
              + " "
              + file
              + " holds an encrypted key; give it unencrypted (PKCS#8 'BEGIN PRIVATE KEY'), "
              + "protected by its owner-only permissions (chmod 600)");
    }
    if (parsed instanceof PEMKeyPair) {
      throw refuse(
          what
              + " "
              + file
              + " holds a key in the older 'BEGIN EC/RSA PRIVATE KEY' form; convert it to PKCS#8: "
              + "openssl pkcs8 -topk8 -nocrypt -in "
              + file
              + " -out NEW_FILE (or issue a new one: cluster-ca issue)");
    }
    if (!(parsed instanceof PrivateKeyInfo info)) {
      throw refuse(
          what
              + " "
              + file
              + " is not a PEM private key ('-----BEGIN PRIVATE KEY-----' expected; a certificate "
              + "goes in cluster.tls.certFile); "
              + MAKE);
    }
    PrivateKey key;
    try {
      key = new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw refuse(what + " " + file + " holds a damaged or unknown key; " + MAKE);
    }
    if (!key.getAlgorithm().equals("EC") && !key.getAlgorithm().equals("RSA")) {
      throw refuse(
          what
              + " "
              + file
              + " holds a "
              + key.getAlgorithm()
              + " key; the event bus takes EC (P-256) or RSA keys: "
              + MAKE);
    }
    return key;
  }

  private static List<X509Certificate> certificates(String key, Path file, byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      throw refuse(
          key
              + " "
              + file
              + " holds no PEM certificate ('-----BEGIN CERTIFICATE-----' expected"
              + (text.contains("PRIVATE KEY")
                  ? "; it holds a private key, which goes in keyFile"
                  : "")
              + "); "
              + MAKE);
    }
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var c : factory.generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
    } catch (CertificateException | RuntimeException e) {
      throw refuse(key + " " + file + " holds a damaged certificate; " + MAKE);
    }
    if (out.isEmpty()) {
      throw refuse(key + " " + file + " holds no certificate; " + MAKE);
    }
    return out;
  }

  private static void checkValidity(String key, Path file, X509Certificate c, Instant now) {
    Date at = Date.from(now);
    if (at.before(c.getNotBefore())) {
      throw refuse(
          key
              + " "
              + file
              + ": certificate '"
              + c.getSubjectX500Principal().getName()
              + "' is not valid before "
              + c.getNotBefore().toInstant()
              + "; check this host's clock, or issue one valid now");
    }
    if (!at.before(c.getNotAfter())) {
      throw refuse(
          key
              + " "
              + file
              + ": certificate '"
              + c.getSubjectX500Principal().getName()
              + "' expired at "
              + c.getNotAfter().toInstant()
              + "; issue a new one (docs/OPERATIONS.md, \"Clusters across hosts\")");
    }
  }

  private static boolean issued(X509Certificate issuer, X509Certificate subject) {
    if (!issuer.getSubjectX500Principal().equals(subject.getIssuerX500Principal())) {
      return false;
    }
    try {
      subject.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code key} is the private half of {@code pub}: a signature by one verifies. */
  private static boolean matches(PrivateKey key, PublicKey pub) {
    if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
      return false;
    }
    String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = "private-processing cluster key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static RefusedException refuse(String message) {
    return new RefusedException("refusing cluster TLS: " + message + "; nothing was started");
  }

  /** A TLS file that cannot be used; the message names the file, what is wrong and the fix. */
  public static final class RefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }
}
