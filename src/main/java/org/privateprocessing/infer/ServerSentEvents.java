package org.privateprocessing.infer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import org.privateprocessing.infer.ModelException.Reason;

/**
 * Incremental decoder of a {@code text/event-stream} body (the HTML Living Standard, "Server-sent
 * events", section 9.2.6 "Interpreting an event stream"), fed bytes as they arrive in pieces of any
 * size; each event's data goes to a consumer as soon as its blank line arrives.
 *
 * <ul>
 *   <li>Lines end at CRLF, LF or CR, also when the CR and LF arrive in two reads; a leading UTF-8
 *       byte order mark is skipped.
 *   <li>{@code data:} lines (one leading space removed) of one event are joined with {@code \n};
 *       the blank line ends the event; an event without data is not dispatched.
 *   <li>Comments ({@code :…}, used as keep-alives) and the fields {@code event}, {@code id} and
 *       {@code retry} are ignored, like unknown fields: chat completions streams carry everything
 *       in {@code data}.
 *   <li>An event still open when the stream ends is dropped, as the standard says; the caller
 *       decides whether the stream was complete (see {@link ChatCompletionStream}).
 *   <li>A line longer than {@code maxLineBytes}, or an event whose data is longer than that, is
 *       refused with {@link Reason#OVERSIZED} before it is held: memory stays bounded by the limit.
 * </ul>
 *
 * <p>Not thread-safe: one reader feeds it. Failures name the cause only, never what was read.
 */
final class ServerSentEvents {
  private static final int CR = '\r';
  private static final int LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final int maxLineBytes;
  private final Consumer<String> onData;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private boolean afterCr;
  private int bomSeen; // bytes of a leading BOM matched so far; -1 once past the start
  private boolean failed;

  /**
   * @param maxLineBytes the longest line, and the longest data of one event, in bytes
   * @param onData receives the data of each complete event, in order
   */
  ServerSentEvents(int maxLineBytes, Consumer<String> onData) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive");
    }
    this.maxLineBytes = maxLineBytes;
    this.onData = Objects.requireNonNull(onData, "onData");
  }

  /** Feeds the next bytes of the stream; complete events are dispatched before this returns. */
  void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (failed) {
      throw new IllegalStateException("the event stream already failed");
    }
    try {
      int end = offset + length;
      int i = offset;
      while (i < end && bomSeen >= 0) { // a BOM may arrive split across reads too
        if (bomSeen < BOM.length && bytes[i] == BOM[bomSeen]) {
          bomSeen++;
          i++;
          if (bomSeen == BOM.length) {
            bomSeen = -1;
          }
        } else {
          if (bomSeen > 0) { // not a BOM after all: its bytes were the start of a line
            append(BOM, 0, bomSeen);
          }
          bomSeen = -1;
        }
      }
      int start = i; // start of the run of line bytes not yet appended
      for (; i < end; i++) {
        int b = bytes[i];
        if (b == LF && afterCr) { // the LF of a CRLF split across two reads, or just after CR
          afterCr = false;
          start = i + 1;
          continue;
        }
        afterCr = false;
        if (b == CR || b == LF) {
          append(bytes, start, i - start);
          endOfLine();
          afterCr = b == CR;
          start = i + 1;
        }
      }
      append(bytes, start, end - start);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Whether bytes of an unfinished line or event are held (the stream ended mid-event). */
  boolean pending() {
    return line.size() > 0 || hasData;
  }

  private void append(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return;
    }
    if (line.size() + length > maxLineBytes) {
      throw new ModelException(
          Reason.OVERSIZED, "model stream has a line longer than " + maxLineBytes + " bytes");
    }
    line.write(bytes, offset, length);
  }

  private void endOfLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      return; // a comment
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    if (!field.equals("data")) {
      return; // event, id, retry and unknown fields carry nothing a chat stream needs
    }
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (data.length() + value.length() + 1 > maxLineBytes) {
      throw new ModelException(
          Reason.OVERSIZED, "model stream has an event longer than " + maxLineBytes + " bytes");
    }
    if (hasData) {
      data.append('\n');
    }
    data.append(value);
    hasData = true;
  }

  private void dispatch() {
    if (!hasData) {
      return;
    }
    String event = data.toString();
    data.setLength(0);
    hasData = false;
    onData.accept(event);
  }
}
