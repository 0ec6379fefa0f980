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
import java.util.function.BooleanSupplier;
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
    return whole(ApiPaths.SUMMARIZE, request.encode(), token, SUMMARY);
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
    return whole(ApiPaths.SUGGEST, request.encode(), null, SUGGESTIONS);
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
      return refused(
          Source.ENCLAVE,
          "bad-response",
          "no receipt can be made for this answer: " + e.getMessage());
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
                              return refused(
                                  Source.GATEWAY,
                                  "bad-response",
                                  "the response did not have the expected shape: transparency is not an object");
                            }
                            if (!verified.hasGatewayKeyConfig(usedKey.encode())) {
                              invalidateGatewayKey();
                              return refused(
                                  Source.CLIENT,
                                  "gateway-key-not-logged",
                                  "the gateway's key config is not in the transparency log: refusing this gateway (a key served "
                                      + "to only some users could single them out)");
                            }
                            proven = verified;
                          }
                          LogTrust.Proven p = verified;
                          return parse(() -> parseListing(root, options.trust(), log, p));
                        }));
  }

  /** The whole-message call: one sealed request, one sealed answer, bound to its enclave. */
  private <T> Future<Answered<T>> whole(
      String path, byte[] json, Token given, BodyParser<T> parser) {
    return onEnclave(
            (enclave, token) -> sendToEnclave(enclave, token, path, json),
            given,
            given == null,
            () -> true)
        .compose(opened -> bound(parser, opened.body(), opened.enclave()));
  }

  /** What an attempt does once the enclave and the token are chosen: a whole call, or a stream. */
  private interface Send<R> {
    Future<R> to(EnclaveDescriptor enclave, Token token);
  }

  /**
   * One attempt, for the whole-message and the streamed path alike: an enclave at random from the
   * listing, a token ({@code given}, or a fresh one from the wallet), then {@code send}. While
   * {@code mayRetry} and {@code unseen} (nothing of the answer reached the caller yet), these
   * refusals are retried once:
   *
   * <ul>
   *   <li>the gateway could not open our outer layer (its keys changed: a restart, or the relay
   *       failed over to another gateway): nothing was processed and the token is unspent, so the
   *       listing and keys are fetched again and the same token is sent once more;
   *   <li>a 401 from the gateway (spent, retired or refused token): with a token fetched anew;
   *   <li>{@code inner-unknown-key} (the enclave rotated its keys past our cached listing; it
   *       refuses before decrypting anything): after fetching the listing and its evidence again,
   *       with a fresh token (this one is spent);
   *   <li>the chosen enclave is unavailable: {@link #retryOnAnotherEnclave}.
   * </ul>
   */
  private <R> Future<R> onEnclave(
      Send<R> send, Token given, boolean mayRetry, BooleanSupplier unseen) {
    return listing()
        .compose(
            gateway -> {
              List<EnclaveDescriptor> list = gateway.enclaves();
              if (gateway.tokenChallenges().isEmpty()) {
                return Future.failedFuture(noTokenChallenge());
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
                          send.to(enclave, t)
                              .recover(
                                  err ->
                                      mayRetry
                                              && unseen.getAsBoolean()
                                              && err instanceof PrivateProcessingException p
                                              && isUnopened(p)
                                          ? retry(() -> onEnclave(send, t, false, unseen))
                                          : Future.failedFuture(err)))
                  .recover(
                      t -> {
                        if (!mayRetry
                            || !unseen.getAsBoolean()
                            || !(t instanceof PrivateProcessingException p)) {
                          return Future.failedFuture(t);
                        }
                        if (p.source() == Source.GATEWAY && p.status() == 401) {
                          wallet.invalidate();
                          return retry(() -> onEnclave(send, null, false, unseen));
                        }
                        if (isRetiredInnerKey(p)) {
                          return retry(() -> onEnclave(send, null, false, unseen));
                        }
                        if (isEnclaveUnavailable(p)) {
                          return retryOnAnotherEnclave(enclave.id(), send, p);
                        }
                        return Future.failedFuture(t);
                      });
            });
  }

  /** Forgets the cached listing, then tries again. */
  private <R> Future<R> retry(java.util.function.Supplier<Future<R>> again) {
    invalidateListing();
    return again.get();
  }

  /** A failed future: the client refused, or a server's answer was not usable (no status). */
  private static <T> Future<T> refused(Source source, String type, String detail) {
    return Future.failedFuture(new PrivateProcessingException(source, 0, type, detail));
  }

  private static PrivateProcessingException noTokenChallenge() {
    return new PrivateProcessingException(
        Source.GATEWAY,
        0,
        "no-token-challenge",
        "the gateway lists no token challenge, so no token can be made for it");
  }

  /**
   * Once, after the gateway said the chosen enclave is unavailable (an encapsulated 503, or 502/504
   * from its link to the enclave): forgets the cached listing, picks another enclave from a fresh
   * one and sends with a fresh token. The failed request's token is not reused (it may be spent);
   * with no other enclave listed, the first refusal stands.
   */
  private <R> Future<R> retryOnAnotherEnclave(
      String failedId, Send<R> send, PrivateProcessingException first) {
    invalidateListing();
    return listing()
        .compose(
            gateway -> {
              List<EnclaveDescriptor> others =
                  gateway.enclaves().stream().filter(e -> !e.id().equals(failedId)).toList();
              if (others.isEmpty() || gateway.tokenChallenges().isEmpty()) {
                return Future.<R>failedFuture(first);
              }
              EnclaveDescriptor other = others.get(random.nextInt(others.size()));
              return wallet.take(gateway.tokenChallenges().get(0)).compose(t -> send.to(other, t));
            },
            listingFailed -> Future.failedFuture(first));
  }

  private static boolean isEnclaveUnavailable(PrivateProcessingException p) {
    return p.source() == Source.GATEWAY
        && (p.status() == 503 || p.status() == 502 || p.status() == 504);
  }

  private Future<Sealed> sendToEnclave(
      EnclaveDescriptor enclave, Token token, String path, byte[] json) {
    EncapsulatedRequest inner;
    try {
      inner =
          RequestEncapsulator.encapsulate(
              enclave.preferredKeyConfig(), padded(innerRequest(path, json)), random);
    } catch (OhttpException e) {
      return refused(
          Source.CLIENT,
          "ohttp",
          "could not seal to enclave " + enclave.id() + ": " + e.getMessage());
    }
    BinaryHttpRequest outerRequest =
        outerRequest(enclave, token, MediaTypes.OHTTP_REQUEST, inner.bytes());
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
                return refused(
                    Source.ENCLAVE,
                    "bad-inner-response",
                    "the enclave's response could not be opened: " + e.getMessage());
              }
              if (answer.status() != 200) {
                return Future.failedFuture(refusal(Source.ENCLAVE, answer));
              }
              return Future.succeededFuture(new Sealed(answer.content(), enclave));
            });
  }

  /** The request to the enclave, inside the inner layer. */
  private static BinaryHttpRequest innerRequest(String path, byte[] json) {
    return BinaryHttpRequest.of(
        "POST",
        "https",
        ENCLAVE_AUTHORITY,
        path,
        List.of(new Field("content-type", "application/json")),
        json);
  }

  /** The request to the gateway, inside the outer layer: the sealed inner request and the token. */
  private static BinaryHttpRequest outerRequest(
      EnclaveDescriptor enclave, Token token, String contentType, byte[] sealedInner) {
    return BinaryHttpRequest.of(
        "POST",
        "https",
        "gateway",
        ApiPaths.ENCLAVE_PREFIX + enclave.id(),
        List.of(
            new Field("content-type", contentType),
            new Field("authorization", PrivateTokenAuthorization.header(token))),
        sealedInner);
  }

  /**
   * The gateway's key; with a transparency log and {@code requireLoggedKey}, only a key the last
   * verified listing proved in the log (everything but the listing request, which carries the
   * proofs). A key that changed since (e.g. the relay failed over) is refused as a plain 400 would
   * be, so the caller fetches and verifies a fresh listing before anything is sent.
   */
  private Future<KeyConfig> gatewayKey(boolean requireLoggedKey) {
    return gatewayKey()
        .compose(
            key -> {
              LogTrust.Proven logged = proven;
              if (requireLoggedKey
                  && options.log() != null
                  && (logged == null || !logged.hasGatewayKeyConfig(key.encode()))) {
                invalidateListing();
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.GATEWAY,
                        400,
                        "ohttp-key-not-yet-proven",
                        "the gateway's key changed since the log proved it; fetching proofs again"));
              }
              return Future.succeededFuture(key);
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
    return gatewayKey(requireLoggedKey)
        .compose(
            key -> {
              EncapsulatedRequest outer;
              try {
                outer = RequestEncapsulator.encapsulate(key, padded(request), random);
              } catch (OhttpException e) {
                return refused(
                    Source.CLIENT, "ohttp", "could not seal to the gateway: " + e.getMessage());
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
                          return refused(
                              Source.GATEWAY,
                              "bad-outer-response",
                              "the gateway's response could not be opened: " + e.getMessage());
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
                                  refused(
                                      Source.GATEWAY,
                                      "unsupported-gateway-keys",
                                      "the gateway offers no key config this client supports"));
                    } catch (OhttpException e) {
                      return refused(
                          Source.GATEWAY,
                          "bad-gateway-keys",
                          "the gateway's key configs could not be parsed: " + e.getMessage());
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
    int padding = paddingFor(plain.length);
    return padding == 0 ? plain : request.encode(padding);
  }

  /** How many zeros pad a Binary HTTP message of this length to the padding block. */
  private int paddingFor(int length) {
    int block = options.paddingBlock();
    return block <= 1 ? 0 : (block - length % block) % block;
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
      return Future.failedFuture(badShape(e));
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
    return plainRefusal(
        response.statusCode(),
        response.getHeader("content-type"),
        response.body() == null ? null : response.body().getBytes());
  }

  private static PrivateProcessingException plainRefusal(
      int status, String contentType, byte[] body) {
    return PrivateProcessingException.fromResponse(
        status == 400 ? Source.GATEWAY : Source.RELAY, "the relay", status, contentType, body);
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

  /** The enclave no longer accepts the inner key we sealed to (docs/PROTOCOL.md, key rotation). */
  private static boolean isRetiredInnerKey(PrivateProcessingException p) {
    return p.source() == Source.GATEWAY
        && p.status() == 400
        && p.type() != null
        && p.type().endsWith("inner-unknown-key");
  }

  /** A plain 400 Oblivious HTTP refusal: the gateway never opened the request. */
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
    return streamed(ApiPaths.SUMMARIZE, request.encode(), SUMMARY);
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
    return streamed(ApiPaths.SUGGEST, request.encode(), SUGGESTIONS);
  }

  /**
   * Parses the final answer's JSON and binds it to the enclave the client verified and sealed to
   * ({@link #receipted}); the same for the whole-message and the streamed path.
   */
  private interface BodyParser<T> {
    Future<Answered<T>> parse(byte[] json, EnclaveDescriptor verified)
        throws InvalidRequestException;
  }

  private static final BodyParser<SummarizeResponse> SUMMARY =
      (json, verified) -> {
        SummarizeResponse r = SummarizeResponse.parse(json);
        return receipted(r, r.model(), r.enclave(), verified);
      };

  private static final BodyParser<SuggestResponse> SUGGESTIONS =
      (json, verified) -> {
        SuggestResponse r = SuggestResponse.parse(json);
        return receipted(r, r.model(), r.enclave(), verified);
      };

  private static <T> Future<Answered<T>> bound(
      BodyParser<T> parser, byte[] json, EnclaveDescriptor verified) {
    try {
      return parser.parse(json, verified);
    } catch (InvalidRequestException e) {
      return Future.failedFuture(badShape(e));
    }
  }

  private static PrivateProcessingException badShape(InvalidRequestException e) {
    return new PrivateProcessingException(
        Source.ENCLAVE,
        0,
        "bad-response",
        "the response did not have the expected shape: " + e.getMessage());
  }

  /**
   * The streamed call: the same attempt and retries as the whole-message path ({@link #onEnclave}),
   * as long as no text reached the stream; after that a failure ends the stream.
   */
  private <T> AnswerStream<T> streamed(String path, byte[] json, BodyParser<T> parser) {
    AnswerStream<T> out = new AnswerStream<>();
    onEnclave(
            (enclave, token) -> streamToEnclave(enclave, token, path, json, parser, out),
            null,
            true,
            () -> !out.anyText())
        .onFailure(out::fail);
    return out;
  }

  private <T> Future<Void> streamToEnclave(
      EnclaveDescriptor enclave,
      Token token,
      String path,
      byte[] json,
      BodyParser<T> parser,
      AnswerStream<T> out) {
    return gatewayKey(true)
        .compose(
            key -> {
              ChunkedRequestEncapsulator inner;
              ChunkedRequestEncapsulator outer;
              byte[] body;
              try {
                inner = ChunkedRequestEncapsulator.start(enclave.preferredKeyConfig(), random);
                byte[] innerBytes =
                    sealChunked(inner, paddedIndeterminate(innerRequest(path, json)));
                outer = ChunkedRequestEncapsulator.start(key, random);
                body =
                    sealChunked(
                        outer,
                        paddedIndeterminate(
                            outerRequest(
                                enclave, token, MediaTypes.OHTTP_CHUNKED_REQUEST, innerBytes)));
              } catch (OhttpException e) {
                return refused(
                    Source.CLIENT, "ohttp", "could not seal the request: " + e.getMessage());
              }
              IdleDeadline idle = new IdleDeadline(vertx, options.streamIdleMs());
              StreamDecoder decoder =
                  new StreamDecoder(
                      outer.opener(),
                      inner.opener(),
                      piece -> {
                        idle.touch();
                        out.piece(piece);
                      });
              return streams
                  .request(
                      new RequestOptions()
                          .setMethod(HttpMethod.POST)
                          .setAbsoluteURI(options.relayUrl() + MediaTypes.RELAY_REQUEST_PATH)
                          .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST))
                  .compose(request -> headWithin(request, Buffer.buffer(body)))
                  .recover(t -> Future.failedFuture(unreachable(t)))
                  .compose(response -> readStream(response, decoder, idle, enclave, parser, out));
            });
  }

  /**
   * Reads the relay's streamed answer. Between pieces of text the stream may be silent at most
   * {@link ClientOptions#streamIdleMs()} (while the reader has paused the text, silence is the
   * reader's and does not count): past it the connection is closed and the answer fails with {@code
   * stream-idle}.
   */
  private <T> Future<Void> readStream(
      HttpClientResponse response,
      StreamDecoder decoder,
      IdleDeadline idle,
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
                      plainRefusal(
                          response.statusCode(),
                          response.getHeader("content-type"),
                          body.succeeded() ? body.result().getBytes() : null)));
    }
    Promise<Void> done = Promise.promise();
    done.future().onComplete(v -> idle.stop());
    idle.start(
        () -> {
          if (done.tryFail(idleFailure(options.streamIdleMs()))) {
            response.request().reset();
          }
        });
    out.source(
        new AnswerStream.Source() {
          @Override
          public void pause() {
            idle.pause();
            response.pause();
          }

          @Override
          public void resume() {
            idle.resume();
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
          byte[] json;
          try {
            json = decoder.finish();
          } catch (PrivateProcessingException e) {
            done.tryFail(e);
            return;
          }
          bound(parser, json, enclave)
              .onComplete(
                  answer -> {
                    if (answer.succeeded() && done.tryComplete()) {
                      out.complete(answer.result());
                    } else if (answer.failed()) {
                      done.tryFail(answer.cause());
                    }
                  });
        });
    response.resume();
    return done.future();
  }

  /** The failure of a stream silent for longer than its idle deadline. */
  static PrivateProcessingException idleFailure(long idleMs) {
    return new PrivateProcessingException(
        Source.CLIENT,
        0,
        "stream-idle",
        "the answer stopped: nothing arrived for "
            + idleMs
            + " ms, so the client closed the connection; the text so far is not a whole answer"
            + " (the deadline is ClientOptions.streamIdleMs, --idle-timeout on the command line)");
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
    return java.util.Arrays.copyOf(plain, plain.length + paddingFor(plain.length));
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
