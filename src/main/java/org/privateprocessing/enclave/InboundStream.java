package org.privateprocessing.enclave;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.core.Problems;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestDecapsulator;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.RequestHeader;

/**
 * One chunked inner request arriving at the enclave in pieces (the gateway's request messages,
 * docs/PROTOCOL.md "Event bus"), without Vert.x: each piece must come in sequence (0, 1, …) and
 * none after the last. The clear header is checked as soon as it is in (sealed to a live key, a
 * suite the enclave offers: {@link EnclaveHandshake#checkAddressedToLiveKey}), then every chunk is
 * opened as it comes ({@link ChunkedRequestDecapsulator}, within the {@link ChunkLimits}); the
 * plaintext is gathered, and handed over once the final chunk opened. Any refusal ends the stream:
 * it is wiped and takes nothing more. Not thread-safe: one event loop calls it.
 */
final class InboundStream {
  private final EnclaveHandshake handshake;
  private final InnerKeys keys;
  private final ChunkLimits limits;
  private byte[] header = new byte[0];
  private ChunkedRequestDecapsulator opener;
  private byte[] plaintext = new byte[0];
  private int length;
  private long expected;
  private boolean over;

  InboundStream(EnclaveHandshake handshake, InnerKeys keys, ChunkLimits limits) {
    this.handshake = Objects.requireNonNull(handshake, "handshake");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The sequence number the next piece must carry. */
  long expected() {
    return expected;
  }

  /**
   * Takes the next piece of the sealed request (the caller keeps and wipes {@code bytes}).
   *
   * @return the opened request once {@code last} came and the final chunk opened (the caller wipes
   *     its content), else null
   * @throws PipelineException a piece out of sequence or after the last ({@code bad-envelope}), a
   *     header not for a live key, a chunk that does not open or passes the limits ({@code
   *     inner-*}); the stream is then over and wiped
   */
  OpenedStream take(long seq, byte[] bytes, boolean last) throws PipelineException {
    if (over) {
      throw PipelineException.of(
          ProblemType.BAD_ENVELOPE, "a request message after the stream ended");
    }
    if (seq != expected) {
      wipe();
      throw PipelineException.of(
          ProblemType.BAD_ENVELOPE,
          "request message " + seq + " out of sequence (expected " + expected + ")");
    }
    expected++;
    try {
      byte[] rest = bytes;
      if (opener == null) {
        header = concat(header, bytes);
        if (header.length < RequestHeader.LENGTH && !last) {
          return null;
        }
        handshake.checkAddressedToLiveKey(header);
        opener = keys.chunkedOpener(header[0] & 0xff, limits);
        rest = header;
      }
      List<byte[]> pieces = opener.feed(rest);
      if (rest == header) {
        Arrays.fill(header, (byte) 0);
        header = new byte[0];
      }
      for (byte[] piece : pieces) {
        append(piece);
      }
      if (!last) {
        return null;
      }
      append(opener.finish());
      over = true;
      byte[] content = Arrays.copyOf(plaintext, length);
      Arrays.fill(plaintext, (byte) 0);
      plaintext = new byte[0];
      length = 0;
      return new OpenedStream(content, opener.sealer());
    } catch (OhttpException e) {
      wipe();
      throw PipelineException.of(
          Problems.innerLayer(e.reason()),
          "chunked inner request could not be decapsulated: " + e.getMessage());
    } catch (PipelineException e) {
      wipe();
      throw e;
    }
  }

  /** Ends the stream and wipes what it gathered. */
  void wipe() {
    over = true;
    Arrays.fill(header, (byte) 0);
    header = new byte[0];
    Arrays.fill(plaintext, (byte) 0);
    plaintext = new byte[0];
    length = 0;
  }

  private void append(byte[] piece) {
    if (plaintext.length - length < piece.length) {
      byte[] bigger = new byte[Math.max(plaintext.length * 2, length + piece.length)];
      System.arraycopy(plaintext, 0, bigger, 0, length);
      Arrays.fill(plaintext, (byte) 0);
      plaintext = bigger;
    }
    System.arraycopy(piece, 0, plaintext, length, piece.length);
    length += piece.length;
    Arrays.fill(piece, (byte) 0);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    Arrays.fill(a, (byte) 0);
    return both;
  }
}
