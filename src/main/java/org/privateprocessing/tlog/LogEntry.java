package org.privateprocessing.tlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.OhttpException;

/**
 * One entry of the transparency log: a typed JSON record of something a client trusts.
 *
 * <p>The log stores and hashes the canonical encoding ({@link #encode()}: keys sorted, no
 * whitespace, UTF-8), so anyone who downloads the entries as JSON and re-encodes them recomputes
 * the same leaves. {@link #parse} is strict: a known {@code type}, exactly its fields, each in its
 * format; anything else is a {@link TlogException} MALFORMED naming the field.
 */
public sealed interface LogEntry {
  /** Longest text field (version, commit, origin, issuer name) in characters. */
  int MAX_TEXT = 256;

  /** The {@code type} member. */
  String type();

  /** The canonical JSON encoding, exactly what the log stores. */
  byte[] encode();

  /** The RFC 9162 leaf hash of {@link #encode()}. */
  default byte[] leafHash() {
    return Rfc9162.leafHash(encode());
  }

  /** The entry as a JSON tree (canonical key order). */
  ObjectNode toJson();

  /**
   * An enclave release: its launch measurement (SHA-384, lower hex), version, source commit and
   * build time.
   */
  record EnclaveRelease(
      String measurement, String version, String sourceCommit, Instant buildTimestamp)
      implements LogEntry {
    public static final String TYPE = "enclave-release";

    public EnclaveRelease {
      if (measurement == null || !measurement.matches("[0-9a-f]{96}")) {
        throw new IllegalArgumentException("measurement must be 96 lower-case hex digits");
      }
      EntryJson.text(version, "version");
      EntryJson.text(sourceCommit, "sourceCommit");
      Objects.requireNonNull(buildTimestamp, "buildTimestamp");
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode o = EntryJson.MAPPER.createObjectNode();
      o.put("buildTimestamp", buildTimestamp.toString());
      o.put("measurement", measurement);
      o.put("sourceCommit", sourceCommit);
      o.put("type", TYPE);
      o.put("version", version);
      return o;
    }

    @Override
    public byte[] encode() {
      return EntryJson.bytes(toJson());
    }
  }

  /** One RFC 9458 key configuration a gateway serves for {@code origin}. */
  record GatewayKeyConfig(String origin, byte[] keyConfig, Instant createdAt) implements LogEntry {
    public static final String TYPE = "gateway-key-config";

    public GatewayKeyConfig {
      EntryJson.text(origin, "origin");
      Objects.requireNonNull(keyConfig, "keyConfig");
      try {
        KeyConfig.parse(keyConfig);
      } catch (OhttpException e) {
        throw new IllegalArgumentException("keyConfig is not one RFC 9458 key configuration");
      }
      keyConfig = keyConfig.clone();
      Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public byte[] keyConfig() {
      return keyConfig.clone();
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode o = EntryJson.MAPPER.createObjectNode();
      o.put("createdAt", createdAt.toString());
      o.put("keyConfig", EntryJson.b64(keyConfig));
      o.put("origin", origin);
      o.put("type", TYPE);
      return o;
    }

    @Override
    public byte[] encode() {
      return EntryJson.bytes(toJson());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GatewayKeyConfig g
          && origin.equals(g.origin)
          && Arrays.equals(keyConfig, g.keyConfig)
          && createdAt.equals(g.createdAt);
    }

    @Override
    public int hashCode() {
      return Objects.hash(origin, Arrays.hashCode(keyConfig), createdAt);
    }

    @Override
    public String toString() {
      return "GatewayKeyConfig[" + origin + ", " + keyConfig.length + " bytes, " + createdAt + "]";
    }
  }

