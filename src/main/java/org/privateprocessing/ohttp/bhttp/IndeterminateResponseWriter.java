package org.privateprocessing.ohttp.bhttp;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Writes a Binary HTTP response in indeterminate-length form (framing indicator 3, RFC 9292 section
 * 3.2) piece by piece, for a response whose content is produced over time: {@link #head} once
 * (after any {@link #informational} responses), {@link #content} any number of times, {@link #end}
 * once. Each call returns the bytes to send; the order is enforced. Single owner.
 */
public final class IndeterminateResponseWriter extends IndeterminateWriter {
  public IndeterminateResponseWriter() {
    super("response");
  }

  /** An interim (1xx) response, before {@link #head}; the first call also writes the framing. */
  public byte[] informational(InformationalResponse response) {
    Objects.requireNonNull(response, "response");
    if (state != State.START && state != State.INFORMATIONAL) {
      throw new IllegalStateException("informational responses come before the final head");
    }
    return statusAndFields(response.status(), response.headers(), State.INFORMATIONAL);
  }

  /** The final status (200..599) and header section. */
  public byte[] head(int status, List<Field> headers) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("final status must be 200..599");
    }
    List<Field> checked = Codec.checkedFields(headers);
    if (state != State.START && state != State.INFORMATIONAL) {
      throw new IllegalStateException("the head was already written");
    }
    return statusAndFields(status, checked, State.CONTENT);
  }

  /** The framing first when nothing was written yet, then a status code and its field section. */
  private byte[] statusAndFields(int status, List<Field> fields, State next) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (state == State.START) {
      VarInt.write(out, Codec.INDETERMINATE_LENGTH_RESPONSE);
    }
    VarInt.write(out, status);
    Codec.writeIndeterminateSection(out, fields);
    state = next;
    return out.toByteArray();
  }
}
