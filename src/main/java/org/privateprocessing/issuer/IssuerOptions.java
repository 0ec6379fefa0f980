package org.privateprocessing.issuer;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigBinder.Key;
import org.privateprocessing.core.Defaults;

/**
 * Issuer settings ({@code "issuer"} section of a role config).
 *
 * @param name the issuer name that gateways put in their token challenges (RFC 9577 section 2.1)
 * @param accounts each account's id and the SHA-256 (hex) of its bearer credential; credentials are
 *     never stored in the clear. Credentials must be high-entropy secrets (e.g. 32 random bytes),
 *     which is why a fast hash is enough
 * @param tokensPerWindow how many tokens one account may get per {@code window}
 * @param keyGrace how long a replaced key still verifies; a quarter of {@code keyLifetime} when
 *     absent
 * @param tokenTypes token types offered, preferred first (2 = Blind RSA, 1 = VOPRF P-384)
 * @param failedAuthentications how many wrong credentials a source, and all sources together, may
 *     send before the issuer makes them wait ({@link FailedAuthThrottle})
 * @param keyDir where the issuer's keys are kept, one owner-only file per key, shared by every
 *     replica (the node's default is {@code <dataDir>/issuer-keys}); null keeps them in memory only
 *     (tests) ({@link #keyPath()})
 * @param makeKeys whether this replica makes missing keys (default true); false on hosts that get a
 *     copy of the key directory from the one host that makes them (docs/OPERATIONS.md, Keys)
 */
public record IssuerOptions(
    String host,
    @Key(min = 0, max = 65535) int port,
    String name,
    List<Account> accounts,
    @Key(min = 1) int tokensPerWindow,
    @Key(was = "windowSeconds") Duration window,
    @Key(was = "keyLifetimeSeconds") Duration keyLifetime,
    @Key(derived = true, was = "keyGraceSeconds") Duration keyGrace,
    List<Integer> tokenTypes,
    @Key(min = 1) int maxBodyBytes,
    FailedAuthThrottle.Limits failedAuthentications,
    String keyDir,
    boolean makeKeys) {
  public static final int DEFAULT_PORT = Defaults.ISSUER_PORT;

  /** SHA-256("demo"): the all-in-one demo account. Demo only: anyone can read it here. */
  public static final String DEMO_CREDENTIAL_SHA256 =
      "2a97516c354b68848cdbd8f54a226a0a55b21ed138e207ad6c5cbb9c00aa5aea";

  /**
   * Every key's default: the demo account, 1,000 tokens an hour, keys for a day with a quarter of
   * that as grace.
   */
  public static final IssuerOptions DEFAULTS =
      new IssuerOptions(
          "127.0.0.1",
          DEFAULT_PORT,
          "issuer.private-processing.local",
          List.of(new Account("demo", DEMO_CREDENTIAL_SHA256)),
          1_000,
          Duration.ofHours(1),
          Duration.ofDays(1),
          null,
          List.of(2, 1),
          4_096,
          FailedAuthThrottle.Limits.DEFAULTS,
          null,
          true);

  /**
   * One account ({@code issuer.accounts[i]}).
   *
   * @param id the account's name in the issuer's limits and logs; {@code account-<i>} when absent
   * @param credentialSha256 SHA-256 (64 lower-case hex digits) of the account's bearer credential
   */
  public record Account(String id, String credentialSha256) {
    public Account {
      if (credentialSha256 == null || !credentialSha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("credentialSha256: 64 lower-case hex digits");
      }
    }
  }

  /** Absent {@code keyGrace}: a quarter of {@code keyLifetime}. */
  public IssuerOptions {
    accounts = List.copyOf(accounts);
    tokenTypes = List.copyOf(tokenTypes);
    if (keyGrace == null) {
      keyGrace = keyLifetime.dividedBy(4);
    }
    if (tokenTypes.isEmpty()) {
      throw new IllegalArgumentException("issuer.tokenTypes: at least one token type");
    }
    for (int t : tokenTypes) {
      if (t != 1 && t != 2) {
        throw new IllegalArgumentException(
            "issuer.tokenTypes: " + t + " is not supported (1 or 2)");
      }
    }
  }

  /**
   * The {@code "issuer"} section (null: every default), bound by {@link ConfigBinder}.
   *
   * @throws org.privateprocessing.core.ConfigException naming the bad key
   */
  public static IssuerOptions fromJson(JsonObject json) {
    return ConfigBinder.bind("issuer", json, IssuerOptions.class, DEFAULTS);
  }

  /** SHA-256 (hex) of each account's credential -> the account's id. */
  public Map<String, String> accountsByCredential() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < accounts.size(); i++) {
      Account a = accounts.get(i);
      out.put(a.credentialSha256(), a.id() == null ? "account-" + i : a.id());
    }
    return Map.copyOf(out);
  }

  public IssuerOptions withPort(int newPort) {
    return new IssuerOptions(
        host,
        newPort,
        name,
        accounts,
        tokensPerWindow,
        window,
        keyLifetime,
        keyGrace,
        tokenTypes,
        maxBodyBytes,
        failedAuthentications,
        keyDir,
        makeKeys);
  }

  /** {@link #keyDir} as a path, or null. */
  public java.nio.file.Path keyPath() {
    return keyDir == null ? null : java.nio.file.Path.of(keyDir);
  }

  /** The same settings with keys kept in {@code dir} unless {@code keyDir} names a place. */
  public IssuerOptions withDefaultKeyDir(java.nio.file.Path dir) {
    return new IssuerOptions(
        host,
        port,
        name,
        accounts,
        tokensPerWindow,
        window,
        keyLifetime,
        keyGrace,
        tokenTypes,
        maxBodyBytes,
        failedAuthentications,
        keyDir != null ? keyDir : dir.toString(),
        makeKeys);
  }

  static String sha256Hex(String credential) {
    try {
      return HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(credential.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
