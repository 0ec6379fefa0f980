package org.privateprocessing.client;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.privateprocessing.client.PrivateProcessingException.Source;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.MediaTypes;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenException;
import org.privateprocessing.token.TokenIssuance;
import org.privateprocessing.token.TokenResponse;

/**
 * Privacy Pass tokens, fetched ahead from the issuer and spent once each. The account credential
 * goes to the issuer only, with a blinded request; tokens go to the gateway only, inside the outer
 * layer. Tokens are kept per challenge, since a token is bound to the challenge it was made for.
 */
public final class TokenWallet {
  private final WebClient http;
  private final ClientOptions options;
  private final SecureRandom random;
  private final Map<String, ArrayDeque<Token>> ready = new HashMap<>();
  private final Map<String, Integer> inFlight = new HashMap<>();
  private Future<IssuerDirectory> directory;

  TokenWallet(WebClient http, ClientOptions options, SecureRandom random) {
    this.http = http;
    this.options = options;
    this.random = random;
  }

  private volatile java.util.function.Predicate<byte[]> keyCheck;

  /**
   * From now on, fetches tokens only under issuer keys that pass {@code check} (the client passes
   * "proven in the transparency log"), so an issuer cannot single a user out with a special key.
   */
  void requireKeys(java.util.function.Predicate<byte[]> check) {
    keyCheck = check;
  }

  /** Tokens claimed from a {@link TokenStore}, not yet checked against the issuer's keys. */
  private List<TokenStore.Stored> restored = new ArrayList<>();

  /** Every issuance under way, so a one-shot client can wait for them before it saves. */
  private final List<Future<Token>> fetching = new ArrayList<>();

  /**
   * Adds tokens an earlier run kept ({@link TokenStore#claimAll}). Before the first is spent, those
   * made under a key the issuer's directory no longer lists (a retired key) are dropped.
   */
  public synchronized void restore(List<TokenStore.Stored> tokens) {
    restored.addAll(tokens);
  }

  /**
   * Takes every unspent token out of this wallet, for {@link TokenStore#putBack}: tokens were never
   * sent (one that was sent is never in the wallet again).
   */
  public synchronized List<TokenStore.Stored> drain() {
    List<TokenStore.Stored> out = new ArrayList<>(restored);
    restored.clear();
    for (Map.Entry<String, ArrayDeque<Token>> e : ready.entrySet()) {
      TokenChallenge challenge;
      try {
        challenge = TokenChallenge.parse(Base64.getDecoder().decode(e.getKey()));
      } catch (TokenException impossible) {
        continue; // the keys are encodings of parsed challenges
      }
      for (Token t : e.getValue()) {
        out.add(new TokenStore.Stored(challenge, t));
      }
    }
    ready.clear();
    return out;
  }

  /** Completes once no issuance is under way (each succeeded or failed). */
  public Future<Void> idle() {
    List<Future<Token>> now;
    synchronized (this) {
      now = new ArrayList<>(fetching);
    }
    return Future.join(now).<Void>mapEmpty().otherwiseEmpty();
  }

  /** How many restored tokens {@link #take} dropped because their key was retired. */
  private volatile int droppedRetired;

  public int droppedRetired() {
    return droppedRetired;
  }

  /**
   * Moves restored tokens whose key the issuer still lists into the ready queues; drops the rest.
   * Without the directory (the issuer unreachable), keeps them: the gateway is the judge, and a
   * refused token makes the wallet start over.
   */
  private Future<Void> checkRestored() {
    List<TokenStore.Stored> pending;
    synchronized (this) {
      if (restored.isEmpty()) {
        return Future.succeededFuture();
      }
      pending = restored;
      restored = new ArrayList<>();
    }
    return directory()
        .map(
            dir -> {
              java.util.Set<String> keyIds = new java.util.HashSet<>();
              for (IssuerDirectory.TokenKey k : dir.tokenKeys()) {
                keyIds.add(
                    java.util.HexFormat.of()
                        .formatHex(
                            org.privateprocessing.token.TokenKeyIds.tokenKeyId(k.tokenKey())));
              }
              return keyIds;
            })
        .otherwise((java.util.Set<String>) null)
        .map(
            keyIds -> {
              int dropped = 0;
              synchronized (this) {
                for (TokenStore.Stored s : pending) {
                  if (keyIds != null
                      && !keyIds.contains(
                          java.util.HexFormat.of().formatHex(s.token().tokenKeyId()))) {
                    dropped++;
                    continue;
                  }
                  ready
                      .computeIfAbsent(
                          Base64.getEncoder().encodeToString(s.challenge().encode()),
                          k -> new ArrayDeque<>())
                      .add(s.token());
                }
              }
              droppedRetired += dropped;
              return null;
            });
  }

