package org.privateprocessing.attest;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a relying party requires of a SEV-SNP guest beyond a genuine AMD signature: no debugging, a
 * minimum TCB, one of the known launch measurements, the expected REPORT_DATA binding and fresh
 * evidence. Immutable; build with {@link #requireMeasurements} and the {@code with...} methods.
 *
 * @param allowDebug accept guests whose policy allows DEBUG (only for development)
 * @param requiredVmpl the VMPL the report must come from (e.g. 0, the most privileged), if any
 * @param minimumTcb REPORTED_TCB must be at least this, per component (Milan/Genoa layout)
 * @param allowedMeasurements lowercase hex of the accepted MEASUREMENT values
 * @param anyMeasurement accept every measurement; only {@link #auditAnyMeasurement()} sets it
 * @param maxEvidenceAge evidence older than this (by the caller's evidence time) is refused
 * @param expectedReportData the exact 64-byte REPORT_DATA, as hex, if one is required
 */
public record AttestationPolicy(
    boolean allowDebug,
    Optional<Integer> requiredVmpl,
    Optional<TcbVersion> minimumTcb,
    List<String> allowedMeasurements,
    boolean anyMeasurement,
    Optional<Duration> maxEvidenceAge,
    Optional<String> expectedReportData) {

  public AttestationPolicy {
    Objects.requireNonNull(requiredVmpl, "requiredVmpl");
    Objects.requireNonNull(minimumTcb, "minimumTcb");
    if (requiredVmpl.isPresent() && (requiredVmpl.get() < 0 || requiredVmpl.get() > 3)) {
      throw new IllegalArgumentException("VMPL is 0..3");
    }
    Objects.requireNonNull(maxEvidenceAge, "maxEvidenceAge");
    Objects.requireNonNull(expectedReportData, "expectedReportData");
    allowedMeasurements =
        allowedMeasurements.stream().map(m -> normalise(m, 48, "measurement")).toList();
    expectedReportData = expectedReportData.map(d -> normalise(d, 64, "report data"));
    // An empty allow-list must never silently mean "anything": that is an explicit audit choice.
    if (!anyMeasurement && allowedMeasurements.isEmpty()) {
      throw new IllegalArgumentException("name at least one allowed measurement");
    }
    if (maxEvidenceAge.isPresent() && maxEvidenceAge.get().isNegative()) {
      throw new IllegalArgumentException("maximum evidence age must not be negative");
    }
  }

  private static String normalise(String hex, int length, String what) {
    String h = hex.toLowerCase(Locale.ROOT);
    if (HexFormat.of().parseHex(h).length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes");
    }
    return h;
  }

  /** A policy accepting only these launch measurements (48 bytes each), debugging refused. */
  public static AttestationPolicy requireMeasurements(Collection<byte[]> measurements) {
    List<String> hex = measurements.stream().map(HexFormat.of()::formatHex).toList();
    return new AttestationPolicy(
        false, Optional.empty(), Optional.empty(), hex, false, Optional.empty(), Optional.empty());
  }

  /**
   * A policy accepting any measurement, for auditors inspecting a report (the {@code attest verify}
   * command) — never for a client deciding whether to send data to an enclave.
   */
  public static AttestationPolicy auditAnyMeasurement() {
    return new AttestationPolicy(
        false,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        true,
        Optional.empty(),
        Optional.empty());
  }

  /** This policy, but accepting guests that allow debugging. */
  public AttestationPolicy allowingDebug() {
    return new AttestationPolicy(
        true,
        requiredVmpl,
        minimumTcb,
        allowedMeasurements,
        anyMeasurement,
        maxEvidenceAge,
        expectedReportData);
  }

  /** This policy requiring the report to come from {@code vmpl} (0..3). */
  public AttestationPolicy withVmpl(int vmpl) {
    return new AttestationPolicy(
        allowDebug,
        Optional.of(vmpl),
        minimumTcb,
        allowedMeasurements,
        anyMeasurement,
        maxEvidenceAge,
        expectedReportData);
  }

  /** This policy with a minimum REPORTED_TCB. */
  public AttestationPolicy withMinimumTcb(TcbVersion minimum) {
    return new AttestationPolicy(
        allowDebug,
        requiredVmpl,
        Optional.of(minimum),
        allowedMeasurements,
        anyMeasurement,
        maxEvidenceAge,
        expectedReportData);
  }

  /** This policy with a maximum age of the evidence, measured from the caller's evidence time. */
  public AttestationPolicy withMaxEvidenceAge(Duration maxAge) {
    return new AttestationPolicy(
        allowDebug,
        requiredVmpl,
        minimumTcb,
        allowedMeasurements,
        anyMeasurement,
        Optional.of(maxAge),
        expectedReportData);
  }

  /** This policy requiring REPORT_DATA to be exactly these 64 bytes. */
  public AttestationPolicy withReportData(byte[] reportData) {
    return new AttestationPolicy(
        allowDebug,
        requiredVmpl,
        minimumTcb,
        allowedMeasurements,
        anyMeasurement,
        maxEvidenceAge,
        Optional.of(HexFormat.of().formatHex(reportData)));
  }

  boolean allowsMeasurement(byte[] measurement) {
    return anyMeasurement || allowedMeasurements.contains(HexFormat.of().formatHex(measurement));
  }

  boolean reportDataMatches(byte[] reportData) {
    return expectedReportData
        .map(e -> Arrays.equals(HexFormat.of().parseHex(e), reportData))
        .orElse(true);
  }
}
