package org.privateprocessing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.StreamLine;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestDecapsulator;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;
import org.privateprocessing.ohttp.ChunkedResponseSealer;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.ohttp.SymmetricSuite;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.ohttp.bhttp.IndeterminateResponseWriter;

/**
 * The SDK's reading of a streamed answer, both layers built byte for byte as the enclave and the
 * gateway build them: complete answers, and every way a stream can break.
 */
class StreamDecoderTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> SUITES =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM);

  /** An exchange: the client's two requests, and the answer's outer bytes as a list of writes. */
  private static final class Exchange {
    final ChunkedRequestEncapsulator outerRequest;
    final ChunkedRequestEncapsulator innerRequest;
    final ChunkedResponseSealer outerSealer;
    final ChunkedResponseSealer innerSealer;
    final IndeterminateResponseWriter outerWriter = new IndeterminateResponseWriter();
    final IndeterminateResponseWriter innerWriter = new IndeterminateResponseWriter();
    final List<byte[]> wire = new ArrayList<>();

    Exchange() throws Exception {
      OhttpKeyPair gateway =
          OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, RANDOM);
      OhttpKeyPair enclave =
          OhttpKeyPair.generate(2, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, RANDOM);
      innerRequest = ChunkedRequestEncapsulator.start(enclave.config(), RANDOM);
      innerSealer = open(enclave, innerRequest);
      outerRequest = ChunkedRequestEncapsulator.start(gateway.config(), RANDOM);
      outerSealer = open(gateway, outerRequest);
      wire.add(outerSealer.begin(RANDOM));
      wire.add(
          outerSealer.sealChunk(
              outerWriter.head(
                  200, List.of(new Field("content-type", MediaTypes.OHTTP_CHUNKED_RESPONSE)))));
    }

    private static ChunkedResponseSealer open(OhttpKeyPair key, ChunkedRequestEncapsulator request)
        throws Exception {
      ChunkedRequestDecapsulator opener =
          new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
      opener.feed(request.header());
      opener.feed(request.sealFinal("request".getBytes(StandardCharsets.US_ASCII)));
      opener.finish();
      return opener.sealer();
    }

    /** The enclave's bytes, passed on by the gateway as one outer chunk. */
    Exchange inner(byte[] bytes) {
      wire.add(outerSealer.sealChunk(outerWriter.content(bytes)));
      return this;
    }

    Exchange innerHead(int status, String type) {
      inner(innerSealer.begin(RANDOM));
      return inner(
          innerSealer.sealChunk(
              innerWriter.head(status, List.of(new Field("content-type", type)))));
    }

    Exchange line(StreamLine line) {
      return inner(innerSealer.sealChunk(innerWriter.content(line.encodePadded())));
    }

    Exchange innerEnd() {
      return inner(innerSealer.sealFinal(innerWriter.end(List.of())));
    }

    Exchange outerEnd() {
      wire.add(outerSealer.sealFinal(outerWriter.end(List.of())));
      return this;
    }

    /** A typical complete answer: two pieces, then the answer line. */
    static Exchange complete() throws Exception {
      return new Exchange()
          .innerHead(200, StreamLine.MEDIA_TYPE)
          .line(new StreamLine.Text("Dinner "))
          .line(new StreamLine.Text("on Saturday."))
          .line(new StreamLine.Answer("{\"summary\":\"Dinner on Saturday.\"}".getBytes()))
          .innerEnd()
          .outerEnd();
    }

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      wire.forEach(out::writeBytes);
      return out.toByteArray();
    }

    StreamDecoder decoder(List<String> pieces) {
      return new StreamDecoder(outerRequest.opener(), innerRequest.opener(), pieces::add);
    }
  }

  private static PrivateProcessingException refused(StreamDecoder decoder, byte[] bytes) {
    return catchThrowableOfType(
        PrivateProcessingException.class,
        () -> {
          decoder.feed(bytes);
          decoder.finish();
        });
  }

  @Test
  @DisplayName("a complete answer: each piece as its line completes, then the answer's JSON")
  void completeAnswer() throws Exception {
    Exchange exchange = Exchange.complete();
    List<String> pieces = new ArrayList<>();
    StreamDecoder decoder = exchange.decoder(pieces);
    decoder.feed(exchange.bytes());
    assertThat(pieces).containsExactly("Dinner ", "on Saturday.");
    assertThat(new String(decoder.finish(), StandardCharsets.UTF_8))
        .isEqualTo("{\"summary\":\"Dinner on Saturday.\"}");
  }

  @Test
  @DisplayName("bytes arriving one at a time give the same pieces and answer")
  void byteByByte() throws Exception {
    Exchange exchange = Exchange.complete();
    List<String> pieces = new ArrayList<>();
    StreamDecoder decoder = exchange.decoder(pieces);
    for (byte b : exchange.bytes()) {
      decoder.feed(new byte[] {b});
    }
    assertThat(pieces).containsExactly("Dinner ", "on Saturday.");
    assertThat(decoder.finish()).isNotEmpty();
  }

  @Test
  @DisplayName("a chunk cut in the middle: incomplete, never an answer")
  void chunkCutInTheMiddle() throws Exception {
    Exchange exchange = Exchange.complete();
    byte[] all = exchange.bytes();
    byte[] last = exchange.wire.get(exchange.wire.size() - 2);
    byte[] cut =
        Arrays.copyOf(
            all, all.length - exchange.wire.get(exchange.wire.size() - 1).length - last.length / 2);
    PrivateProcessingException e = refused(exchange.decoder(new ArrayList<>()), cut);
    assertThat(e.type()).isEqualTo("incomplete-answer");
    assertThat(e.getMessage()).startsWith("incomplete answer");
  }

  @Test
  @DisplayName("the outer final chunk missing: incomplete")
  void outerFinalChunkMissing() throws Exception {
    Exchange exchange =
        new Exchange()
            .innerHead(200, StreamLine.MEDIA_TYPE)
            .line(new StreamLine.Text("Dinner"))
            .line(new StreamLine.Answer("{}".getBytes()))
            .innerEnd();
    List<String> pieces = new ArrayList<>();
    PrivateProcessingException e = refused(exchange.decoder(pieces), exchange.bytes());
    assertThat(pieces).containsExactly("Dinner");
    assertThat(e.type()).isEqualTo("incomplete-answer");
  }

  @Test
  @DisplayName("the enclave's final chunk missing inside a finished outer stream: incomplete")
  void innerFinalChunkMissing() throws Exception {
    Exchange exchange =
        new Exchange()
            .innerHead(200, StreamLine.MEDIA_TYPE)
            .line(new StreamLine.Text("Dinner"))
            .line(new StreamLine.Answer("{}".getBytes()))
            .outerEnd();
    PrivateProcessingException e = refused(exchange.decoder(new ArrayList<>()), exchange.bytes());
    assertThat(e.type()).isEqualTo("incomplete-answer");
    assertThat(e.getMessage()).contains("enclave");
  }

  @Test
  @DisplayName("text without the final line, both layers ended: incomplete")
  void noFinalLine() throws Exception {
    Exchange exchange =
        new Exchange()
            .innerHead(200, StreamLine.MEDIA_TYPE)
            .line(new StreamLine.Text("Dinner"))
            .innerEnd()
            .outerEnd();
    PrivateProcessingException e = refused(exchange.decoder(new ArrayList<>()), exchange.bytes());
    assertThat(e.type()).isEqualTo("incomplete-answer");
  }

  @Test
  @DisplayName("chunks out of order fail authentication")
  void chunksOutOfOrder() throws Exception {
    Exchange exchange = Exchange.complete();
    byte[] third = exchange.wire.get(3);
    exchange.wire.set(3, exchange.wire.get(4));
    exchange.wire.set(4, third);
    PrivateProcessingException e = refused(exchange.decoder(new ArrayList<>()), exchange.bytes());
    assertThat(e.type()).isEqualTo("bad-chunk");
  }

  @Test
  @DisplayName("a replayed chunk fails authentication")
  void chunkReplayed() throws Exception {
    Exchange exchange = Exchange.complete();
    exchange.wire.add(4, exchange.wire.get(3));
    PrivateProcessingException e = refused(exchange.decoder(new ArrayList<>()), exchange.bytes());
    assertThat(e.type()).isEqualTo("bad-chunk");
  }

  @Test
  @DisplayName("a problem in place of the answer is reported as the enclave's problem")
  void problemLine() throws Exception {
    Problem problem =
        new Problem(Problem.TYPE_PREFIX + "internal", "Internal error", 500, "the model failed");
    Exchange exchange =
        new Exchange()
            .innerHead(200, StreamLine.MEDIA_TYPE)
            .line(new StreamLine.Text("Dinner"))
            .line(new StreamLine.Failed(problem))
            .innerEnd()
            .outerEnd();
    PrivateProcessingException e = refused(exchange.decoder(new ArrayList<>()), exchange.bytes());
    assertThat(e.source()).isEqualTo(PrivateProcessingException.Source.ENCLAVE);
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.type()).endsWith(":internal");
  }

  @Test
  @DisplayName("a line after the final one, or a line that is not one of the three, is refused")
  void badLines() throws Exception {
    Exchange after =
        new Exchange()
            .innerHead(200, StreamLine.MEDIA_TYPE)
            .line(new StreamLine.Answer("{}".getBytes()))
            .line(new StreamLine.Text("more"))
            .innerEnd()
            .outerEnd();
    assertThat(refused(after.decoder(new ArrayList<>()), after.bytes()).type())
        .isEqualTo("bad-response");
    Exchange junk = new Exchange().innerHead(200, StreamLine.MEDIA_TYPE);
    junk.inner(junk.innerSealer.sealChunk(junk.innerWriter.content("{\"txt\":1}\n".getBytes())));
    junk.innerEnd().outerEnd();
    assertThat(refused(junk.decoder(new ArrayList<>()), junk.bytes()).type())
        .isEqualTo("bad-response");
  }

  @Test
  @DisplayName("a stream over the client's limit is refused as too large")
  void overTheLimit() throws Exception {
    Exchange exchange = Exchange.complete();
    StreamDecoder decoder =
        new StreamDecoder(
            exchange.outerRequest.opener(new ChunkLimits(ChunkLimits.MIN_CHUNK_LENGTH, 400)),
            exchange.innerRequest.opener(),
            piece -> {});
    PrivateProcessingException e = refused(decoder, exchange.bytes());
    assertThat(e.type()).isEqualTo("answer-too-large");
  }
}
