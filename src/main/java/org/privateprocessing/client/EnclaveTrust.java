package org.privateprocessing.client;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.EvidenceFormatException;
import org.privateprocessing.attest.SnpFormatException;
import org.privateprocessing.attest.SnpReport;
import org.privateprocessing.attest.TrustAnchors;
import org.privateprocessing.attest.Verdict;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.OhttpException;

/**
 * What a client needs to believe an enclave before it sends it anything: the roots its evidence
 * must chain to (AMD's, or an explicitly trusted simulated root in the demo), which launch
 * measurements are acceptable, and how old evidence may be. Set out of band — never learnt from the
 * server being checked. There is no setting that skips any of it: a client without allowed
 * measurements trusts no enclave.
 */
public final class EnclaveTrust {
  /** Evidence older than this is refused unless the caller sets another bound. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  private final TrustAnchors anchors;
  private final Set<String> measurements;
  private final Duration maxAge;
  private final Clock clock;

  private EnclaveTrust(
      TrustAnchors anchors, Set<String> measurements, Duration maxAge, Clock clock) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.measurements = Set.copyOf(measurements);
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Trusts nothing: every enclave is refused, with a message that says how to configure trust. */
  public static EnclaveTrust none() {
    return new EnclaveTrust(TrustAnchors.amdOnly(), Set.of(), DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /**
   * Enclaves on AMD SEV-SNP hardware (AMD's shipped roots) running one of {@code measurements}
   * (hex, 96 digits each).
   */
  public static EnclaveTrust amd(Collection<String> measurements) {
    return new EnclaveTrust(
        TrustAnchors.amdOnly(), normalise(measurements), DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /**
   * Demo and development only: also trusts evidence signed by this simulated root (which the demo
   * made itself and handed over in-process or in a local file, never over the network).
   */
  public static EnclaveTrust simulated(
      X509Certificate simulatedRoot, Collection<String> measurements) {
    return simulated(TrustAnchors.trustSimulatedRoot(simulatedRoot), measurements);
  }

  /**
   * As {@link #simulated(X509Certificate, Collection)} with anchors naming one or more simulated
   * roots.
   */
  public static EnclaveTrust simulated(TrustAnchors anchors, Collection<String> measurements) {
    return new EnclaveTrust(anchors, normalise(measurements), DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  public EnclaveTrust withMaxAge(Duration age) {
    if (age.isNegative() || age.isZero() || age.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("evidence age bound must be between 0 and 24 hours");
    }
    return new EnclaveTrust(anchors, measurements, age, clock);
  }

  public EnclaveTrust withClock(Clock c) {
    return new EnclaveTrust(anchors, measurements, maxAge, c);
  }

  /** Also allows these measurements (hex), e.g. those proven to be in the transparency log. */
  public EnclaveTrust allowing(Collection<String> more) {
    List<String> all = new ArrayList<>(measurements);
    all.addAll(normalise(more));
    return new EnclaveTrust(anchors, Set.copyOf(all), maxAge, clock);
  }

  public Set<String> measurements() {
    return measurements;
  }

  public TrustAnchors anchors() {
    return anchors;
  }

  /**
   * The outcome for one listed enclave: verified, with the keys to seal to, or refused with why.
   */
  public sealed interface Outcome {
    String id();
  }

  /** Evidence verified; {@code descriptor} carries the key configs the evidence binds. */
  public record Verified(String id, EnclaveDescriptor descriptor, SnpReport report)
      implements Outcome {}

  /** Not verified; {@code reason} says which check failed, for the error a user sees. */
  public record Refused(String id, String reason) implements Outcome {
    @Override
    public String toString() {
      return id + ": " + reason;
    }
  }

  /**
   * Verifies one entry of {@code GET /v1/enclaves}.
   *
   * @param evidenceB64 the entry's {@code evidence} (base64url), null when absent
   * @param listedConfigs the key configs the entry lists; they must be the ones the evidence binds
   */
  public Outcome verify(String id, String evidenceB64, List<KeyConfig> listedConfigs) {
    return verify(id, evidenceB64, listedConfigs, null);
  }

  /**
   * As {@link #verify(String, String, List)}, for a client that requires the transparency log.
   *
   * @param loggedMeasurement the measurement of this enclave's release as proven in the log, empty
   *     when there is no proof; null when this client does not use a log
   */
  public Outcome verify(
      String id,
      String evidenceB64,
      List<KeyConfig> listedConfigs,
      java.util.Optional<String> loggedMeasurement) {
    try {
      return check(id, evidenceB64, listedConfigs, loggedMeasurement);
    } catch (RuntimeException e) {
      // Fail closed on anything unforeseen in the verifier, rather than failing the whole listing.
      return new Refused(
          id, "its evidence could not be verified (" + e.getClass().getSimpleName() + ")");
    }
  }

  private Outcome check(
      String id,
      String evidenceB64,
      List<KeyConfig> listedConfigs,
      java.util.Optional<String> loggedMeasurement) {
    if (evidenceB64 == null) {
      return new Refused(id, "the gateway lists it without attestation evidence");
    }
    EnclaveEvidence evidence;
    byte[] claimed;
    try {
      evidence = EnclaveEvidence.parse(Base64.getUrlDecoder().decode(evidenceB64));
      claimed = SnpReport.parse(evidence.report()).measurement();
    } catch (EvidenceFormatException | SnpFormatException | IllegalArgumentException e) {
      return new Refused(id, "its evidence cannot be read (" + e.getMessage() + ")");
    }
    String hex = HexFormat.of().formatHex(claimed);
    if (loggedMeasurement != null) {
      // With a log, a release must be public: proven in the log, whatever else is configured.
      if (loggedMeasurement.isEmpty() || !loggedMeasurement.get().equals(hex)) {
        return new Refused(
            id,
            "refused by TRANSPARENCY: measurement "
                + hex.substring(0, 16)
                + "... is not proven to be in the transparency log");
      }
      if (!measurements.isEmpty() && !measurements.contains(hex)) {
        return new Refused(
            id,
            "refused by MEASUREMENT: "
                + hex.substring(0, 16)
                + "... is logged but not allowed here");
      }
    } else if (measurements.isEmpty()) {
      return new Refused(
          id,
          "this client trusts no enclave measurement yet (configure the measurements "
              + "to accept, or a transparency log that lists them)");
    } else if (!measurements.contains(hex)) {
      return new Refused(
          id, "refused by MEASUREMENT: " + hex.substring(0, 16) + "... is not an allowed release");
    }
    AttestationPolicy policy =
        AttestationPolicy.requireMeasurements(List.of(claimed)).withMaxEvidenceAge(maxAge);
    Verdict verdict = evidence.verify(policy, clock.instant(), anchors);
    if (verdict instanceof Verdict.Refused r) {
      return new Refused(id, r.toString());
    }
    List<KeyConfig> bound;
    try {
      bound = KeyConfigs.parse(evidence.keyConfigs());
    } catch (OhttpException e) {
      return new Refused(id, "the key configs its evidence binds cannot be read");
    }
    if (!encoded(bound).equals(encoded(listedConfigs))) {
      return new Refused(id, "the key configs listed are not the ones its evidence binds");
    }
    return new Verified(
        id, new EnclaveDescriptor(id, bound, hex), ((Verdict.Accepted) verdict).report());
  }

  private static List<String> encoded(List<KeyConfig> configs) {
    return configs.stream()
        .map(c -> HexFormat.of().formatHex(c.encode()))
        .collect(Collectors.toList());
  }

  private static Set<String> normalise(Collection<String> hex) {
    Set<String> out = new java.util.HashSet<>();
    for (String h : hex) {
      String n = h.trim().toLowerCase(java.util.Locale.ROOT);
      if (!n.matches("[0-9a-f]{96}")) {
        throw new IllegalArgumentException(
            "a measurement is 96 hex digits (SHA-384), not '" + h + "'");
      }
      out.add(n);
    }
    return out;
  }

  @Override
  public String toString() {
    return "EnclaveTrust["
        + anchors
        + ", "
        + measurements.size()
        + " measurement(s), max age "
        + maxAge
        + "]";
  }
}
