package org.privateprocessing.tlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/** Small helpers shared by the proof records: defensive copies and length checks. */
final class Hashes {
  private Hashes() {}

  static List<byte[]> copyOf(List<byte[]> hashes) {
    if (hashes == null) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      if (h == null) {
        throw new IllegalArgumentException("proof hash is null");
      }
      out.add(h.clone());
    }
    return Collections.unmodifiableList(out);
  }

  static void requireHash(byte[] hash, String what) throws TlogException {
    if (hash == null || hash.length != Rfc9162.HASH_LENGTH) {
      throw new TlogException(
          TlogException.Reason.MALFORMED,
          what
              + " is "
              + (hash == null ? "missing" : hash.length + " bytes")
              + ", expected "
              + Rfc9162.HASH_LENGTH);
    }
  }

  static void requireProofHashes(List<byte[]> hashes) throws TlogException {
    for (int i = 0; i < hashes.size(); i++) {
      requireHash(hashes.get(i), "proof hash " + i);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
