package org.privateprocessing.token;

/** Media types of the Privacy Pass issuance protocol (RFC 9578 section 8.2 and 8.3). */
public final class MediaTypes {
  /** Body of a token request to the issuer, RFC 9578 sections 5.1 and 6.1. */
  public static final String TOKEN_REQUEST = "application/private-token-request";

  /** Body of the issuer's token response, RFC 9578 sections 5.2 and 6.2. */
  public static final String TOKEN_RESPONSE = "application/private-token-response";

  /** The issuer directory, RFC 9578 section 4 (also {@link IssuerDirectory#MEDIA_TYPE}). */
  public static final String ISSUER_DIRECTORY = IssuerDirectory.MEDIA_TYPE;

  /** The well-known path of the issuer directory, RFC 9578 section 4. */
  public static final String ISSUER_DIRECTORY_PATH = "/.well-known/private-token-issuer-directory";

  private MediaTypes() {}
}
