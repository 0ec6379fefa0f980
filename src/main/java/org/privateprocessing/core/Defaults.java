package org.privateprocessing.core;

/**
 * Defaults that more than one role must agree on: each role's listening port (another role's
 * default URL points at it) and how long an enclave's announcement lives at a gateway. Kept here so
 * that no role reads another role's options class for them.
 */
public final class Defaults {
  /** The relay's client-facing port. */
  public static final int RELAY_PORT = 8080;

  /** The gateway's port, which the relay forwards to. */
  public static final int GATEWAY_PORT = 8081;

  /** The issuer's port, whose directory gateways and clients read. */
  public static final int ISSUER_PORT = 8082;

  /** The transparency log's port. */
  public static final int LOG_PORT = 8083;

  /** The enclave's RA-TLS port. */
  public static final int ENCLAVE_TLS_PORT = 8443;

  /**
   * How long a gateway keeps an enclave it has not heard from again, unless the announcement says
   * otherwise; the enclave's heartbeat must be well inside it.
   */
  public static final long ANNOUNCE_TTL_MS = 3_000;

  private Defaults() {}
}
