package org.privateprocessing.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.VerificationKeys;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenIssuance;
import org.privateprocessing.token.TokenRequest;
import org.privateprocessing.token.TokenTypes;

class IssuerKeysDurableTest {
  private static final Duration LIFETIME = Duration.ofHours(1);
  private static final Duration GRACE = Duration.ofMinutes(10);

  @TempDir Path tmp;

  private IssuerKeys open(Instant now) {
    return IssuerKeys.open(
        tmp.resolve("issuer-keys"),
        List.of(TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384),
        LIFETIME,
        GRACE,
        TestTokens.RANDOM,
        now);
  }

  private static String hex(LogEntry e) {
    return java.util.HexFormat.of().formatHex(e.encode());
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(tmp.resolve("issuer-keys"))) {
      // The replicas' lock file stays; it holds no key.
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(org.privateprocessing.core.KeyDirectory.LOCK_FILE))
          .sorted()
          .toList();
    }
  }

  @Test
  @DisplayName(
      "keys and their schedule survive a restart: a token issued before it is accepted after it, log entries are identical")
  void tokenFromBeforeARestartRedeemsAfterIt() throws Exception {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    IssuerKeys before = open(clock.now);
    assertThat(files()).hasSize(4);
    CredentialCheck check =
        new CredentialCheck(
            "issuer.test", "gateway.test", before, new InMemorySpentTokens(100, clock), clock);
    Token token = TestTokens.mint(before, check.challenges().get(0), clock.now);
    List<String> entries =
        before.logEntries("issuer.test", clock.now).stream()
            .map(IssuerKeysDurableTest::hex)
            .toList();

    clock.now = clock.now.plusSeconds(600);
    IssuerKeys after = open(clock.now);
    assertThat(after.logEntries("issuer.test", clock.now))
        .extracting(IssuerKeysDurableTest::hex)
        .containsExactlyElementsOf(entries);
    CredentialCheck restarted =
        new CredentialCheck(
            "issuer.test", "gateway.test", after, new InMemorySpentTokens(100, clock), clock);
    CredentialCheck.Verified v =
        restarted.verify(Optional.of(PrivateTokenAuthorization.header(token)));
    assertThat(v).isNotNull();
    assertThat(files()).as("nothing new was made").hasSize(4);
  }

  @Test
  @DisplayName(
      "the next key is never used before its not-before: not to issue, not to accept; from it, both")
  void nextKeyNotBeforeItsTime() throws Exception {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    IssuerKeys keys = open(clock.now);
    List<VerificationKeys.Entry> published = keys.published(TokenTypes.BLIND_RSA_2048, clock.now);
    assertThat(published).hasSize(2);
    VerificationKeys.Entry next = published.get(1);
    assertThat(next.notBefore()).isAfter(clock.now);

    // A token made with the next key (as a client that raced ahead would) is refused at the
    // gateway.
    CredentialCheck check =
        new CredentialCheck(
            "issuer.test", "gateway.test", keys, new InMemorySpentTokens(100, clock), clock);
    TokenIssuance.Pending pending =
        TokenIssuance.begin(next.key().tokenKey(), check.challenges().get(0), TestTokens.RANDOM);
    Token early = pending.finish(next.key().issue(pending.request()));
    assertThat(keys.byKeyId(next.key().tokenKeyId(), clock.now)).isEmpty();
    assertThatThrownBy(() -> check.verify(Optional.of(PrivateTokenAuthorization.header(early))))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("unknown or retired issuer key");
    // and the issuer will not sign with it
    TokenRequest request = pending.request();
    List<VerificationKeys.Entry> signers =
        keys.byTruncatedId(TokenTypes.BLIND_RSA_2048, request.truncatedTokenKeyId(), clock.now);
    assertThat(signers).noneMatch(e -> e == next);
    assertThat(signers).allMatch(e -> e == published.get(0)).hasSizeLessThanOrEqualTo(1);
    clock.now = next.notBefore();
    keys.rotate(clock.now);
    assertThat(check.verify(Optional.of(PrivateTokenAuthorization.header(early)))).isNotNull();
    assertThat(keys.current(TokenTypes.BLIND_RSA_2048, clock.now).orElseThrow().key().tokenKey())
        .isEqualTo(next.key().tokenKey());
  }

  @Test
  @DisplayName("two replicas on one directory hold the same current and next keys")
  void replicasShare() throws Exception {
    Instant now = Instant.parse("2026-12-03T00:00:00Z");
    IssuerKeys a = open(now);
    IssuerKeys b = open(now.plusSeconds(1));
    for (int type : List.of(TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384)) {
      assertThat(b.published(type, now.plusSeconds(1)))
          .extracting(e -> java.util.HexFormat.of().formatHex(e.key().tokenKey()))
          .containsExactlyElementsOf(
              a.published(type, now.plusSeconds(1)).stream()
                  .map(e -> java.util.HexFormat.of().formatHex(e.key().tokenKey()))
                  .toList());
    }
  }

  @Test
  @DisplayName(
      "a retired key's file is removed; a world-readable key file stops the issuer, nothing changed")
  void retiresAndRefusesBadFiles() throws Exception {
    Instant now = Instant.parse("2026-12-03T00:00:00Z");
    IssuerKeys keys = open(now);
    List<String> first = files();
    keys.rotate(now.plus(LIFETIME).plus(LIFETIME).plus(GRACE));
    assertThat(files()).doesNotContainAnyElementsOf(first.subList(0, 1));

    Path file = tmp.resolve("issuer-keys").resolve(files().get(0));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> filesBefore = files();
    assertThatThrownBy(() -> open(now.plus(Duration.ofDays(5))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chmod 600 " + file);
    assertThat(files()).isEqualTo(filesBefore);
  }

  @Test
  @DisplayName(
      "offering fewer token types keeps the other type's keys on disk, unused, instead of refusing")
  void fewerTokenTypes() throws Exception {
    Instant now = Instant.parse("2026-12-03T00:00:00Z");
    open(now);
    List<String> all = files();
    IssuerKeys rsaOnly =
        IssuerKeys.open(
            tmp.resolve("issuer-keys"),
            List.of(TokenTypes.BLIND_RSA_2048),
            LIFETIME,
            GRACE,
            TestTokens.RANDOM,
            now.plusSeconds(1));
    assertThat(rsaOnly.published(TokenTypes.VOPRF_P384, now.plusSeconds(1))).isEmpty();
    assertThat(rsaOnly.published(TokenTypes.BLIND_RSA_2048, now.plusSeconds(1))).hasSize(2);
    assertThat(files()).isEqualTo(all);
  }
}
