package org.privateprocessing.tlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON members {@link InclusionProof} and {@link ConsistencyProof} share: tree sizes and
 * indexes as non-negative integers, hashes as an array of unpadded base64url strings. Reading is
 * strict about these members and ignores any other, so a proof can travel inside a larger object
 * (the gateway's listing puts the log entry beside it).
 */
final class ProofJson {
  /**
   * The most hashes a proof can need: one per level of a tree of at most 2^63 - 1 leaves, plus the
   * one a consistency proof starts with.
   */
  static final int MAX_HASHES = 64;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private ProofJson() {}

  /** Reads JSON text that must be one object; {@code what} names the proof in messages. */
  static JsonNode read(String json, String what) throws TlogException {
    if (json == null) {
      throw malformed(what + " is missing");
    }
    JsonNode node;
    try {
      node = EntryJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw malformed(what + " is not JSON (" + EntryJson.why(e) + ")");
    } catch (NumberFormatException e) {
      // Jackson reports a number BigDecimal cannot hold (found by fuzzing: 1E100000017933)
      // unchecked.
      throw malformed(what + " is not JSON (a number out of range)");
    }
    return node;
  }

  static void requireObject(JsonNode node, String what) throws TlogException {
    if (node == null || !node.isObject()) {
      throw malformed(what + " is not a JSON object");
    }
  }

  /** A member that must be an integer from 0 to 2^63 - 1. */
  static long count(JsonNode node, String name, String what) throws TlogException {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw malformed(what + " field '" + name + "' is missing or not a non-negative integer");
    }
    return v.longValue();
  }

  static ArrayNode hashes(List<byte[]> hashes) {
    ArrayNode a = EntryJson.MAPPER.createArrayNode();
    hashes.forEach(h -> a.add(B64.encodeToString(h)));
    return a;
  }

  /**
   * The {@code "hashes"} member: at most {@link #MAX_HASHES} strings, each canonical unpadded
   * base64url of 32 bytes.
   */
  static List<byte[]> hashes(JsonNode node, String what) throws TlogException {
    JsonNode a = node.get("hashes");
    if (a == null || !a.isArray()) {
      throw malformed(what + " field 'hashes' is missing or not an array");
    }
    if (a.size() > MAX_HASHES) {
      throw malformed(what + " has " + a.size() + " hashes, more than " + MAX_HASHES);
    }
    List<byte[]> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonNode h = a.get(i);
      String where = what + " hash " + i;
      if (!h.isTextual()) {
        throw malformed(where + " is not a string");
      }
      byte[] b;
      try {
        b = Base64.getUrlDecoder().decode(h.textValue());
      } catch (IllegalArgumentException e) {
        throw malformed(where + " is not base64url");
      }
      if (!B64.encodeToString(b).equals(h.textValue())) {
        throw malformed(where + " is not canonical base64url without padding");
      }
      Hashes.requireHash(b, where);
      out.add(b);
    }
    return out;
  }

  private static TlogException malformed(String message) {
    return new TlogException(TlogException.Reason.MALFORMED, message);
  }
}
