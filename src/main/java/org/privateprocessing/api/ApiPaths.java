package org.privateprocessing.api;

/**
 * The paths of this project's own HTTP API (DESIGN.md section 3): the inner requests a client seals
 * to the gateway and to an enclave, and the enclave's RA-TLS listener. Tests keep the literal
 * paths, so that changing one here breaks them.
 */
public final class ApiPaths {
  /** The gateway's listing of live enclaves: {@code GET}, optionally {@code ?since=<tree size>}. */
  public static final String ENCLAVES = "/v1/enclaves";

  /**
   * Prefix of a request for one enclave: {@code POST /v1/enclave/<id>}, whose body is sealed to
   * that enclave; the gateway forwards it unopened.
   */
  public static final String ENCLAVE_PREFIX = "/v1/enclave/";

  /** Summarise a chat: {@code POST}, a {@link SummarizeRequest}. */
  public static final String SUMMARIZE = "/v1/summarize";

  /** Suggest a better wording of a draft: {@code POST}, a {@link SuggestRequest}. */
  public static final String SUGGEST = "/v1/suggest";

  /** The enclave's attestation evidence on its RA-TLS listener: {@code GET}. */
  public static final String EVIDENCE = "/v1/evidence";

  private ApiPaths() {}
}