  /** A token issuer's public key of one token type, as its RFC 9578 directory encodes it. */
  record IssuerKey(String issuer, int tokenType, byte[] tokenKey, Instant notBefore)
      implements LogEntry {
    public static final String TYPE = "issuer-key";

    public IssuerKey {
      EntryJson.text(issuer, "issuer");
      if (tokenType < 1 || tokenType > 0xFFFF) {
        throw new IllegalArgumentException("tokenType must be between 1 and 65535");
      }
      if (tokenKey == null || tokenKey.length == 0 || tokenKey.length > LogFile.MAX_ENTRY / 2) {
        throw new IllegalArgumentException("tokenKey must be non-empty and at most 32 KiB");
      }
      tokenKey = tokenKey.clone();
      Objects.requireNonNull(notBefore, "notBefore");
    }

    @Override
    public byte[] tokenKey() {
      return tokenKey.clone();
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode o = EntryJson.MAPPER.createObjectNode();
      o.put("issuer", issuer);
      o.put("notBefore", notBefore.toString());
      o.put("tokenKey", EntryJson.b64(tokenKey));
      o.put("tokenType", tokenType);
      o.put("type", TYPE);
      return o;
    }

    @Override
    public byte[] encode() {
      return EntryJson.bytes(toJson());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IssuerKey k
          && issuer.equals(k.issuer)
          && tokenType == k.tokenType
          && Arrays.equals(tokenKey, k.tokenKey)
          && notBefore.equals(k.notBefore);
    }

    @Override
    public int hashCode() {
      return Objects.hash(issuer, tokenType, Arrays.hashCode(tokenKey), notBefore);
    }

    @Override
    public String toString() {
      return "IssuerKey["
          + issuer
          + ", type "
          + tokenType
          + ", "
          + tokenKey.length
          + " bytes, "
          + notBefore
          + "]";
    }
  }

  /**
   * Parses an entry strictly.
   *
   * @throws TlogException MALFORMED (naming the field or why it is not JSON); TOO_LARGE beyond
   *     {@link LogFile#MAX_ENTRY}
   */
  static LogEntry parse(byte[] json) throws TlogException {
    if (json == null) {
      throw malformed("log entry is missing");
    }
    if (json.length > LogFile.MAX_ENTRY) {
      throw new TlogException(
          TlogException.Reason.TOO_LARGE,
          "log entry is larger than " + LogFile.MAX_ENTRY + " bytes");
    }
    JsonNode node;
    try {
      node = EntryJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw malformed("log entry is not JSON (" + EntryJson.why(e) + ")");
    } catch (java.io.IOException e) {
      throw malformed("log entry is not JSON");
    } catch (NumberFormatException e) {
      // Jackson reports a number BigDecimal cannot hold (found by fuzzing: 1E100000017933)
      // unchecked.
      throw malformed("log entry is not JSON (a number out of range)");
    }
    if (node == null || !node.isObject()) {
      throw malformed("log entry is not a JSON object");
    }
    return parse(node);
  }

  /** As {@link #parse(byte[])}, from a JSON tree already read. */
  static LogEntry parse(JsonNode node) throws TlogException {
    if (node == null || !node.isObject()) {
      throw malformed("log entry is not a JSON object");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw malformed("log entry field 'type' is missing or not a string");
    }
    try {
      switch (type.textValue()) {
        case EnclaveRelease.TYPE -> {
          EntryJson.exactly(
              node, "buildTimestamp", "measurement", "sourceCommit", "type", "version");
          return new EnclaveRelease(
              EntryJson.string(node, "measurement"),
              EntryJson.string(node, "version"),
              EntryJson.string(node, "sourceCommit"),
              EntryJson.instant(node, "buildTimestamp"));
        }
        case GatewayKeyConfig.TYPE -> {
          EntryJson.exactly(node, "createdAt", "keyConfig", "origin", "type");
          return new GatewayKeyConfig(
              EntryJson.string(node, "origin"),
              EntryJson.base64(node, "keyConfig"),
              EntryJson.instant(node, "createdAt"));
        }
        case IssuerKey.TYPE -> {
          EntryJson.exactly(node, "issuer", "notBefore", "tokenKey", "tokenType", "type");
          JsonNode t = node.get("tokenType");
          if (!t.isIntegralNumber() || !t.canConvertToInt()) {
            throw malformed("log entry field 'tokenType' is not an integer");
          }
          return new IssuerKey(
              EntryJson.string(node, "issuer"),
              t.intValue(),
              EntryJson.base64(node, "tokenKey"),
              EntryJson.instant(node, "notBefore"));
        }
        default ->
            throw malformed(
                "log entry type '"
                    + EntryJson.shorten(type.textValue())
                    + "' is unknown (known: enclave-release, gateway-key-config, issuer-key)");
      }
    } catch (IllegalArgumentException e) {
      // The record constructors name the field that is out of format.
      throw malformed("log entry field " + e.getMessage());
    }
  }

  private static TlogException malformed(String message) {
    return new TlogException(TlogException.Reason.MALFORMED, message);
  }
}
