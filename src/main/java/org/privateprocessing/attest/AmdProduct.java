package org.privateprocessing.attest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * An AMD EPYC product line with its AMD Root Key (ARK) and AMD SEV Key (ASK), shipped as resources
 * under {@code /attest/amd/} (AMD KDS {@code /vcek/v1/{product}/cert_chain}, identical in
 * go-sev-guest and virtee/sev). The ARK is the trust anchor: a chain must end in exactly these
 * bytes.
 */
public enum AmdProduct {
  MILAN("Milan"),
  GENOA("Genoa"),
  TURIN("Turin");

  private final String name;
  private volatile X509Certificate ark;
  private volatile X509Certificate ask;

  AmdProduct(String name) {
    this.name = name;
  }

  /** The name AMD uses in certificate subjects and KDS URLs ("Milan", "Genoa", "Turin"). */
  public String productName() {
    return name;
  }

  /** CN of the ASK, which is the VCEK's issuer: "SEV-Milan" ... */
  public String askCommonName() {
    return "SEV-" + name;
  }

  /** CN of the ARK: "ARK-Milan" ... */
  public String arkCommonName() {
    return "ARK-" + name;
  }

  /** The shipped ARK (self-signed, RSA-4096, RSASSA-PSS with SHA-384). */
  public X509Certificate ark() {
    X509Certificate c = ark;
    if (c == null) {
      c = load("ark");
      ark = c;
    }
    return c;
  }

  /** The shipped ASK, signed by {@link #ark()}. */
  public X509Certificate ask() {
    X509Certificate c = ask;
    if (c == null) {
      c = load("ask");
      ask = c;
    }
    return c;
  }

  /** The product line whose ASK issued this VCEK, by the issuer's CN ("SEV-Milan" ...). */
  public static Optional<AmdProduct> ofVcek(X509Certificate vcek) {
    String cn = commonName(vcek.getIssuerX500Principal());
    for (AmdProduct p : values()) {
      if (p.askCommonName().equals(cn)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static String commonName(X500Principal principal) {
    try {
      for (var rdn : new javax.naming.ldap.LdapName(principal.getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      return "";
    }
    return "";
  }

  private X509Certificate load(String kind) {
    String path = "/attest/amd/" + kind + "-" + name.toLowerCase(java.util.Locale.ROOT) + ".pem";
    try (InputStream in = AmdProduct.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return Certificates.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException("unreadable resource " + path, e);
    }
  }
}
