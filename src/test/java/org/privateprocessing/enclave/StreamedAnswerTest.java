package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.infer.Answer;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.ModelException;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.infer.TextSink;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;

/** The enclave's streamed answer without Vert.x: chunk layout, padding, failures, a cut reader. */
class StreamedAnswerTest {
  @org.junit.jupiter.api.extension.RegisterExtension
  final org.privateprocessing.LogCapture log = org.privateprocessing.LogCapture.everything();

  private static final SecureRandom RANDOM = new SecureRandom();
  private final EnclaveIdentity identity = EnclaveIdentity.generate("ab12", null, RANDOM);

  /** Writes the given pieces, then answers their concatenation; fails at {@code failAt}. */
  private static final class Pieces implements Model {
    private final List<String> pieces;
    private final int failAt;
    final AtomicInteger written = new AtomicInteger();
    private final Model real = new EmbeddedModel();

    Pieces(List<String> pieces, int failAt) {
      this.pieces = pieces;
      this.failAt = failAt;
    }

    @Override
    public ModelInfo info() {
      return real.info();
    }

    @Override
    public Answer<Summary> summarize(SummarizeRequest request) {
      return summarize(request, p -> {});
    }

    @Override
    public Answer<List<Suggestion>> suggest(SuggestRequest request) {
      return real.suggest(request);
    }

    @Override
    public Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
      for (int i = 0; i < pieces.size(); i++) {
        if (i == failAt) {
          throw new ModelException(ModelException.Reason.CONNECT, "down");
        }
        sink.text(pieces.get(i));
        written.incrementAndGet();
      }
      return new Answer<>(new Summary(String.join("", pieces), List.of()), real.info());
    }
  }

  private record Sent(List<byte[]> bytes, List<Boolean> last) {}

  private Sent serve(Model model, ChunkOutlet outlet) throws Exception {
    ChunkedRequestEncapsulator request =
        ChunkedRequestEncapsulator.start(identity.keyConfigs().get(0), RANDOM);
    byte[] bhttp =
        EnclaveApiTest.post(
                "/v1/summarize", "application/json", EnclaveApiTest.CHAT.formatted(false))
            .encodeIndeterminate();
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    wire.writeBytes(request.header());
    wire.writeBytes(request.sealFinal(bhttp));
    OpenedStream opened =
        identity.keys().decapsulateChunked(wire.toByteArray(), ChunkLimits.DEFAULT);
    Sent sent = new Sent(new ArrayList<>(), new ArrayList<>());
    StreamedAnswer.serve(
        new EnclaveApi(model, identity),
        opened.content(),
        opened.sealer(),
        (bytes, last) -> {
          outlet.send(bytes, last);
          sent.bytes().add(bytes);
          sent.last().add(last);
        },
        RANDOM);
    assertThat(opened.content()).containsOnly(0);
    return sent;
  }

  @Test
  @DisplayName(
      "over many answer lengths the chunks an observer sees take few sizes: every line is padded")
  void fewChunkSizes() throws Exception {
    Set<Integer> sizes = new TreeSet<>();
    int answers = 0;
    for (int length = 1; length <= 9_000; length += 37) {
      List<String> pieces = new ArrayList<>();
      for (int at = 0; at < length; at += 1 + (at * 7919) % 300) {
        pieces.add("x".repeat(Math.min(1 + (at * 7919) % 300, length - at)));
      }
      Sent sent = serve(new Pieces(pieces, -1), (b, l) -> {});
      for (int i = 1; i < sent.bytes().size(); i++) {
        sizes.add(sent.bytes().get(i).length);
      }
      answers++;
    }
    System.out.println(
        "streamed chunk sizes over " + answers + " answers: " + sizes.size() + " " + sizes);
    assertThat(answers).isGreaterThan(200);
    assertThat(sizes.size()).isLessThanOrEqualTo(10);
  }

  @Test
  @DisplayName("a model failing before its first piece gets the usual problem response, whole")
  void failureBeforeTheFirstPiece() throws Exception {
    Sent sent = serve(new Pieces(List.of("a", "b"), 0), (b, l) -> {});
    // nonce, head, the problem, the final chunk
    assertThat(sent.bytes()).hasSize(4);
    assertThat(sent.last()).containsExactly(false, false, false, true);
  }

  @Test
  @DisplayName("a model failing mid-stream: its pieces, then a problem line, then the final chunk")
  void failureMidStream() throws Exception {
    Sent sent = serve(new Pieces(List.of("a", "b", "c"), 2), (b, l) -> {});
    // nonce, head, two pieces, the problem line, the final chunk
    assertThat(sent.bytes()).hasSize(6);
    assertThat(sent.last().get(5)).isTrue();
  }

  /** An outlet whose reader takes {@code sends} sends, then is gone. */
  private static ChunkOutlet goneAfter(int sends) {
    AtomicInteger sent = new AtomicInteger();
    return (bytes, last) -> {
      if (sent.incrementAndGet() > sends) {
        throw new ChunkOutlet.StreamCut("gone");
      }
    };
  }

  @Test
  @DisplayName("a reader that is gone stops the model at its next piece, and nothing more is sent")
  void cutReaderStopsTheModel() throws Exception {
    Pieces model = new Pieces(List.of("a", "b", "c", "d", "e", "f"), -1);
    Sent sent = serve(model, goneAfter(3));
    // nonce, head, the first piece; the second piece's send was refused
    assertThat(sent.bytes()).hasSize(3);
    assertThat(model.written.get()).isEqualTo(1);
    assertThat(sent.last()).doesNotContain(true);
    // A reader that left is no error of the enclave's: nothing logged.
    assertThat(log.records()).isEmpty();
  }

  @Test
  @DisplayName(
      "a cut the model wraps on its way out (as a model client may) is still a cut: nothing more sent, nothing logged")
  void wrappedCutIsACut() throws Exception {
    Pieces inner = new Pieces(List.of("a", "b", "c"), -1);
    Model wrapping =
        new Model() {
          @Override
          public ModelInfo info() {
            return inner.info();
          }

          @Override
          public Answer<Summary> summarize(SummarizeRequest request) {
            return inner.summarize(request);
          }

          @Override
          public Answer<List<Suggestion>> suggest(SuggestRequest request) {
            return inner.suggest(request);
          }

          @Override
          public Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
            try {
              return inner.summarize(request, sink);
            } catch (RuntimeException e) {
              throw new ModelException(ModelException.Reason.CONNECT, -1, "stream ended", e);
            }
          }
        };
    Sent sent = serve(wrapping, goneAfter(3));
    assertThat(sent.bytes()).hasSize(3);
    assertThat(sent.last()).doesNotContain(true);
    assertThat(log.records()).isEmpty();
  }

  @Test
  @DisplayName("a chunked inner request without its final chunk is refused, truncated")
  void requestWithoutFinalChunk() throws Exception {
    ChunkedRequestEncapsulator request =
        ChunkedRequestEncapsulator.start(identity.keyConfigs().get(0), RANDOM);
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    wire.writeBytes(request.header());
    wire.writeBytes(request.sealChunk("POST".getBytes(StandardCharsets.US_ASCII)));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> identity.keys().decapsulateChunked(wire.toByteArray(), ChunkLimits.DEFAULT))
        .isInstanceOf(org.privateprocessing.ohttp.OhttpException.class)
        .hasMessageContaining("final chunk");
  }
}
