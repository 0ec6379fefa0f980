package org.privateprocessing.api;

/**
 * Limits of the enclave API (DESIGN.md section 3, "Enclave API"). Character counts are Unicode code
 * points, so an emoji counts as one character whatever its UTF-16 length.
 */
public final class ApiLimits {
  /** Most messages in one summarise request. */
  public static final int MAX_MESSAGES = 5000;

  /** Longest message text, in characters. */
  public static final int MAX_MESSAGE_TEXT_CHARS = 4000;

  /** Longest draft of a suggest request, in characters. */
  public static final int MAX_DRAFT_CHARS = 4000;

  /** Longest chat or message id, in characters. */
  public static final int MAX_ID_CHARS = 128;

  /** Longest sender name, in characters. */
  public static final int MAX_NAME_CHARS = 200;

  /** Longest chat title, in characters. */
  public static final int MAX_TITLE_CHARS = 200;

  /** Fewest sentences a summary may be asked for. */
  public static final int MIN_SENTENCES = 1;

  /** Most sentences a summary may be asked for. */
  public static final int MAX_SENTENCES = 10;

  /** Sentences of a summary when the request does not say. */
  public static final int DEFAULT_SENTENCES = 3;

  /** Largest JSON document any parser here accepts, in bytes. */
  public static final int MAX_JSON_BYTES = 1 << 20;

  private ApiLimits() {}
}
