package org.privateprocessing.attest;

/** Test access to simulated guests that allow DEBUG, for tests outside this package. */
public final class DebugGuests {
  private DebugGuests() {}

  /**
   * A provider with {@code simulated}'s keys whose reports claim a guest policy that allows DEBUG.
   */
  public static AttestationProvider of(SimulatedSnpProvider simulated) {
    return reportData ->
        simulated.attest(
            reportData, SimulatedSnpProvider.GUEST_POLICY | 1L << GuestPolicy.DEBUG_BIT);
  }
}