  /**
   * A token for this challenge, the caller's to spend once; refills the wallet in the background.
   */
  public Future<Token> take(TokenChallenge challenge) {
    return checkRestored().compose(v -> takeReady(challenge));
  }

  private Future<Token> takeReady(TokenChallenge challenge) {
    String key = Base64.getEncoder().encodeToString(challenge.encode());
    Token token;
    synchronized (this) {
      ArrayDeque<Token> queue = ready.computeIfAbsent(key, k -> new ArrayDeque<>());
      token = queue.poll();
    }
    refill(key, challenge);
    return token != null ? Future.succeededFuture(token) : fetch(challenge);
  }

  /**
   * Puts a token back at the head of the queue for its challenge, for a caller that took one and
   * did not send it. (A token that was sent must never be offered again: it may have been spent.)
   */
  synchronized void offer(TokenChallenge challenge, Token token) {
    ready
        .computeIfAbsent(
            Base64.getEncoder().encodeToString(challenge.encode()), k -> new ArrayDeque<>())
        .addFirst(token);
  }

  /** Forgets queued tokens and the issuer's keys, e.g. after the gateway refused a token. */
  public synchronized void invalidate() {
    ready.clear();
    restored.clear();
    directory = null;
  }

  /** Tokens ready for this challenge (for tests and progress lines). */
  public synchronized int readyCount(TokenChallenge challenge) {
    ArrayDeque<Token> queue = ready.get(Base64.getEncoder().encodeToString(challenge.encode()));
    return queue == null ? 0 : queue.size();
  }

  /** Tops up to the batch size with parallel requests, counting those already under way. */
  private void refill(String key, TokenChallenge challenge) {
    int missing;
    synchronized (this) {
      int have = ready.getOrDefault(key, new ArrayDeque<>()).size() + inFlight.getOrDefault(key, 0);
      missing = options.tokenBatch() - have;
      if (missing <= 0 || have > options.tokenBatch() / 2) {
        return;
      }
      inFlight.merge(key, missing, Integer::sum);
    }
    for (int i = 0; i < missing; i++) {
      Future<Token> f = fetch(challenge);
      synchronized (this) {
        fetching.add(f);
      }
      f.onComplete(
              ar -> {
                synchronized (this) {
                  fetching.remove(f);
                }
              })
          .onComplete(
              ar -> {
                synchronized (this) {
                  inFlight.merge(key, -1, Integer::sum);
                  if (ar.succeeded()) {
                    ready.computeIfAbsent(key, k -> new ArrayDeque<>()).add(ar.result());
                  }
                }
              });
    }
  }

