package org.privateprocessing.enclave;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.RequestHeader;

/**
 * The enclave's side of the attestation handshake: it describes the enclave (id, live key configs,
 * measurement and the evidence binding them) and refuses any inner request that is not sealed to
 * one of this enclave's live keys, before any decryption is attempted. Keys rotate, so both read
 * the keys as they are at each call.
 */
public final class EnclaveHandshake {
  private final EnclaveIdentity identity;

  public EnclaveHandshake(EnclaveIdentity identity) {
    this.identity = identity;
  }

  /**
   * The handshake stage's check of an event-bus body that is not a {@link #describe()} request: it
   * must be an inner request ({@link Envelope.Kind#INNER_REQUEST}) addressed to a live key of this
   * enclave.
   *
   * @return the envelope, to pass on to inference
   */
  public Envelope admit(Object body) throws PipelineException {
    if (!(body instanceof Envelope envelope) || envelope.kind() != Envelope.Kind.INNER_REQUEST) {
      throw PipelineException.of(ProblemType.BAD_ENVELOPE, "expected an inner request");
    }
    checkAddressedToLiveKey(envelope.ciphertext());
    return envelope;
  }

  /**
   * Refuses a request that is not addressed to a live key of this enclave with a suite it offers.
   * Reads only the clear header ({@link RequestHeader}), so a refused request costs no decryption.
   */
  public void checkAddressedToLiveKey(byte[] innerRequest) throws PipelineException {
    RequestHeader header;
    try {
      header = RequestHeader.read(innerRequest);
    } catch (OhttpException truncated) {
      throw PipelineException.of(
          ProblemType.INNER_TRUNCATED, "inner request is shorter than its header");
    }
    int keyId = header.keyId();
    KeyConfig config =
        identity
            .keys()
            .config(keyId)
            .orElseThrow(
                () ->
                    PipelineException.of(
                        ProblemType.INNER_UNKNOWN_KEY,
                        "inner request is sealed to key id "
                            + keyId
                            + ", which is not a live key of enclave "
                            + identity.id()
                            + "; fetch /v1/enclaves again"));
    try {
      header.requireMatches(config);
    } catch (OhttpException mismatch) {
      // The key id matched, so this is the KEM or the suite.
      throw PipelineException.of(
          ProblemType.INNER_UNSUPPORTED_SUITE,
          "inner request's KEM or symmetric suite does not match key id " + keyId);
    }
  }

  /**
   * This enclave's entry of {@code GET /v1/enclaves}, as it is now: an attested enclave lists
   * exactly the key configs its current evidence binds (read together with that evidence, so a
   * rotation never shows a key list and evidence that disagree); one without attestation lists its
   * current and retiring keys.
   */
  public JsonObject describe() {
    EnclaveAttestation attestation = identity.attestation();
    EnclaveAttestation.Snapshot bound = attestation == null ? null : attestation.snapshot();
    List<KeyConfig> configs =
        bound == null ? identity.keys().listing(null, List.of()) : bound.keyConfigs();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JsonObject entry =
        new JsonObject()
            .put("id", identity.id())
            // The preferred (post-quantum) config, as DESIGN.md names it; all of them in RFC 9540
            // form.
            .put("keyConfig", b64.encodeToString(configs.get(0).encode()))
            .put("keyConfigs", b64.encodeToString(KeyConfigs.encode(configs)));
    if (identity.measurement() != null) {
      entry.put("measurement", identity.measurement());
    }
    if (bound != null) {
      // The client verifies this and then seals only to the key configs inside it.
      entry.put("evidence", b64.encodeToString(bound.evidence().encode()));
    }
    return entry;
  }

  /** Convenience for the listing: several descriptions as a JSON array. */
  static JsonArray array(List<JsonObject> entries) {
    return new JsonArray(List.copyOf(entries));
  }
}
