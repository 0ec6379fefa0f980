package org.privateprocessing.core;

/**
 * Every event-bus address of the system, in one place: the gateway's credential stage, the
 * enclaves' announcements, and each enclave's own stages. Enclave addresses carry the enclave id so
 * that a gateway reaches exactly the enclave the client chose, on whichever node it runs.
 */
public final class Addresses {
  /**
   * Gateway: outer OHTTP decapsulation, credential check, routing of the inner Binary HTTP request.
   */
  public static final String CREDENTIAL = "pp.credential";

  /** Published by enclaves: their descriptor, periodically (public data only). */
  public static final String ANNOUNCE = "pp.enclaves.announce";

  /** Published by an enclave that stops. */
  public static final String LEAVE = "pp.enclaves.leave";

  /** Published by a gateway that starts, so enclaves announce without waiting for the next beat. */
  public static final String WHO = "pp.enclaves.who";

  private static final String ENCLAVE_PREFIX = "pp.enclave.";

  private Addresses() {}

  /** Attestation handshake of one enclave: is the request for its live key; its description. */
  public static String handshake(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".handshake";
  }

  /** Inference of one enclave: inner decapsulation and the model. */
  public static String infer(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".infer";
  }

  /**
   * Streamed answers of one enclave: a chunked inner request in, then the sealed chunks of its
   * answer sent one message each to the reply address the request names (docs/PROTOCOL.md, "Event
   * bus").
   */
  public static String stream(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".stream";
  }

  /**
   * The pieces of streamed requests to one enclave, after {@link #stream} opened them: each names
   * its stream with {@link #STREAM_REPLY_TO} and carries {@link #STREAM_SEQ} and {@link
   * #STREAM_FINAL}, or {@link #STREAM_CANCEL} (docs/PROTOCOL.md, "Event bus").
   */
  public static String streamRequest(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".stream.in";
  }

  /**
   * A fresh address for the chunks of one streamed answer, registered by the gateway for that
   * answer only: {@value #STREAM_REPLY_PREFIX} and a random UUID.
   */
  public static String streamReply() {
    return STREAM_REPLY_PREFIX + java.util.UUID.randomUUID();
  }

  /** The prefix of {@link #streamReply()} addresses; an enclave sends chunks to no other. */
  public static final String STREAM_REPLY_PREFIX = "pp.stream.";

  /** Header of a streamed request to {@link #stream}: the {@link #streamReply()} address. */
  public static final String STREAM_REPLY_TO = "pp-stream-to";

  /** Header of each chunk message of a stream: its position, from 0. */
  public static final String STREAM_SEQ = "pp-seq";

  /** Header of each chunk message of a stream: {@code true} on the last one. */
  public static final String STREAM_FINAL = "pp-final";

  /** Header of a message to {@link #streamRequest}: the upload broke off, drop the stream. */
  public static final String STREAM_CANCEL = "pp-cancel";

  /**
   * Gateway, local only: the credential stage's side of a chunked request, handed over by the
   * gateway's HTTP listener with the response to write to (a local-only message).
   */
  public static final String CREDENTIAL_STREAM = "pp.credential.stream";

  /** Response sealing of one enclave; receives plaintext, so it is only ever reached locally. */
  public static String seal(String enclaveId) {
    return ENCLAVE_PREFIX + enclaveId + ".seal";
  }
}
