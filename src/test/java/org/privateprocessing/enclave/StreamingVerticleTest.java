package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.api.Problem;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;
import org.privateprocessing.ohttp.ChunkedResponseOpener;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponseParser;
import org.privateprocessing.ohttp.bhttp.Field;

/**
 * The enclave's side of a streamed request on the event bus ({@link StreamingVerticle}): the
 * request comes in sequenced pieces, is opened as it comes, and the answer streams back; pieces out
 * of sequence, replayed or after the last drop the stream; a stream left waiting is dropped at the
 * timeout; every drop gives the in-flight slot back.
 */
class StreamingVerticleTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long IDLE_MS = 400;

  private final EnclaveIdentity identity = EnclaveIdentity.generate("5e", null, RANDOM);
  private final InFlightLimiter limiter = new InFlightLimiter(2);
  private final List<LogRecord> traces = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getThrown() != null) {
            traces.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Vertx vertx;
  private StreamingVerticle verticle;

  @BeforeEach
  void start() throws Exception {
    Logger.getLogger("").addHandler(capture);
    vertx = Vertx.vertx();
    verticle =
        new StreamingVerticle(identity, new EmbeddedModel(), limiter, IDLE_MS, ChunkLimits.DEFAULT);
    PrivatePathTest.await(vertx.deployVerticle(verticle));
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
    Logger.getLogger("").removeHandler(capture);
    assertThat(traces).as("no stack trace in the log").isEmpty();
  }

  /** A sealed inner summary request, and the pieces it is sent in. */
  private record Sealed(ChunkedRequestEncapsulator inner, List<byte[]> pieces) {}

  private Sealed sealed(int slice) throws Exception {
    ChunkedRequestEncapsulator inner =
        ChunkedRequestEncapsulator.start(identity.keyConfigs().get(0), RANDOM);
    byte[] plain =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "enclave",
                ApiPaths.SUMMARIZE,
                List.of(new Field("content-type", "application/json")),
                EnclaveApiTest.CHAT.formatted(false).getBytes(StandardCharsets.UTF_8))
            .encodeIndeterminate();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(inner.header());
    int half = plain.length / 2;
    wire.writeBytes(inner.sealChunk(Arrays.copyOf(plain, half)));
    wire.writeBytes(inner.sealChunk(Arrays.copyOfRange(plain, half, plain.length)));
    wire.writeBytes(inner.sealFinal(new byte[0]));
    byte[] all = wire.toByteArray();
    List<byte[]> pieces = new ArrayList<>();
    for (int at = 0; at < all.length; at += slice) {
      pieces.add(Arrays.copyOfRange(all, at, Math.min(all.length, at + slice)));
    }
    return new Sealed(inner, pieces);
  }

  /** Registers a reader of the answer's chunks at a fresh reply address; opens the stream. */
  private CompletableFuture<byte[]> open(String replyTo) throws Exception {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    PrivatePathTest.await(
        vertx
            .eventBus()
            .consumer(
                replyTo,
                m -> {
                  got.writeBytes(((Envelope) m.body()).ciphertext());
                  m.reply(new JsonObject());
                  if ("true".equals(m.headers().get(Addresses.STREAM_FINAL))) {
                    answer.complete(got.toByteArray());
                  }
                })
            .completion());
    PrivatePathTest.await(
        vertx
            .eventBus()
            .request(
                Addresses.stream(identity.id()),
                Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[0]),
                new DeliveryOptions().addHeader(Addresses.STREAM_REPLY_TO, replyTo)));
    return answer;
  }

  private Future<?> piece(String replyTo, long seq, byte[] bytes, boolean last) {
    return vertx
        .eventBus()
        .request(
            Addresses.streamRequest(identity.id()),
            Envelope.of(Envelope.Kind.INNER_REQUEST, bytes),
            new DeliveryOptions()
                .addHeader(Addresses.STREAM_REPLY_TO, replyTo)
                .addHeader(Addresses.STREAM_SEQ, Long.toString(seq))
                .addHeader(Addresses.STREAM_FINAL, Boolean.toString(last)));
  }

  private void sendAll(String replyTo, List<byte[]> pieces) throws Exception {
    for (int i = 0; i < pieces.size(); i++) {
      PrivatePathTest.await(piece(replyTo, i, pieces.get(i), i == pieces.size() - 1));
    }
  }

  private static String slugOf(Future<?> failing) throws Exception {
    try {
      failing.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      String type =
          Problem.parse(
                  ((ReplyException) e.getCause()).getMessage().getBytes(StandardCharsets.UTF_8))
              .type();
      return type.substring(Problem.TYPE_PREFIX.length());
    }
    throw new AssertionError("expected a failure");
  }

  private int status(Sealed s, byte[] answer) throws Exception {
    ChunkedResponseOpener opener = s.inner().opener();
    BinaryHttpResponseParser parser = new BinaryHttpResponseParser();
    List<BinaryHttpResponseParser.Part> parts = new ArrayList<>();
    for (byte[] plain : opener.feed(answer)) {
      parts.addAll(parser.feed(plain));
    }
    parts.addAll(parser.feed(opener.finish()));
    parts.addAll(parser.finish());
    return ((BinaryHttpResponseParser.Head) parts.get(0)).status();
  }

  private void awaitNoStreams() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((verticle.openStreams() > 0 || limiter.inFlight() > 0) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(verticle.openStreams()).isZero();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  @DisplayName(
      "a request sent in sequenced pieces, as small as a few bytes, is opened and answered as a whole one; the stream then ends")
  void piecesInSequenceAreAnswered() throws Exception {
    Sealed s = sealed(5);
    String replyTo = Addresses.streamReply();
    CompletableFuture<byte[]> answer = open(replyTo);
    assertThat(verticle.openStreams()).isEqualTo(1);
    assertThat(limiter.inFlight()).as("the stream holds its slot from open").isEqualTo(1);
    sendAll(replyTo, s.pieces());
    assertThat(status(s, answer.get(30, TimeUnit.SECONDS))).isEqualTo(200);
    awaitNoStreams();
  }

  @Test
  @DisplayName("a piece out of sequence drops the stream with a bad-envelope problem")
  void outOfSequence() throws Exception {
    Sealed s = sealed(40);
    String replyTo = Addresses.streamReply();
    open(replyTo);
    PrivatePathTest.await(piece(replyTo, 0, s.pieces().get(0), false));
    assertThat(slugOf(piece(replyTo, 2, s.pieces().get(2), false))).isEqualTo("bad-envelope");
    assertThat(verticle.openStreams()).isZero();
    // The piece that was skipped finds no stream any more.
    assertThat(slugOf(piece(replyTo, 1, s.pieces().get(1), false))).isEqualTo("bad-envelope");
    awaitNoStreams();
  }

  @Test
  @DisplayName("a replayed piece (a sequence number again) drops the stream")
  void replayedPiece() throws Exception {
    Sealed s = sealed(40);
    String replyTo = Addresses.streamReply();
    open(replyTo);
    PrivatePathTest.await(piece(replyTo, 0, s.pieces().get(0), false));
    PrivatePathTest.await(piece(replyTo, 1, s.pieces().get(1), false));
    assertThat(slugOf(piece(replyTo, 1, s.pieces().get(1), false))).isEqualTo("bad-envelope");
    awaitNoStreams();
  }

  @Test
  @DisplayName("a piece after the last one is refused, and the answer is not disturbed")
  void afterTheLast() throws Exception {
    Sealed s = sealed(64);
    String replyTo = Addresses.streamReply();
    CompletableFuture<byte[]> answer = open(replyTo);
    sendAll(replyTo, s.pieces());
    assertThat(slugOf(piece(replyTo, s.pieces().size(), new byte[] {1}, true)))
        .isEqualTo("bad-envelope");
    assertThat(status(s, answer.get(30, TimeUnit.SECONDS))).isEqualTo(200);
    awaitNoStreams();
  }

  @Test
  @DisplayName(
      "a stream whose next piece does not come within the timeout is dropped: no open stream, its slot back")
  void idleStreamIsDropped() throws Exception {
    Sealed s = sealed(40);
    String replyTo = Addresses.streamReply();
    open(replyTo);
    PrivatePathTest.await(piece(replyTo, 0, s.pieces().get(0), false));
    assertThat(verticle.openStreams()).isEqualTo(1);
    awaitNoStreams();
    assertThat(slugOf(piece(replyTo, 1, s.pieces().get(1), false))).isEqualTo("bad-envelope");
  }

  @Test
  @DisplayName("a cancelled stream is dropped at once")
  void cancelled() throws Exception {
    Sealed s = sealed(40);
    String replyTo = Addresses.streamReply();
    open(replyTo);
    PrivatePathTest.await(piece(replyTo, 0, s.pieces().get(0), false));
    PrivatePathTest.await(
        vertx
            .eventBus()
            .request(
                Addresses.streamRequest(identity.id()),
                Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[0]),
                new DeliveryOptions()
                    .addHeader(Addresses.STREAM_REPLY_TO, replyTo)
                    .addHeader(Addresses.STREAM_CANCEL, "true")));
    assertThat(verticle.openStreams()).isZero();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  @DisplayName(
      "a request not sealed to a live key is refused on its header piece, before any chunk is opened")
  void unknownKey() throws Exception {
    Sealed s = sealed(40);
    byte[] first = s.pieces().get(0).clone();
    first[0] ^= 0x55; // another key id
    String replyTo = Addresses.streamReply();
    open(replyTo);
    assertThat(slugOf(piece(replyTo, 0, first, false))).startsWith("inner-");
    awaitNoStreams();
  }

  @Test
  @DisplayName("a piece that does not authenticate drops the stream with an inner problem")
  void tamperedPiece() throws Exception {
    Sealed s = sealed(40);
    byte[] second = s.pieces().get(1).clone();
    second[second.length - 1] ^= 1;
    String replyTo = Addresses.streamReply();
    open(replyTo);
    List<byte[]> pieces = new ArrayList<>(s.pieces());
    pieces.set(1, second);
    String slug = null;
    for (int i = 0; i < pieces.size() && slug == null; i++) {
      Future<?> f = piece(replyTo, i, pieces.get(i), i == pieces.size() - 1);
      try {
        PrivatePathTest.await(f);
      } catch (Exception e) {
        slug = slugOf(f);
      }
    }
    assertThat(slug).startsWith("inner-");
    awaitNoStreams();
  }

  @Test
  @DisplayName(
      "opening is refused when the enclave is full, with no reply address, or for a stream already open")
  void badOpens() throws Exception {
    String a = Addresses.streamReply();
    open(a);
    assertThat(
            slugOf(
                vertx
                    .eventBus()
                    .request(
                        Addresses.stream(identity.id()),
                        Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[0]),
                        new DeliveryOptions().addHeader(Addresses.STREAM_REPLY_TO, a))))
        .isEqualTo("bad-envelope");
    assertThat(
            slugOf(
                vertx
                    .eventBus()
                    .request(
                        Addresses.stream(identity.id()),
                        Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[0]))))
        .isEqualTo("bad-envelope");
    open(Addresses.streamReply());
    assertThat(
            slugOf(
                vertx
                    .eventBus()
                    .request(
                        Addresses.stream(identity.id()),
                        Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[0]),
                        new DeliveryOptions()
                            .addHeader(Addresses.STREAM_REPLY_TO, Addresses.streamReply()))))
        .isEqualTo("overloaded");
    awaitNoStreams();
  }
}
