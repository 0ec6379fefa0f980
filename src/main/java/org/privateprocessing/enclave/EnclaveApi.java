package org.privateprocessing.enclave;

import java.util.Arrays;
import java.util.List;
import org.privateprocessing.api.ApiLimits;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.api.EnclaveInfo;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.infer.Answer;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.infer.TextSink;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * The enclave's HTTP API (DESIGN.md section 3, "Enclave API"), served on decrypted Binary HTTP
 * requests. It never throws: every outcome is a response, which the sealing stage encrypts, so even
 * errors reach only the client. This runs the model, so callers run it off the event loop.
 */
public final class EnclaveApi {
  private final Model model;
  private final EnclaveInfo enclave;

  public EnclaveApi(Model model, EnclaveIdentity identity) {
    this.model = model;
    this.enclave = new EnclaveInfo(identity.id(), identity.measurement());
  }

  public BinaryHttpResponse handle(BinaryHttpRequest request) {
    return handle(request, null);
  }

  /**
   * As {@link #handle(BinaryHttpRequest)}, running the model with {@code sink} (when not null), so
   * that the text of the answer reaches it piece by piece as the model writes it; the response is
   * the same complete answer (or problem) as without a sink.
   */
  public BinaryHttpResponse handle(BinaryHttpRequest request, TextSink sink) {
    try {
      return switch (request.path()) {
        case ApiPaths.SUMMARIZE -> summarize(request, sink);
        case ApiPaths.SUGGEST -> suggest(request, sink);
        default ->
            throw PipelineException.of(
                ProblemType.NO_SUCH_ENDPOINT,
                "the enclave serves POST /v1/summarize and POST /v1/suggest");
      };
    } catch (Exception e) {
      ChunkOutlet.StreamCut cut = ChunkOutlet.StreamCut.in(e);
      if (cut != null) {
        // The streamed answer's reader is gone (the model may have wrapped the cut on its way
        // out): there is no one to answer, and nothing went wrong here to report or log.
        throw cut;
      }
      return BinaryResponses.problem(e);
    }
  }

  private BinaryHttpResponse summarize(BinaryHttpRequest request, TextSink sink) throws Exception {
    SummarizeRequest parsed;
    byte[] body = jsonBody(request);
    try {
      parsed = SummarizeRequest.parse(body);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    refuseAdvancedChatPrivacy(parsed.chat().advancedChatPrivacy());
    Answer<Summary> answer = sink == null ? model.summarize(parsed) : model.summarize(parsed, sink);
    // The model that answered, which is the fallback's when a primary model failed.
    return ok(
        new SummarizeResponse(
                answer.value().text(), answer.value().highlights(), answer.model(), enclave)
            .encode());
  }

  private BinaryHttpResponse suggest(BinaryHttpRequest request, TextSink sink) throws Exception {
    SuggestRequest parsed;
    byte[] body = jsonBody(request);
    try {
      parsed = SuggestRequest.parse(body);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    refuseAdvancedChatPrivacy(parsed.chat().advancedChatPrivacy());
    Answer<List<Suggestion>> answer =
        sink == null ? model.suggest(parsed) : model.suggest(parsed, sink);
    return ok(new SuggestResponse(answer.value(), answer.model(), enclave).encode());
  }

  /** A 200 with this JSON body; the body array is wiped once the response holds its own copy. */
  private static BinaryHttpResponse ok(byte[] json) {
    try {
      return BinaryResponses.ok(BinaryResponses.JSON, json);
    } finally {
      Arrays.fill(json, (byte) 0);
    }
  }

  private static byte[] jsonBody(BinaryHttpRequest request)
      throws PipelineException, InvalidRequestException {
    if (!"POST".equals(request.method())) {
      throw PipelineException.of(
          ProblemType.METHOD_NOT_ALLOWED, request.path() + " accepts POST only");
    }
    if (!MediaTypes.essence(request.header("content-type").orElse(null))
        .equals(BinaryResponses.JSON)) {
      throw PipelineException.of(
          ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the request body as application/json");
    }
    byte[] body = request.content(); // a copy: the caller wipes it after parsing
    if (body.length > ApiLimits.MAX_JSON_BYTES) {
      Arrays.fill(body, (byte) 0);
      throw new InvalidRequestException(
          "$", "body is larger than " + ApiLimits.MAX_JSON_BYTES + " bytes");
    }
    return body;
  }

  /** Defence in depth: the SDK refuses these chats too, but the enclave never relies on that. */
  private static void refuseAdvancedChatPrivacy(boolean advancedChatPrivacy)
      throws PipelineException {
    if (advancedChatPrivacy) {
      throw PipelineException.of(
          ProblemType.ADVANCED_CHAT_PRIVACY,
          "this chat has advanced chat privacy on: its messages may not be used for AI features");
    }
  }
}
