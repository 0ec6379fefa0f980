package org.privateprocessing.client;

import java.util.List;
import org.privateprocessing.token.TokenChallenge;

/**
 * What {@code GET /v1/enclaves} tells a client: the live enclaves and the token challenges the
 * gateway accepts (preferred first).
 */
public record GatewayListing(List<EnclaveDescriptor> enclaves, List<TokenChallenge> tokenChallenges) {
  public GatewayListing {
    enclaves = List.copyOf(enclaves);
    tokenChallenges = List.copyOf(tokenChallenges);
  }
}
