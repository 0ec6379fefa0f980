package org.privateprocessing.ohttp.bhttp;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Writes a Binary HTTP request in indeterminate-length form (framing indicator 2, RFC 9292 section
 * 3.2) piece by piece: {@link #head} once, {@link #content} any number of times, {@link #end} once.
 * Each call returns the bytes to send; the order is enforced. Single owner.
 */
public final class IndeterminateRequestWriter extends IndeterminateWriter {
  public IndeterminateRequestWriter() {
    super("request");
  }

  /** Framing indicator, control data and header section. */
  public byte[] head(
      String method, String scheme, String authority, String path, List<Field> headers) {
    // The record checks method, scheme, authority and path exactly as the known-length form does.
    new BinaryHttpRequest(method, scheme, authority, path, headers, new byte[0], List.of());
    if (state != State.START) {
      throw new IllegalStateException("the head was already written");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VarInt.write(out, Codec.INDETERMINATE_LENGTH_REQUEST);
    Codec.writeControlData(out, method, scheme, authority, path);
    Codec.writeIndeterminateSection(out, headers);
    state = State.CONTENT;
    return out.toByteArray();
  }
}
