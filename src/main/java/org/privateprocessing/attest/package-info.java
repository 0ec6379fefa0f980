/**
 * AMD SEV-SNP attestation: the ATTESTATION_REPORT structure ({@link org.privateprocessing.attest.SnpReport},
 * AMD SEV-SNP ABI specification 56860), AMD's key hierarchy ARK -&gt; ASK -&gt; VCEK
 * ({@link org.privateprocessing.attest.AmdProduct}, VCEK/KDS specification 57230) and a verifier
 * ({@link org.privateprocessing.attest.SnpVerifier}) that turns evidence and an
 * {@link org.privateprocessing.attest.AttestationPolicy} into one typed
 * {@link org.privateprocessing.attest.Verdict}.
 *
 * <p>Fail closed: anything not positively verified is refused and the refusal names its
 * {@link org.privateprocessing.attest.Check}. AMD's ARK/ASK for Milan, Genoa and Turin ship as
 * resources under {@code /attest/amd/}; a chain must end in those ARK bytes. Nothing here does I/O
 * beyond reading those resources, and nothing logs.
 */
package org.privateprocessing.attest;
