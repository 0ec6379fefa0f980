/**
 * AMD SEV-SNP attestation: the ATTESTATION_REPORT structure ({@link
 * org.privateprocessing.attest.SnpReport}, AMD SEV-SNP ABI specification 56860), AMD's key
 * hierarchy ARK -&gt; ASK -&gt; VCEK ({@link org.privateprocessing.attest.AmdProduct}, VCEK/KDS
 * specification 57230) and a verifier ({@link org.privateprocessing.attest.SnpVerifier}) that turns
 * evidence and an {@link org.privateprocessing.attest.AttestationPolicy} into one typed {@link
 * org.privateprocessing.attest.Verdict}.
 *
 * <p>Fail closed: anything not positively verified is refused and the refusal names its {@link
 * org.privateprocessing.attest.Check}. AMD's ARK/ASK for Milan, Genoa and Turin ship as resources
 * under {@code /attest/amd/}; a chain must end in those ARK bytes, unless the caller explicitly
 * trusts one simulated root ({@link org.privateprocessing.attest.TrustAnchors}).
 *
 * <p>The attesting side: {@link org.privateprocessing.attest.ReportDataBinding} (what REPORT_DATA
 * commits to) and {@link org.privateprocessing.attest.AttestationProvider}s producing evidence:
 * {@link org.privateprocessing.attest.ConfigfsTsmProvider} (Linux configfs-tsm, real hardware; the
 * only class here doing file I/O) and {@link org.privateprocessing.attest.SimulatedSnpProvider}
 * (SIMULATED, development only). Evidence from either is checked by the same {@link
 * org.privateprocessing.attest.SnpVerifier} code. Nothing here logs.
 */
package org.privateprocessing.attest;
