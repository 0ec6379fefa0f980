package org.privateprocessing.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.core.Problems;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.ResponseSealer;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * The gateway's credential stage: opens the outer layer, serves the inner Binary HTTP request
 * ({@code GET /v1/enclaves}, {@code POST /v1/enclave/<id>}) and seals every outcome back into the
 * outer layer, so the relay learns nothing but sizes. Only a request whose outer layer cannot be
 * opened fails plainly, because there is no key to answer it with.
 *
 * <p>A request for an enclave must carry a Privacy Pass token ({@link CredentialCheck}); the
 * gateway learns that some entitled user asked, not which one. The inner body stays opaque to the
 * gateway (it is sealed to the enclave's key).
 *
 * <p>Which enclaves exist comes from the {@link EnclaveRegistry}: the listing is the live entries'
 * descriptors, and a request for an enclave that is gone is refused as retryable before its token
 * is looked at, so the client keeps its token for another enclave.
 */
public final class GatewayRouter {
  private final GatewayIdentity identity;
  private final EnclaveRegistry registry;
  private final EnclaveLink enclaves;
  private final CredentialCheck credentials;
  private final String issuerDirectoryUrl;
  private final SecureRandom random;
  private final TransparencyView transparency;

  /**
   * @param issuerDirectoryUrl where clients get tokens for this gateway's challenges, listed in
   *     {@code GET /v1/enclaves} (informational: a client uses the issuer it was configured with)
   */
  public GatewayRouter(
      GatewayIdentity identity,
      EnclaveRegistry registry,
      EnclaveLink enclaves,
      CredentialCheck credentials,
      String issuerDirectoryUrl,
      SecureRandom random) {
    this(identity, registry, enclaves, credentials, issuerDirectoryUrl, random, null);
  }

  /**
   * As above, adding transparency log proofs to every listing when {@code transparency} is not
   * null.
   */
  public GatewayRouter(
      GatewayIdentity identity,
      EnclaveRegistry registry,
      EnclaveLink enclaves,
      CredentialCheck credentials,
      String issuerDirectoryUrl,
      SecureRandom random,
      TransparencyView transparency) {
    this.transparency = transparency;
    this.identity = identity;
    this.registry = registry;
    this.enclaves = enclaves;
    this.credentials = credentials;
    this.issuerDirectoryUrl = issuerDirectoryUrl;
    this.random = random;
  }

  /**
   * Handles one outer encapsulated request. Fails (with a 400 {@link PipelineException}) only when
   * the outer layer cannot be opened; otherwise completes with the outer encapsulated response.
   */
  public Future<byte[]> handle(byte[] outerRequest) {
    return handle(outerRequest, problem -> {});
  }

  /**
   * As {@link #handle(byte[])}, telling {@code sealedProblem} the problem this gateway sealed into
   * the answer, if it answered with one of its own (a refused token, an unknown path, no enclave):
   * the HTTP status of a sealed answer is 200 whatever it holds, and the node's metrics count the
   * gateway's refusals by type. Never told of what an enclave answered: that is sealed to the
   * client, and the gateway cannot read it.
   */
  public Future<byte[]> handle(byte[] outerRequest, Consumer<PipelineException> sealedProblem) {
    DecapsulatedRequest opened;
    try {
      opened = identity.decapsulate(outerRequest);
    } catch (OhttpException e) {
      return Future.failedFuture(Problems.toPipelineException(e));
    }
    ResponseSealer sealer = opened.sealer();
    Future<BinaryHttpResponse> response;
    try {
      response = route(BinaryHttpRequest.parse(opened.content()));
    } catch (BinaryHttpException | RuntimeException e) {
      response = Future.failedFuture(e);
    }
    return response
        .recover(
            t -> {
              sealedProblem.accept(Problems.toPipelineException(t));
              return Future.succeededFuture(BinaryResponses.problem(t));
            })
        .map(r -> sealer.seal(r.encode(), random));
  }

  private Future<BinaryHttpResponse> route(BinaryHttpRequest request) {
    String path = request.path();
    if (ApiPaths.ENCLAVES.equals(path) || path.startsWith(ApiPaths.ENCLAVES + "?")) {
      if (!"GET".equals(request.method())) {
        return methodNotAllowed(ApiPaths.ENCLAVES, "GET");
      }
      OptionalLong since;
      try {
        since = since(path);
      } catch (PipelineException e) {
        return Future.failedFuture(e);
      }
      return listEnclaves(since);
    }
    if (path.startsWith(ApiPaths.ENCLAVE_PREFIX)) {
      if (!"POST".equals(request.method())) {
        return methodNotAllowed(path, "POST");
      }
      return forward(path.substring(ApiPaths.ENCLAVE_PREFIX.length()), request);
    }
    return Future.failedFuture(
        PipelineException.of(
            ProblemType.NO_SUCH_ENDPOINT,
            "the gateway serves GET /v1/enclaves and POST /v1/enclave/<id>"));
  }

  /** {@code ?since=N}: the tree size of the newest log checkpoint the client has seen. */
  private static OptionalLong since(String path) throws PipelineException {
    int q = path.indexOf('?');
    if (q < 0) {
      return OptionalLong.empty();
    }
    String query = path.substring(q + 1);
    if (!query.matches("since=[0-9]{1,18}")) {
      throw PipelineException.of(
          ProblemType.BAD_QUERY, "GET /v1/enclaves takes only ?since=<tree size>");
    }
    return OptionalLong.of(Long.parseLong(query.substring(6)));
  }

  /** Lists the enclaves whose announcements are fresh, as they described themselves. */
  private Future<BinaryHttpResponse> listEnclaves(OptionalLong since) {
    JsonArray live = new JsonArray();
    registry.live().forEach(live::add);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JsonArray challenges = new JsonArray();
    credentials.challenges().forEach(c -> challenges.add(b64.encodeToString(c.encode())));
    JsonObject listing =
        new JsonObject()
            .put("enclaves", live)
            .put("tokenChallenge", challenges.isEmpty() ? null : challenges.getString(0))
            .put("tokenChallenges", challenges)
            .put("issuer", issuerDirectoryUrl);
    Future<JsonObject> full =
        transparency == null
            ? Future.succeededFuture(listing)
            : transparency
                .annotate(listing, since)
                .recover(
                    e ->
                        Future.failedFuture(
                            PipelineException.of(
                                ProblemType.LOG_UNAVAILABLE,
                                "the transparency log cannot be read now; try again")));
    return full.map(
        l -> BinaryResponses.ok(BinaryResponses.JSON, l.encode().getBytes(StandardCharsets.UTF_8)));
  }

  private Future<BinaryHttpResponse> forward(String enclaveId, BinaryHttpRequest request) {
    return admit(enclaveId, request, MediaTypes.OHTTP_REQUEST)
        .compose(spent -> enclaves.forward(enclaveId, request.content()))
        .map(inner -> BinaryResponses.ok(MediaTypes.OHTTP_RESPONSE, inner));
  }

  /**
   * The checks before a request goes to an enclave, in order: the enclave is live, the body is of
   * {@code mediaType}, and last the token, which is spent, so that a request refused for another
   * reason spends none.
   */
  Future<Void> admit(String enclaveId, BinaryHttpRequest request, String mediaType) {
    switch (registry.status(enclaveId)) {
      case UNKNOWN:
        return Future.failedFuture(
            PipelineException.of(
                ProblemType.UNKNOWN_ENCLAVE,
                "no enclave has id '" + printable(enclaveId) + "'; GET /v1/enclaves lists them"));
      case GONE:
        return Future.failedFuture(
            PipelineException.of(
                ProblemType.ENCLAVE_UNAVAILABLE,
                "enclave '"
                    + printable(enclaveId)
                    + "' is no longer serving; GET /v1/enclaves lists the live ones"));
      default:
        break;
    }
    if (!MediaTypes.essence(request.header("content-type").orElse(null)).equals(mediaType)) {
      return Future.failedFuture(
          PipelineException.of(
              ProblemType.UNSUPPORTED_MEDIA_TYPE, "the body for an enclave must be " + mediaType));
    }
    // Last of the checks: a request refused for another reason spends no token.
    return credentials.check(request.header("authorization"));
  }

  /** Serves an inner request whole, as {@link #handle} does once the outer layer is open. */
  Future<BinaryHttpResponse> serve(BinaryHttpRequest request) {
    return route(request);
  }

  private static Future<BinaryHttpResponse> methodNotAllowed(String path, String allowed) {
    return Future.failedFuture(
        PipelineException.of(
            ProblemType.METHOD_NOT_ALLOWED, path + " accepts " + allowed + " only"));
  }

  /** Ids are hex; anything else is cut and stripped so a detail never echoes arbitrary input. */
  private static String printable(String id) {
    String cut = id.length() > 64 ? id.substring(0, 64) : id;
    return cut.replaceAll("[^0-9A-Za-z._-]", "?");
  }
}
