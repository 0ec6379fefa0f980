package org.privateprocessing.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.api.EnclaveInfo;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.client.PrivateProcessingException.Source;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenException;

/**
 * The device side of Private Processing. Every call goes to the relay only, sealed twice: the inner
 * layer to the chosen enclave's key (the gateway cannot read it), the outer layer to the gateway's
 * key (the relay cannot read it). Each sealed request is single-use and opens exactly its own
 * response.
 *
 * <p>Each request carries a Privacy Pass token from the {@link TokenWallet}: the gateway learns
 * that an entitled user asked, not who. Not yet here (later issues): attestation and
 * transparency-log checks; until then the client trusts the enclave keys the gateway lists.
 */
public final class PrivateProcessingClient implements AutoCloseable {
  private static final String ENCLAVE_AUTHORITY = "enclave";

  /** The socket receive buffer of streamed answers. */
  private static final int STREAM_RECEIVE_BUFFER = 64 * 1024;

  private final ClientOptions options;
  private final WebClient http;
  private final Vertx vertx;
  private final HttpClient streams;
  private final SecureRandom random = new SecureRandom();
  private Future<KeyConfig> gatewayKey;
  private final TokenWallet wallet;
  private Future<GatewayListing> listing;
  private long listingFetchedAt;

  private PrivateProcessingClient(Vertx vertx, ClientOptions options) {
    this.options = options;
    this.vertx = vertx;
    this.http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setUserAgentEnabled(false)
                .setFollowRedirects(false)
                .setConnectTimeout((int) Math.min(options.timeoutMs(), Integer.MAX_VALUE)));
    // A fixed receive buffer (no kernel autotuning to megabytes): a reader that stops reading a
    // streamed answer stops the relay within this many bytes.
    this.streams =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setReceiveBufferSize(STREAM_RECEIVE_BUFFER)
                .setConnectTimeout((int) Math.min(options.timeoutMs(), Integer.MAX_VALUE)));
    this.wallet = new TokenWallet(http, options, random);
    if (options.log() != null) {
      wallet.requireKeys(
          key -> {
            LogTrust.Proven p = proven;
            return p != null && p.hasIssuerKey(key);
          });
    }
  }

  /**
   * What the newest verified listing proved to be in the log (null before one, or without a log).
   */
  private volatile LogTrust.Proven proven;

  public static PrivateProcessingClient create(Vertx vertx, ClientOptions options) {
    return new PrivateProcessingClient(vertx, options);
  }

  /** Summarises a chat in an enclave. Refused before anything is sent if the chat opted out. */
  public Future<SummarizeResponse> summarize(SummarizeRequest request) {
    return summarizeWithReceipt(request).map(Answered::answer);
  }

  /**
   * As {@link #summarize(SummarizeRequest)}, with the answer's {@link Receipt}: which verified
   * enclave, release and model answered.
   */
  public Future<Answered<SummarizeResponse>> summarizeWithReceipt(SummarizeRequest request) {
    return summarizeWithReceipt(request, null);
  }

  /**
   * As {@link #summarize(SummarizeRequest, Token)}, with the answer's {@link Receipt}; {@code
   * token} null takes one from the wallet.
   */
  public Future<Answered<SummarizeResponse>> summarizeWithReceipt(
      SummarizeRequest request, Token token) {
    if (request.chat().advancedChatPrivacy()) {
      return Future.failedFuture(advancedChatPrivacy());
    }
    return callEnclave(ApiPaths.SUMMARIZE, request.encode(), token)
        .compose(
            opened ->
                parse(() -> SummarizeResponse.parse(opened.body()))
                    .compose(r -> receipted(r, r.model(), r.enclave(), opened.enclave())));
  }

  /**
   * Summarises with a token obtained elsewhere (another wallet, another implementation of RFC
   * 9578): spends exactly that token, with no retry.
   */
  public Future<SummarizeResponse> summarize(SummarizeRequest request, Token token) {
    return summarizeWithReceipt(request, token).map(Answered::answer);
  }

  /**
   * Suggests rewrites of a draft in an enclave. Refused before anything is sent if the chat opted
   * out.
   */
  public Future<SuggestResponse> suggest(SuggestRequest request) {
    return suggestWithReceipt(request).map(Answered::answer);
  }

  /** As {@link #suggest}, with the answer's {@link Receipt}. */
  public Future<Answered<SuggestResponse>> suggestWithReceipt(SuggestRequest request) {
    if (request.chat().advancedChatPrivacy()) {
      return Future.failedFuture(advancedChatPrivacy());
    }
    return callEnclave(ApiPaths.SUGGEST, request.encode(), null)
        .compose(
            opened ->
                parse(() -> SuggestResponse.parse(opened.body()))
                    .compose(r -> receipted(r, r.model(), r.enclave(), opened.enclave())));
  }

  /** An answer and its receipt. */
  public record Answered<T>(T answer, Receipt receipt) {
    public Answered {
      java.util.Objects.requireNonNull(answer, "answer");
      java.util.Objects.requireNonNull(receipt, "receipt");
    }
  }

  /** An opened inner answer (Binary HTTP content) and the verified enclave that sealed it. */
  private record Sealed(byte[] body, EnclaveDescriptor enclave) {}

  /**
   * Binds an answer to the enclave this client verified and sealed to: the enclave restates its id
   * and measurement inside the sealed answer (authenticated by the inner layer), and they must be
   * the verified ones, or the answer is refused. The receipt is made of the verified values.
   */
  static <T> Future<Answered<T>> receipted(
      T answer, ModelInfo model, EnclaveInfo stated, EnclaveDescriptor verified) {
    if (stated == null
        || !verified.id().equals(stated.id())
        || !verified.measurement().equals(stated.measurement())) {
      return Future.failedFuture(
          new PrivateProcessingException(
              Source.ENCLAVE,
              0,
              "enclave-mismatch",
              "the answer names "
                  + (stated == null
                      ? "no enclave"
                      : "enclave " + stated.id() + " (measurement " + shortHex(stated) + ")")
                  + ", not enclave "
                  + verified.id()
                  + " (measurement "
                  + verified.measurement().substring(0, 16)
                  + "...) that this client verified and sealed to; refusing the answer"));
    }
    try {
      return Future.succeededFuture(
          new Answered<>(
              answer,
              new Receipt(verified.id(), verified.measurement(), model, verified.release())));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          new PrivateProcessingException(
              Source.ENCLAVE,
              0,
              "bad-response",
              "no receipt can be made for this answer: " + e.getMessage()));
    }
  }

  private static String shortHex(EnclaveInfo stated) {
    String m = stated.measurement();
    return m == null ? "none" : m.substring(0, Math.min(16, m.length())) + "...";
  }

  /**
   * The gateway's {@code WWW-Authenticate: PrivateToken ...} value (RFC 9577 section 2.1), as it
   * answers a request without a token. Spends nothing; lets any RFC 9578 client make a token for
   * it.
   */
  public Future<String> challenge() {
    return listing()
        .compose(
            gateway -> {
              if (gateway.enclaves().isEmpty()) {
                return Future.failedFuture(noEnclave(gateway));
              }
              BinaryHttpRequest probe =
                  BinaryHttpRequest.of(
                      "POST",
                      "https",
                      "gateway",
                      ApiPaths.ENCLAVE_PREFIX + gateway.enclaves().get(0).id(),
                      List.of(new Field("content-type", MediaTypes.OHTTP_REQUEST)),
                      new byte[0]);
              return throughGateway(probe, true)
                  .compose(
                      response ->
                          response.status() == 401
                              ? response
                                  .header("www-authenticate")
                                  .map(Future::succeededFuture)
                                  .orElseGet(
                                      () -> Future.failedFuture(refusal(Source.GATEWAY, response)))
                              : Future.failedFuture(refusal(Source.GATEWAY, response)));
            });
  }

  /** The enclaves the gateway lists now (cached for {@link ClientOptions#enclaveCacheMs()}). */
  public Future<List<EnclaveDescriptor>> enclaves() {
    return listing().map(GatewayListing::enclaves);
  }

  /** The wallet that holds this client's Privacy Pass tokens. */
  public TokenWallet wallet() {
    return wallet;
  }

  /** Enclaves and token challenges, as the gateway lists them (cached). */
  public synchronized Future<GatewayListing> listing() {
    long now = System.currentTimeMillis();
    if (listing == null
        || now - listingFetchedAt > options.enclaveCacheMs()
        || (listing.isComplete() && listing.failed())) {
      listingFetchedAt = now;
      listing = fetchListing();
    }
    return listing;
  }

  private Future<GatewayListing> fetchListing() {
    LogTrust log = options.log();
    // With a log, say which checkpoint we saw last, so the gateway brings the consistency proof to
    // it.
    String path =
        log == null || log.newest().isEmpty()
            ? ApiPaths.ENCLAVES
            : ApiPaths.ENCLAVES + "?since=" + log.newest().get().size();
    BinaryHttpRequest list =
        BinaryHttpRequest.of("GET", "https", "gateway", path, List.of(), new byte[0]);
    return gatewayKey()
        .compose(
            usedKey ->
                throughGateway(list, false)
                    .compose(
                        response -> {
                          if (response.status() != 200) {
                            return Future.failedFuture(refusal(Source.GATEWAY, response));
                          }
                          JsonObject root;
                          try {
                            root = new JsonObject(Buffer.buffer(response.content()));
                          } catch (RuntimeException e) {
                            return PrivateProcessingClient.<GatewayListing>parse(
                                () -> {
                                  throw new InvalidRequestException(
                                      "$", "enclave list is not a JSON object");
                                });
                          }
                          LogTrust.Proven verified = null;
                          if (log != null) {
                            try {
                              verified = log.verify(root.getJsonObject("transparency"));
                            } catch (LogTrust.Refusal e) {
                              return Future.failedFuture(
                                  new PrivateProcessingException(
                                      Source.CLIENT, 0, e.type(), e.getMessage()));
                            } catch (ClassCastException e) {
                              return Future.failedFuture(
                                  new PrivateProcessingException(
                                      Source.GATEWAY,
                                      0,
                                      "bad-response",
                                      "the response did not have the expected shape: transparency is not an object"));
                            }
                            if (!verified.hasGatewayKeyConfig(usedKey.encode())) {
                              invalidateGatewayKey();
                              return Future.failedFuture(
                                  new PrivateProcessingException(
                                      Source.CLIENT,
                                      0,
                                      "gateway-key-not-logged",
                                      "the gateway's key config is not in the transparency log: refusing this gateway (a key served "
                                          + "to only some users could single them out)"));
                            }
                            proven = verified;
                          }
                          LogTrust.Proven p = verified;
                          return parse(() -> parseListing(root, options.trust(), log, p));
                        }));
  }

  private Future<Sealed> callEnclave(String path, byte[] json, Token given) {
    return callEnclave(path, json, given, given == null);
  }

  /**
   * One attempt: a fresh token, both layers sealed, through the relay. A 401 from the gateway
   * (spent, retired or refused token) is retried once with a token fetched anew; so is an {@code
   * inner-unknown-key} refusal (the enclave rotated its keys), after fetching the listing again.
   */
  private Future<Sealed> callEnclave(String path, byte[] json, Token given, boolean mayRetry) {
    return listing()
        .compose(
            gateway -> {
              List<EnclaveDescriptor> list = gateway.enclaves();
              if (gateway.tokenChallenges().isEmpty()) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.GATEWAY,
                        0,
                        "no-token-challenge",
                        "the gateway lists no token challenge, so no token can be made for it"));
              }
              if (list.isEmpty()) {
                return Future.failedFuture(noEnclave(gateway));
              }
              EnclaveDescriptor enclave = list.get(random.nextInt(list.size()));
              Future<Token> token =
                  given != null
                      ? Future.succeededFuture(given)
                      : wallet.take(gateway.tokenChallenges().get(0));
              return token
                  .compose(
                      t ->
                          sendToEnclave(enclave, t, path, json)
                              .recover(
                                  err -> {
                                    // The gateway could not open our outer layer (its keys changed:
                                    // a restart, or the relay
                                    // failed over to another gateway), so nothing was processed and
                                    // the token is unspent:
                                    // fetch its keys and listing again and send the same token once
                                    // more.
                                    if (mayRetry
                                        && err instanceof PrivateProcessingException p
                                        && isUnopened(p)) {
                                      invalidateListing();
                                      return callEnclave(path, json, t, false);
                                    }
                                    return Future.failedFuture(err);
                                  }))
                  .recover(
                      t -> {
                        if (mayRetry
                            && t instanceof PrivateProcessingException p
                            && p.source() == Source.GATEWAY
                            && p.status() == 401) {
                          wallet.invalidate();
                          invalidateListing();
                          return callEnclave(path, json, null, false);
                        }
                        if (mayRetry
                            && t instanceof PrivateProcessingException p
                            && isRetiredInnerKey(p)) {
                          // The enclave rotated its keys past the ones in our cached listing (it
                          // refuses them before decrypting anything): fetch the listing and its
                          // evidence again and resend once, with a fresh token (this one is spent).
                          invalidateListing();
                          return callEnclave(path, json, null, false);
                        }
                        if (mayRetry
                            && t instanceof PrivateProcessingException p
                            && isEnclaveUnavailable(p)) {
                          return retryOnAnotherEnclave(enclave.id(), path, json, p);
                        }
                        return Future.failedFuture(t);
                      });
            });
  }

  /**
   * Once, after the gateway said the chosen enclave is unavailable (an encapsulated 503, or 502/504
   * from its link to the enclave): forgets the cached listing, picks another enclave from a fresh
   * one and sends with a fresh token. The failed request's token is not reused (it may be spent);
   * with no other enclave listed, the first refusal stands.
   */
  private Future<Sealed> retryOnAnotherEnclave(
      String failedId, String path, byte[] json, PrivateProcessingException first) {
    invalidateListing();
    return listing()
        .compose(
            gateway -> {
              List<EnclaveDescriptor> others =
                  gateway.enclaves().stream().filter(e -> !e.id().equals(failedId)).toList();
              if (others.isEmpty() || gateway.tokenChallenges().isEmpty()) {
                return Future.<Sealed>failedFuture(first);
              }
              EnclaveDescriptor other = others.get(random.nextInt(others.size()));
              return wallet
                  .take(gateway.tokenChallenges().get(0))
                  .compose(t -> sendToEnclave(other, t, path, json));
            },
            listingFailed -> Future.failedFuture(first));
  }

  private static boolean isEnclaveUnavailable(PrivateProcessingException p) {
    return p.source() == Source.GATEWAY
        && (p.status() == 503 || p.status() == 502 || p.status() == 504);
  }

  private Future<Sealed> sendToEnclave(
      EnclaveDescriptor enclave, Token token, String path, byte[] json) {
    BinaryHttpRequest innerRequest =
        BinaryHttpRequest.of(
            "POST",
            "https",
            ENCLAVE_AUTHORITY,
            path,
            List.of(new Field("content-type", "application/json")),
            json);
    EncapsulatedRequest inner;
    try {
      inner =
          RequestEncapsulator.encapsulate(
              enclave.preferredKeyConfig(), padded(innerRequest), random);
    } catch (OhttpException e) {
      return Future.failedFuture(
          new PrivateProcessingException(
              Source.CLIENT,
              0,
              "ohttp",
              "could not seal to enclave " + enclave.id() + ": " + e.getMessage()));
    }
    BinaryHttpRequest outerRequest =
        BinaryHttpRequest.of(
            "POST",
            "https",
            "gateway",
            ApiPaths.ENCLAVE_PREFIX + enclave.id(),
            List.of(
                new Field("content-type", MediaTypes.OHTTP_REQUEST),
                new Field("authorization", PrivateTokenAuthorization.header(token))),
            inner.bytes());
    return throughGateway(outerRequest, true)
        .compose(
            outer -> {
              if (outer.status() != 200) {
                invalidateListing();
                return Future.failedFuture(refusal(Source.GATEWAY, outer));
              }
              BinaryHttpResponse answer;
              try {
                answer = BinaryHttpResponse.parse(inner.opener().open(outer.content()));
              } catch (OhttpException | BinaryHttpException e) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.ENCLAVE,
                        0,
                        "bad-inner-response",
                        "the enclave's response could not be opened: " + e.getMessage()));
              }
              if (answer.status() != 200) {
                return Future.failedFuture(refusal(Source.ENCLAVE, answer));
              }
              return Future.succeededFuture(new Sealed(answer.content(), enclave));
            });
  }

  /**
   * Seals a request to the gateway, sends it through the relay and opens the answer.
   *
   * @param requireLoggedKey with a transparency log, send only if the key is one the last verified
   *     listing proved in the log (true for everything but the listing request, which carries the
   *     proofs)
   */
  private Future<BinaryHttpResponse> throughGateway(
      BinaryHttpRequest request, boolean requireLoggedKey) {
    return gatewayKey()
        .compose(
            key -> {
              LogTrust.Proven logged = proven;
              if (requireLoggedKey
                  && options.log() != null
                  && (logged == null || !logged.hasGatewayKeyConfig(key.encode()))) {
                // The key changed since the listing proved it (e.g. the relay failed over): a plain
                // 400-like refusal makes the caller fetch and verify a fresh listing before
                // anything is sent.
                invalidateListing();
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.GATEWAY,
                        400,
                        "ohttp-key-not-yet-proven",
                        "the gateway's key changed since the log proved it; fetching proofs again"));
              }
              EncapsulatedRequest outer;
              try {
                outer = RequestEncapsulator.encapsulate(key, padded(request), random);
              } catch (OhttpException e) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.CLIENT,
                        0,
                        "ohttp",
                        "could not seal to the gateway: " + e.getMessage()));
              }
              return http.postAbs(options.relayUrl() + MediaTypes.RELAY_REQUEST_PATH)
                  .timeout(options.timeoutMs())
                  .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                  .sendBuffer(Buffer.buffer(outer.bytes()))
                  .recover(t -> Future.failedFuture(unreachable(t)))
                  .compose(
                      response -> {
                        if (response.statusCode() != 200
                            || !MediaTypes.OHTTP_RESPONSE.equals(mediaType(response))) {
                          if (response.statusCode() == 400) {
                            // The gateway could not open our outer layer; its keys may have
                            // rotated.
                            invalidateGatewayKey();
                          }
                          return Future.failedFuture(plainRefusal(response));
                        }
                        try {
                          return Future.succeededFuture(
                              BinaryHttpResponse.parse(
                                  outer.opener().open(response.body().getBytes())));
                        } catch (OhttpException | BinaryHttpException e) {
                          return Future.failedFuture(
                              new PrivateProcessingException(
                                  Source.GATEWAY,
                                  0,
                                  "bad-outer-response",
                                  "the gateway's response could not be opened: " + e.getMessage()));
                        }
                      });
            });
  }

  private synchronized Future<KeyConfig> gatewayKey() {
    if (gatewayKey == null || (gatewayKey.isComplete() && gatewayKey.failed())) {
      gatewayKey =
          http.getAbs(options.relayUrl() + MediaTypes.WELL_KNOWN_GATEWAY_PATH)
              .timeout(options.timeoutMs())
              .send()
              .recover(t -> Future.failedFuture(unreachable(t)))
              .compose(
                  response -> {
                    if (response.statusCode() != 200
                        || !MediaTypes.OHTTP_KEYS.equals(mediaType(response))) {
                      return Future.failedFuture(plainRefusal(response));
                    }
                    try {
                      List<KeyConfig> configs = KeyConfigs.parse(response.body().getBytes());
                      return KeyConfigs.preferred(configs)
                          .map(Future::succeededFuture)
                          .orElseGet(
                              () ->
                                  Future.failedFuture(
                                      new PrivateProcessingException(
                                          Source.GATEWAY,
                                          0,
                                          "unsupported-gateway-keys",
                                          "the gateway offers no key config this client supports")));
                    } catch (OhttpException e) {
                      return Future.failedFuture(
                          new PrivateProcessingException(
                              Source.GATEWAY,
                              0,
                              "bad-gateway-keys",
                              "the gateway's key configs could not be parsed: " + e.getMessage()));
                    }
                  });
    }
    return gatewayKey;
  }

  private synchronized void invalidateGatewayKey() {
    gatewayKey = null;
  }

  private synchronized void invalidateListing() {
    listing = null;
  }

  private byte[] padded(BinaryHttpRequest request) {
    byte[] plain = request.encode();
    int block = options.paddingBlock();
    if (block <= 1) {
      return plain;
    }
    int padding = (block - plain.length % block) % block;
    return request.encode(padding);
  }

  static GatewayListing parseListing(
      JsonObject root, EnclaveTrust trust, LogTrust log, LogTrust.Proven proven)
      throws InvalidRequestException {
    JsonArray array = root.getJsonArray("enclaves");
    if (array == null) {
      throw new InvalidRequestException("enclaves", "is required");
    }
    List<EnclaveDescriptor> result = new ArrayList<>();
    List<EnclaveTrust.Refused> refused = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "enclaves[" + i + "]";
      JsonObject entry = array.getJsonObject(i);
      if (entry == null || entry.getString("id") == null) {
        throw new InvalidRequestException(at + ".id", "is required");
      }
      String configs = entry.getString("keyConfigs");
      try {
        List<KeyConfig> keys =
            configs != null
                ? KeyConfigs.parse(Base64.getUrlDecoder().decode(configs))
                : List.of(
                    KeyConfig.parse(
                        Base64.getUrlDecoder().decode(entry.getString("keyConfig", ""))));
        // Fail closed: an enclave joins the list only once its evidence verifies under our trust.
        java.util.Optional<String> logged = null;
        if (log != null) {
          try {
            logged = log.releasedMeasurement(proven, entry.getValue("release"));
          } catch (LogTrust.Refusal e) {
            logged = java.util.Optional.empty();
          }
        }
        EnclaveTrust.Outcome outcome =
            trust.verify(entry.getString("id"), entry.getString("evidence"), keys, logged);
        if (outcome instanceof EnclaveTrust.Verified v) {
          result.add(withRelease(v.descriptor(), log, proven, entry.getValue("release")));
        } else {
          refused.add((EnclaveTrust.Refused) outcome);
        }
      } catch (OhttpException | IllegalArgumentException e) {
        throw new InvalidRequestException(
            at + ".keyConfigs", "not a valid base64url OHTTP key config list");
      }
    }
    List<TokenChallenge> challenges = new ArrayList<>();
    JsonArray encoded = root.getJsonArray("tokenChallenges", new JsonArray());
    for (int i = 0; i < encoded.size(); i++) {
      try {
        challenges.add(TokenChallenge.parse(Base64.getUrlDecoder().decode(encoded.getString(i))));
      } catch (TokenException | RuntimeException e) {
        throw new InvalidRequestException(
            "tokenChallenges[" + i + "]", "not a valid base64url TokenChallenge");
      }
    }
    return new GatewayListing(result, refused, challenges);
  }

  /**
   * With a log, the verified enclave with its release as the log proved it (what its receipts
   * keep); the enclave was verified against that same proof, so it cannot fail here but closed.
   */
  private static EnclaveDescriptor withRelease(
      EnclaveDescriptor verified, LogTrust log, LogTrust.Proven proven, Object releaseProof)
      throws InvalidRequestException {
    if (log == null) {
      return verified;
    }
    try {
      return verified.withRelease(log.loggedRelease(proven, releaseProof));
    } catch (LogTrust.Refusal e) {
      throw new InvalidRequestException("enclaves.release", e.getMessage());
    }
  }

  private interface Parser<T> {
    T parse() throws InvalidRequestException;
  }

  private static <T> Future<T> parse(Parser<T> parser) {
    try {
      return Future.succeededFuture(parser.parse());
    } catch (InvalidRequestException e) {
      return Future.failedFuture(
          new PrivateProcessingException(
              Source.ENCLAVE,
              0,
              "bad-response",
              "the response did not have the expected shape: " + e.getMessage()));
    }
  }

  private static PrivateProcessingException refusal(Source source, BinaryHttpResponse response) {
    return PrivateProcessingException.fromResponse(
        source,
        "the " + source.name().toLowerCase(Locale.ROOT),
        response.status(),
        response.header("content-type").orElse(null),
        response.content());
  }

  /**
   * A plain (not encapsulated) problem: from the relay, or the gateway refusing our outer layer.
   */
  private static PrivateProcessingException plainRefusal(HttpResponse<Buffer> response) {
    Source source = response.statusCode() == 400 ? Source.GATEWAY : Source.RELAY;
    return PrivateProcessingException.fromResponse(
        source,
        "the relay",
        response.statusCode(),
        response.getHeader("content-type"),
        response.body() == null ? null : response.body().getBytes());
  }

  private PrivateProcessingException unreachable(Throwable t) {
    return new PrivateProcessingException(
        Source.RELAY,
        0,
        "relay-unreachable",
        Unreachable.describe(
            "the relay", options.relayUrl(), t, "is `serve` running, and is --relay right?"));
  }

  private static String mediaType(HttpResponse<Buffer> response) {
    return MediaTypes.essence(response.getHeader("content-type"));
  }

  /**
   * Nothing to send to: none listed (retryable), or none verified (the client refuses, fail
   * closed).
   */
  private static PrivateProcessingException noEnclave(GatewayListing gateway) {
    return gateway.refused().isEmpty()
        ? new PrivateProcessingException(
            Source.GATEWAY, 503, "no-enclaves", gateway.noneVerifiedReason())
        : new PrivateProcessingException(
            Source.CLIENT, 0, "enclave-not-verified", gateway.noneVerifiedReason());
  }

  /** A plain 400 Oblivious HTTP refusal: the gateway never opened the request. */
  /** The enclave no longer accepts the inner key we sealed to (docs/PROTOCOL.md, key rotation). */
  private static boolean isRetiredInnerKey(PrivateProcessingException p) {
    return p.source() == Source.GATEWAY
        && p.status() == 400
        && p.type() != null
        && p.type().endsWith("inner-unknown-key");
  }

  private static boolean isUnopened(PrivateProcessingException p) {
    return p.source() == Source.GATEWAY
        && p.status() == 400
        && p.type() != null
        && p.type().contains("ohttp-");
  }

  private static PrivateProcessingException advancedChatPrivacy() {
    return new PrivateProcessingException(
        Source.CLIENT,
        403,
        "advanced-chat-privacy",
        "this chat has advanced chat privacy on; nothing was sent");
  }

  /**
   * Summarises a chat in an enclave, streamed: the summary's text arrives piece by piece as the
   * model writes it ({@link AnswerStream#text()}), then the complete answer, exactly as {@link
   * #summarize(SummarizeRequest)} returns it ({@link AnswerStream#answer()}). Both layers are
   * chunked Oblivious HTTP (draft-ietf-ohai-chunked-ohttp-08); the answer fails, never completes,
   * when the stream did not end with its final chunks. Refused before anything is sent if the chat
   * opted out.
   */
  public AnswerStream<SummarizeResponse> summarizeStreaming(SummarizeRequest request) {
    if (request.chat().advancedChatPrivacy()) {
      return AnswerStream.failed(advancedChatPrivacy());
    }
    return streamed(
        ApiPaths.SUMMARIZE,
        request.encode(),
        (json, verified) -> {
          SummarizeResponse r = SummarizeResponse.parse(json);
          return receipted(r, r.model(), r.enclave(), verified);
        });
  }

  /**
   * Suggests rewrites of a draft, streamed: the text of the first suggestion arrives as the model
   * writes it, then all suggestions, as {@link #suggest(SuggestRequest)} returns them. Same
   * contract as {@link #summarizeStreaming}.
   */
  public AnswerStream<SuggestResponse> suggestStreaming(SuggestRequest request) {
    if (request.chat().advancedChatPrivacy()) {
      return AnswerStream.failed(advancedChatPrivacy());
    }
    return streamed(
        ApiPaths.SUGGEST,
        request.encode(),
        (json, verified) -> {
          SuggestResponse r = SuggestResponse.parse(json);
          return receipted(r, r.model(), r.enclave(), verified);
        });
  }

  /**
   * Parses the final answer line and binds it to the enclave the client verified and sealed to,
   * exactly as the whole-message path does ({@link #receipted}).
   */
  private interface BodyParser<T> {
    Future<Answered<T>> parse(byte[] json, EnclaveDescriptor verified)
        throws InvalidRequestException;
  }

  private <T> AnswerStream<T> streamed(String path, byte[] json, BodyParser<T> parser) {
    AnswerStream<T> out = new AnswerStream<>();
    streamAttempt(path, json, parser, out, true);
    return out;
  }

  /**
   * One streamed attempt with a fresh token; refusals that come before any text and that the
   * whole-message path retries (the gateway's keys changed, a refused token, a retired enclave key)
   * are retried once the same way.
   */
  private <T> void streamAttempt(
      String path, byte[] json, BodyParser<T> parser, AnswerStream<T> out, boolean mayRetry) {
    listing()
        .compose(
            gateway -> {
              if (gateway.tokenChallenges().isEmpty()) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.GATEWAY,
                        0,
                        "no-token-challenge",
                        "the gateway lists no token challenge, so no token can be made for it"));
              }
              List<EnclaveDescriptor> list = gateway.enclaves();
              if (list.isEmpty()) {
                return Future.failedFuture(noEnclave(gateway));
              }
              EnclaveDescriptor enclave = list.get(random.nextInt(list.size()));
              return wallet
                  .take(gateway.tokenChallenges().get(0))
                  .compose(token -> streamToEnclave(enclave, token, path, json, parser, out));
            })
        .onFailure(
            t -> {
              if (mayRetry && !out.anyText() && t instanceof PrivateProcessingException p) {
                if (isUnopened(p) || isRetiredInnerKey(p)) {
                  invalidateListing();
                  streamAttempt(path, json, parser, out, false);
                  return;
                }
                if (p.source() == Source.GATEWAY && p.status() == 401) {
                  wallet.invalidate();
                  invalidateListing();
                  streamAttempt(path, json, parser, out, false);
                  return;
                }
              }
              out.fail(t);
            });
  }

  private <T> Future<Void> streamToEnclave(
      EnclaveDescriptor enclave,
      Token token,
      String path,
      byte[] json,
      BodyParser<T> parser,
      AnswerStream<T> out) {
    return gatewayKey()
        .compose(
            key -> {
              LogTrust.Proven logged = proven;
              if (options.log() != null
                  && (logged == null || !logged.hasGatewayKeyConfig(key.encode()))) {
                invalidateListing();
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.GATEWAY,
                        400,
                        "ohttp-key-not-yet-proven",
                        "the gateway's key changed since the log proved it; fetching proofs again"));
              }
              ChunkedRequestEncapsulator inner;
              ChunkedRequestEncapsulator outer;
              byte[] body;
              try {
                inner = ChunkedRequestEncapsulator.start(enclave.preferredKeyConfig(), random);
                byte[] innerBytes =
                    sealChunked(
                        inner,
                        paddedIndeterminate(
                            BinaryHttpRequest.of(
                                "POST",
                                "https",
                                ENCLAVE_AUTHORITY,
                                path,
                                List.of(new Field("content-type", "application/json")),
                                json)));
                outer = ChunkedRequestEncapsulator.start(key, random);
                body =
                    sealChunked(
                        outer,
                        paddedIndeterminate(
                            BinaryHttpRequest.of(
                                "POST",
                                "https",
                                "gateway",
                                ApiPaths.ENCLAVE_PREFIX + enclave.id(),
                                List.of(
                                    new Field("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST),
                                    new Field(
                                        "authorization", PrivateTokenAuthorization.header(token))),
                                innerBytes)));
              } catch (OhttpException e) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.CLIENT,
                        0,
                        "ohttp",
                        "could not seal the request: " + e.getMessage()));
              }
              StreamDecoder decoder = new StreamDecoder(outer.opener(), inner.opener(), out::piece);
              return streams
                  .request(
                      new RequestOptions()
                          .setMethod(HttpMethod.POST)
                          .setAbsoluteURI(options.relayUrl() + MediaTypes.RELAY_REQUEST_PATH)
                          .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST))
                  .compose(request -> headWithin(request, Buffer.buffer(body)))
                  .recover(t -> Future.failedFuture(unreachable(t)))
                  .compose(response -> readStream(response, decoder, enclave, parser, out));
            });
  }

  private <T> Future<Void> readStream(
      HttpClientResponse response,
      StreamDecoder decoder,
      EnclaveDescriptor enclave,
      BodyParser<T> parser,
      AnswerStream<T> out) {
    if (response.statusCode() != 200
        || !MediaTypes.OHTTP_CHUNKED_RESPONSE.equals(
            MediaTypes.essence(response.getHeader("content-type")))) {
      if (response.statusCode() == 400) {
        invalidateGatewayKey();
      }
      response.resume();
      return response
          .body()
          .transform(
              body ->
                  Future.failedFuture(
                      PrivateProcessingException.fromResponse(
                          response.statusCode() == 400 ? Source.GATEWAY : Source.RELAY,
                          "the relay",
                          response.statusCode(),
                          response.getHeader("content-type"),
                          body.succeeded() ? body.result().getBytes() : null)));
    }
    Promise<Void> done = Promise.promise();
    out.source(
        new AnswerStream.Source() {
          @Override
          public void pause() {
            response.pause();
          }

          @Override
          public void resume() {
            response.resume();
          }
        });
    response.handler(
        buffer -> {
          if (done.future().isComplete()) {
            return;
          }
          try {
            decoder.feed(buffer.getBytes());
          } catch (PrivateProcessingException e) {
            done.tryFail(e);
            response.request().reset();
          }
        });
    response.exceptionHandler(
        t ->
            done.tryFail(
                StreamDecoder.incomplete(
                    "the connection was cut before the answer's final chunk")));
    response.endHandler(
        v -> {
          if (done.future().isComplete()) {
            return;
          }
          try {
            parser
                .parse(decoder.finish(), enclave)
                .onComplete(
                    bound -> {
                      if (bound.succeeded()) {
                        done.tryComplete();
                        out.complete(bound.result());
                      } else {
                        done.tryFail(bound.cause());
                      }
                    });
          } catch (PrivateProcessingException e) {
            done.tryFail(e);
          } catch (InvalidRequestException e) {
            done.tryFail(
                new PrivateProcessingException(
                    Source.ENCLAVE,
                    0,
                    "bad-response",
                    "the response did not have the expected shape: " + e.getMessage()));
          }
        });
    response.resume();
    return done.future();
  }

  /**
   * Sends a streamed request; the relay's answer must begin within the client's timeout. After that
   * the relay's read deadline cuts a stalled stream, and a reader may pause as long as the servers'
   * deadlines allow.
   */
  private Future<HttpClientResponse> headWithin(HttpClientRequest request, Buffer body) {
    Promise<HttpClientResponse> head = Promise.promise();
    long timer =
        vertx.setTimer(
            options.timeoutMs(),
            t -> {
              if (head.tryFail(new java.util.concurrent.TimeoutException("no answer in time"))) {
                request.reset();
              }
            });
    request
        .send(body)
        .onComplete(
            answer -> {
              vertx.cancelTimer(timer);
              if (answer.succeeded()) {
                answer.result().pause();
                if (!head.tryComplete(answer.result())) {
                  request.reset();
                }
              } else {
                head.tryFail(answer.cause());
              }
            });
    return head.future();
  }

  /** The Binary HTTP request in indeterminate-length form, padded with zeros like the others. */
  private byte[] paddedIndeterminate(BinaryHttpRequest request) {
    byte[] plain = request.encodeIndeterminate();
    int block = options.paddingBlock();
    if (block <= 1) {
      return plain;
    }
    int padding = (block - plain.length % block) % block;
    return java.util.Arrays.copyOf(plain, plain.length + padding);
  }

  /** The whole chunked request: header, chunks of at most 2^14 bytes, an empty final chunk. */
  private static byte[] sealChunked(ChunkedRequestEncapsulator request, byte[] plaintext) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(plaintext.length + 256);
    out.writeBytes(request.header());
    for (int at = 0; at < plaintext.length; at += ChunkLimits.MAX_SEND_PLAINTEXT) {
      out.writeBytes(
          request.sealChunk(
              java.util.Arrays.copyOfRange(
                  plaintext, at, Math.min(plaintext.length, at + ChunkLimits.MAX_SEND_PLAINTEXT))));
    }
    out.writeBytes(request.sealFinal(new byte[0]));
    return out.toByteArray();
  }

  @Override
  public void close() {
    http.close();
    streams.close();
  }
}
