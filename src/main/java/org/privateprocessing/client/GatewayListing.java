package org.privateprocessing.client;

import java.util.List;
import org.privateprocessing.token.TokenChallenge;

/**
 * What {@code GET /v1/enclaves} tells a client: the live enclaves whose evidence this client
 * verified, those it refused (and why), and the token challenges the gateway accepts (preferred
 * first).
 */
public record GatewayListing(
    List<EnclaveDescriptor> enclaves,
    List<EnclaveTrust.Refused> refused,
    List<TokenChallenge> tokenChallenges) {
  public GatewayListing {
    enclaves = List.copyOf(enclaves);
    refused = List.copyOf(refused);
    tokenChallenges = List.copyOf(tokenChallenges);
  }

  /** Why no enclave can be used: for the error a user sees. */
  public String noneVerifiedReason() {
    if (refused.isEmpty()) {
      return "the gateway lists no live enclave; try again shortly";
    }
    StringBuilder b =
        new StringBuilder("no listed enclave could be verified, so nothing was sent: ");
    for (int i = 0; i < refused.size() && i < 3; i++) {
      b.append(i == 0 ? "" : "; ").append(refused.get(i));
    }
    if (refused.size() > 3) {
      b.append("; and ").append(refused.size() - 3).append(" more");
    }
    return b.toString();
  }
}
