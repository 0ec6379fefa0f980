package org.privateprocessing.api;

/**
 * A JSON document of the enclave API failed validation. {@link #field()} is a JSON-pointer-like
 * path ({@code $} for the whole document, {@code messages[3].text} for a nested value) and {@link
 * #reason()} says what is wrong with it. Neither ever contains request content, so the message is
 * safe to put in a problem response or a log.
 */
public final class InvalidRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  public InvalidRequestException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** Path of the offending value, e.g. {@code messages[3].text}; {@code $} is the document. */
  public String field() {
    return field;
  }

  /** What is wrong with the value, without the value itself. */
  public String reason() {
    return reason;
  }
}
