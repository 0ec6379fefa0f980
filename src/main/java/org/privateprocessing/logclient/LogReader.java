package org.privateprocessing.logclient;

import io.vertx.core.Future;
import java.util.OptionalLong;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;

/**
 * What a gateway reads from the transparency log to hand proofs to clients (docs/TRANSPARENCY.md).
 */
public interface LogReader {
  /** The current signed checkpoint note, with cosignatures. */
  Future<String> checkpoint();

  /**
   * Index of the first entry whose {@code kind} ({@code measurement}, {@code keyConfig}, {@code
   * tokenKey}) is {@code value}.
   */
  Future<OptionalLong> lookup(String kind, String value);

  /** The exact bytes of entry {@code index} (the leaf's input). */
  Future<byte[]> entry(long index);

  Future<InclusionProof> inclusion(long index, long treeSize);

  Future<ConsistencyProof> consistency(long size1, long size2);
}
