package org.privateprocessing.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenTypes;

/** The token wallet's file, without a network: claims, put-backs, permissions, bad files. */
class TokenStoreTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TokenChallenge CHALLENGE =
      TokenChallenge.of(TokenTypes.BLIND_RSA_2048, "issuer.example");

  @TempDir Path dir;

  private static TokenStore.Stored token() {
    byte[] nonce = new byte[32];
    byte[] keyId = new byte[32];
    byte[] auth = new byte[TokenTypes.authenticatorLength(TokenTypes.BLIND_RSA_2048)];
    RANDOM.nextBytes(nonce);
    RANDOM.nextBytes(keyId);
    RANDOM.nextBytes(auth);
    return new TokenStore.Stored(
        CHALLENGE, new Token(TokenTypes.BLIND_RSA_2048, nonce, CHALLENGE.digest(), keyId, auth));
  }

  private static List<TokenStore.Stored> tokens(int n) {
    List<TokenStore.Stored> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(token());
    }
    return out;
  }

  @Test
  @DisplayName("what is put back is claimed once, whole; the file and directory are owner-only")
  void claimTakesEverythingOnce() throws Exception {
    TokenStore store = TokenStore.in(dir.resolve("client-state"));
    assertThat(store.claimAll().tokens()).isEmpty();
    List<TokenStore.Stored> kept = tokens(5);
    store.putBack(kept);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("client-state"))))
        .isEqualTo("rwx------");
    TokenStore.Claimed claimed = store.claimAll();
    assertThat(claimed.problem()).isNull();
    assertThat(claimed.tokens()).isEqualTo(kept);
    assertThat(store.claimAll().tokens()).isEmpty(); // claimed: no second run gets them
    store.putBack(kept.subList(0, 2));
    store.putBack(kept.subList(2, 3));
    assertThat(TokenStore.in(dir.resolve("client-state")).claimAll().tokens())
        .isEqualTo(kept.subList(0, 3));
  }

  @Test
  @DisplayName("runs claiming at the same time never get the same token")
  void concurrentClaimsShareNothing() throws Exception {
    TokenStore store = TokenStore.in(dir.resolve("client-state"));
    store.putBack(tokens(40));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<TokenStore.Stored>>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(
            pool.submit(
                () -> {
                  List<TokenStore.Stored> mine = new ArrayList<>(store.claimAll().tokens());
                  store.putBack(tokens(1)); // each run leaves one fresh token behind
                  return mine;
                }));
      }
      Set<Token> seen = new HashSet<>();
      int total = 0;
      for (Future<List<TokenStore.Stored>> run : runs) {
        for (TokenStore.Stored s : run.get()) {
          assertThat(seen.add(s.token())).as("a token claimed twice").isTrue();
          total++;
        }
      }
      total += store.claimAll().tokens().size();
      assertThat(total).isEqualTo(40 + 8);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("an unreadable wallet is set aside and reported, never used")
  void corruptFilesAreSetAside() throws Exception {
    TokenStore store = TokenStore.in(dir);
    for (String bad :
        new String[] {
          "not json",
          "{}",
          "{\"tokens\":[{\"challenge\":\"AAAA\",\"token\":\"AAAA\"}]}",
          "{\"tokens\":[{\"challenge\":\"%%\"}]}"
        }) {
      Files.writeString(store.file(), bad);
      TokenStore.Claimed claimed = store.claimAll();
      assertThat(claimed.tokens()).as(bad).isEmpty();
      assertThat(claimed.problem()).as(bad).contains(store.file().toString()).contains("moved to");
      assertThat(store.file()).doesNotExist();
      assertThat(dir.resolve(TokenStore.FILE_NAME + ".corrupt")).hasContent(bad);
    }
  }

  @Test
  @DisplayName("a token stored with another challenge than its own is refused")
  void tokenMustMatchItsChallenge() throws Exception {
    TokenStore store = TokenStore.in(dir);
    TokenStore.Stored t = token();
    store.putBack(
        List.of(
            new TokenStore.Stored(
                TokenChallenge.of(TokenTypes.BLIND_RSA_2048, "other.example"), t.token())));
    TokenStore.Claimed claimed = store.claimAll();
    assertThat(claimed.tokens()).isEmpty();
    assertThat(claimed.problem()).contains("not for the challenge stored with it");
  }
}
