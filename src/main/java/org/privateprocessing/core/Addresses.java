package org.privateprocessing.core;

/**
 * Every event-bus address of the system, in one place: the gateway's credential stage, the
 * enclaves' announcements, and each enclave's own stages. Enclave addresses carry the enclave id so
 * that a gateway reaches exactly the enclave the client chose, on whichever node it runs.
 */
public final class Addresses {
  /**
   * Gateway: outer OHTTP decapsulation, credential check, routing of the inner Binary HTTP request.
   */
  public static final String CREDENTIAL = "pp.credential";

  /** Published by enclaves: their descriptor, periodically (public data only). */
  public static final String ANNOUNCE = "pp.enclaves.announce";

  /** Published by an enclave that stops. */
  public static final String LEAVE = "pp.enclaves.leave";

  /** Published by a gateway that starts, so enclaves announce without waiting for the next beat. */
  public static final String WHO = "pp.enclaves.who";

  private static final String ENCLAVE_PREFIX = "pp.enclave.";

  private Addresses() {}

  /** Attestation handshake of one enclave: is the request for its live key; its description. */
  public static String handshake(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".handshake";
  }

  /** Inference of one enclave: inner decapsulation and the model. */
  public static String infer(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".infer";
  }

  /** Response sealing of one enclave; receives plaintext, so it is only ever reached locally. */
  public static String seal(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".seal";
  }
}
