package org.privateprocessing.ohttp.bhttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feeds a whole message to an incremental parser in slices of one size, as a network would. */
final class ParseInSlices {
  private ParseInSlices() {}

  /** Every part {@code parser} hands out for {@code bytes} fed {@code slice} bytes at a time. */
  static <P> List<P> parts(IncrementalParser<P> parser, byte[] bytes, int slice)
      throws BinaryHttpException {
    List<P> parts = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += slice) {
      parts.addAll(parser.feed(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + slice))));
    }
    parts.addAll(parser.finish());
    return parts;
  }
}