  /** One issuance round trip: blind here, sign at the issuer, unblind and check here. */
  Future<Token> fetch(TokenChallenge challenge) {
    return directory()
        .compose(
            dir -> {
              IssuerDirectory.TokenKey key = currentKey(dir, challenge.tokenType());
              if (key == null) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.ISSUER,
                        0,
                        "no-token-key",
                        "the issuer offers no current key of token type " + challenge.tokenType()));
              }
              java.util.function.Predicate<byte[]> check = keyCheck;
              if (check != null && !check.test(key.tokenKey())) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.ISSUER,
                        0,
                        "issuer-key-not-logged",
                        "the issuer's current token key (type "
                            + challenge.tokenType()
                            + ") is not in the transparency log; "
                            + "refusing to use it, since a key only some users get could single them out"));
              }
              TokenIssuance.Pending pending;
              try {
                pending = TokenIssuance.begin(key.tokenKey(), challenge, random);
              } catch (TokenException e) {
                return Future.failedFuture(
                    new PrivateProcessingException(
                        Source.CLIENT,
                        0,
                        "token-blinding",
                        "could not build a token request: " + e.getMessage()));
              }
              return http.postAbs(resolve(dir.issuerRequestUri()))
                  .timeout(options.timeoutMs())
                  .putHeader("content-type", MediaTypes.TOKEN_REQUEST)
                  .putHeader("authorization", "Bearer " + options.account())
                  .sendBuffer(Buffer.buffer(pending.request().encode()))
                  .recover(t -> Future.failedFuture(unreachable(t)))
                  .compose(
                      response -> {
                        if (response.statusCode() != 200) {
                          if (response.statusCode() == 400) {
                            invalidate(); // most likely a rotated key: read the directory again
                            // next time
                          }
                          return Future.failedFuture(refusal(response));
                        }
                        try {
                          return Future.succeededFuture(
                              pending.finish(
                                  TokenResponse.parse(
                                      challenge.tokenType(),
                                      response.body() == null
                                          ? new byte[0]
                                          : response.body().getBytes())));
                        } catch (TokenException e) {
                          return Future.failedFuture(
                              new PrivateProcessingException(
                                  Source.ISSUER,
                                  0,
                                  "bad-token-response",
                                  "the issuer's answer did not check out: " + e.getMessage()));
                        }
                      });
            });
  }

  private synchronized Future<IssuerDirectory> directory() {
    if (directory == null || (directory.isComplete() && directory.failed())) {
      directory =
          http.getAbs(options.issuerUrl() + MediaTypes.ISSUER_DIRECTORY_PATH)
              .timeout(options.timeoutMs())
              .send()
              .recover(t -> Future.failedFuture(unreachable(t)))
              .compose(
                  response -> {
                    if (response.statusCode() != 200) {
                      return Future.failedFuture(refusal(response));
                    }
                    try {
                      return Future.succeededFuture(
                          IssuerDirectory.parse(response.body().getBytes()));
                    } catch (TokenException | RuntimeException e) {
                      return Future.failedFuture(
                          new PrivateProcessingException(
                              Source.ISSUER,
                              0,
                              "bad-directory",
                              "the issuer directory could not be read: " + e.getMessage()));
                    }
                  });
    }
    return directory;
  }

  /**
   * The newest key of a type whose not-before has passed (the directory also lists the next one).
   */
  private static IssuerDirectory.TokenKey currentKey(IssuerDirectory dir, int type) {
    long now = Instant.now().getEpochSecond();
    IssuerDirectory.TokenKey best = null;
    for (IssuerDirectory.TokenKey key : dir.tokenKeys()) {
      long notBefore = key.notBefore() == null ? 0 : key.notBefore();
      if (key.tokenType() == type
          && notBefore <= now
          && (best == null || notBefore >= (best.notBefore() == null ? 0 : best.notBefore()))) {
        best = key;
      }
    }
    return best;
  }

  private String resolve(String requestUri) {
    return requestUri.startsWith("http://") || requestUri.startsWith("https://")
        ? requestUri
        : options.issuerUrl() + (requestUri.startsWith("/") ? "" : "/") + requestUri;
  }

  private PrivateProcessingException unreachable(Throwable t) {
    return new PrivateProcessingException(
        Source.ISSUER,
        0,
        "issuer-unreachable",
        Unreachable.describe("the token issuer", options.issuerUrl(), t, "check --issuer"));
  }

  private static PrivateProcessingException refusal(HttpResponse<Buffer> response) {
    return PrivateProcessingException.fromResponse(
        Source.ISSUER,
        "the issuer",
        response.statusCode(),
        response.getHeader("content-type"),
        response.body() == null ? null : response.body().getBytes());
  }
}
