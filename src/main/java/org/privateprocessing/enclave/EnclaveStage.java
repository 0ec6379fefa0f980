package org.privateprocessing.enclave;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;
import org.privateprocessing.infer.Model;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.ResponsePadding;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * What one enclave does with an inner request, step by step, without Vert.x:
 *
 * <ol>
 *   <li>{@link #admit}: the clear header names a live key of this enclave and a suite it offers
 *       ({@link EnclaveHandshake}), before any decryption;
 *   <li>{@link #open}: inner decapsulation with the enclave's private key;
 *   <li>{@link #answer}: Binary HTTP in, the enclave API (and so the model), Binary HTTP out;
 *   <li>{@link #seal}: the answer sealed with the request's single-use sealer, the plaintext wiped.
 * </ol>
 *
 * <p>Only steps 1 and 2 fail, and they fail plainly (the gateway seals the problem into the outer
 * layer): without the inner layer open there is no key to answer privately. From step 3 on every
 * outcome, errors included, is a response that reaches the client only, sealed.
 *
 * <p>{@link #handle} runs the four steps on the calling thread. The enclave's verticles run the
 * same steps split over three event-bus addresses: {@link AttestationVerticle} step 1, {@link
 * InferenceVerticle} step 2 on its event loop and step 3 on a worker (behind its in-flight limit),
 * {@link SealingVerticle} step 4. Between steps 3 and 4 the plaintext answer travels only as a
 * local-only message, so it never leaves the node; what leaves step 4 is ciphertext.
 *
 * <p>Thread-safe: it holds no per-request state.
 */
public final class EnclaveStage {
  private final EnclaveIdentity identity;
  private final EnclaveHandshake handshake;
  private final EnclaveApi api;
  private final SecureRandom random;
  private final ResponsePadding padding;

  /** The stage of the enclave {@code identity}, answering with {@code model}, unpadded. */
  public EnclaveStage(EnclaveIdentity identity, Model model) {
    this(identity, model, ResponsePadding.NONE);
  }

  /**
   * The stage of the enclave {@code identity}, answering with {@code model}; every whole answer is
   * zero-padded to a size of {@code padding} ({@code enclave.responsePadding}) before it is sealed,
   * so the gateway sees a few inner sizes rather than the length of each answer.
   */
  public EnclaveStage(EnclaveIdentity identity, Model model, ResponsePadding padding) {
    this(identity, new EnclaveApi(model, identity), new SecureRandom(), padding);
  }

  /**
   * @param random draws the response nonces of {@link #handle}
   */
  EnclaveStage(EnclaveIdentity identity, EnclaveApi api, SecureRandom random) {
    this(identity, api, random, ResponsePadding.NONE);
  }

  EnclaveStage(
      EnclaveIdentity identity, EnclaveApi api, SecureRandom random, ResponsePadding padding) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.padding = Objects.requireNonNull(padding, "padding");
    this.handshake = new EnclaveHandshake(identity);
    this.api = Objects.requireNonNull(api, "api");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The id of the enclave this stage serves (its event-bus addresses carry it). */
  public String enclaveId() {
    return identity.id();
  }

  /**
   * Runs the four steps on the calling thread, which may block (the model runs here).
   *
   * @param body an event-bus body: an {@link Envelope} of kind {@code INNER_REQUEST}
   * @return the sealed answer, an {@link Envelope} of kind {@code INNER_RESPONSE}
   * @throws PipelineException a 400 when the request is not for this enclave's live keys or cannot
   *     be decapsulated; nothing else fails
   */
  public Envelope handle(Object body) throws PipelineException {
    DecapsulatedRequest opened = open(admit(body));
    return seal(new PlainResponse(answer(opened.content()), opened.sealer()), random);
  }

  /**
   * Step 1: refuses what is not an inner request sealed to a live key of this enclave with a suite
   * it offers; reads the clear header only.
   *
   * @return the envelope, unchanged
   */
  public Envelope admit(Object body) throws PipelineException {
    return handshake.admit(body);
  }

  /**
   * Step 2: opens the inner layer. A failure has no key to answer privately with, so it goes back
   * unencrypted and says nothing of content: its slug is {@code inner-} and the reason ({@code
   * inner-decryption-failed}, {@code inner-truncated}, ...).
   */
  public DecapsulatedRequest open(Envelope request) throws PipelineException {
    try {
      return identity.keys().decapsulate(request.ciphertext());
    } catch (OhttpException e) {
      throw PipelineException.of(
          Problems.innerLayer(e.reason()),
          "inner request could not be decapsulated: " + e.getMessage());
    }
  }

  /**
   * Step 3: parses the decrypted Binary HTTP request, serves it and encodes the response. Never
   * throws: a malformed request, an unknown path, a refused body or a failing model each become a
   * problem response, to be sealed like any answer. Blocks while the model runs.
   *
   * <p>Whatever the outcome, {@code binaryHttpRequest} is zeroed before this returns: the caller's
   * copy of the plaintext does not outlive the answer.
   *
   * <p>The encoded response is zero-padded (RFC 9292 section 3.8) to the smallest size of this
   * stage's {@link ResponsePadding} that holds it, problems included, so its length says little of
   * the answer's.
   *
   * @param binaryHttpRequest the inner plaintext ({@link DecapsulatedRequest#content()}); wiped
   * @return the encoded Binary HTTP response, padded, in the clear
   */
  public byte[] answer(byte[] binaryHttpRequest) {
    BinaryHttpResponse response;
    try {
      response = api.handle(BinaryHttpRequest.parse(binaryHttpRequest));
    } catch (BinaryHttpException | RuntimeException e) {
      // A RuntimeException here is a parser bug; it still becomes a sealed (generic) 500.
      response = BinaryResponses.problem(e);
    } finally {
      Arrays.fill(binaryHttpRequest, (byte) 0);
    }
    byte[] encoded = response.encode();
    byte[] padded = padding.pad(encoded);
    if (padded != encoded) {
      Arrays.fill(encoded, (byte) 0);
    }
    return padded;
  }

  /** How this stage pads whole answers. */
  public ResponsePadding padding() {
    return padding;
  }

  /**
   * Step 4: seals the answer for the one client that asked, then wipes the plaintext whatever
   * happens, so nothing of the answer outlives the reply. Needs neither the enclave's keys nor its
   * model: the request's single-use sealer carries all it takes.
   *
   * @throws IllegalStateException if this request's sealer has already sealed a response
   */
  static Envelope seal(PlainResponse plain, SecureRandom random) {
    try {
      return Envelope.wrap(
          Envelope.Kind.INNER_RESPONSE, plain.sealer().seal(plain.binaryHttp(), random));
    } finally {
      Arrays.fill(plain.binaryHttp(), (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "EnclaveStage[" + identity.id() + "]";
  }
}
