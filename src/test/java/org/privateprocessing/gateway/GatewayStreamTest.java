package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;
import org.privateprocessing.ohttp.ChunkedResponseOpener;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponseParser;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.TokenTypes;

/** The gateway's side of a chunked request, without Vert.x: a plain enclave link and outlet. */
class GatewayStreamTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final GatewayIdentity gateway = GatewayIdentity.generate(RANDOM);
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final EnclaveRegistry registry = new EnclaveRegistry(clock);
  private final InMemorySpentTokens spent = new InMemorySpentTokens(100, clock);
  private final IssuerKeys issuerKeys = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048);
  private final CredentialCheck credentials =
      new CredentialCheck("issuer.test", "gateway.test", issuerKeys, spent, clock);

  /**
   * Inner chunks the fake enclave answers with, once the request came whole; {@code opened} counts
   * the requests that came whole (the model would run), {@code streams} the streams opened, {@code
   * cancelled} those the gateway cancelled.
   */
  private final List<byte[]> innerChunks = new ArrayList<>();

  private int opened;
  private int streams;
  private int cancelled;
  private boolean cutInner;

  private final GatewayStream.EnclaveStreams enclaves =
      wholeThen(
          (inner, chunks) -> {
            opened++;
            for (int i = 0; i < innerChunks.size(); i++) {
              chunks.chunk(innerChunks.get(i), i == innerChunks.size() - 1 && !cutInner);
            }
            if (cutInner) {
              chunks.cut("stalled");
            }
          });

  /** A fake enclave that gathers the pieces, acknowledging each at once, then calls {@code run}. */
  private GatewayStream.EnclaveStreams wholeThen(
      java.util.function.BiConsumer<byte[], GatewayStream.InnerChunks> run) {
    return (id, chunks) -> {
      streams++;
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      return new GatewayStream.RequestStream() {
        @Override
        public Future<Void> send(byte[] piece, boolean last) {
          got.writeBytes(piece);
          if (last) {
            run.accept(got.toByteArray(), chunks);
          }
          return Future.succeededFuture();
        }

        @Override
        public void cancel() {
          cancelled++;
        }
      };
    };
  }

  private final GatewayRouter router = router(credentials);

  /** The gateway's router over {@code check}; whole requests are not served here. */
  private GatewayRouter router(CredentialCheck check) {
    return new GatewayRouter(
        gateway,
        registry,
        (id, inner) -> Future.failedFuture(new IllegalStateException("not streamed")),
        check,
        "http://127.0.0.1:8082/.well-known/private-token-issuer-directory",
        RANDOM);
  }

  /**
   * A stream through {@code via} whose enclave keeps the whole inner request it got in {@code
   * seen[0]} and answers with one final chunk.
   */
  private GatewayStream keepingWhole(GatewayRouter via, byte[][] seen) {
    return new GatewayStream(
        gateway,
        via,
        wholeThen(
            (inner, chunks) -> {
              seen[0] = inner.clone();
              chunks.chunk(new byte[] {7}, true);
            }),
        ChunkLimits.DEFAULT,
        RANDOM);
  }

  private final GatewayStream stream =
      new GatewayStream(gateway, router, enclaves, ChunkLimits.DEFAULT, RANDOM);

  /** Records what the gateway writes. */
  private static final class Recorded implements GatewayStream.Outlet {
    final List<byte[]> writes = new ArrayList<>();
    boolean ended;
    boolean cut;
    PipelineException refused;

    @Override
    public Future<Void> write(byte[] bytes) {
      writes.add(bytes);
      return Future.succeededFuture();
    }

    @Override
    public void end() {
      ended = true;
    }

    @Override
    public void cut() {
      cut = true;
    }

    @Override
    public void refuse(PipelineException plain) {
      refused = plain;
    }

    byte[] all() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writes.forEach(out::writeBytes);
      return out.toByteArray();
    }
  }

  GatewayStreamTest() {
    registry.announce(
        new JsonObject()
            .put("id", "e1")
            .put("descriptor", new JsonObject().put("id", "e1"))
            .put("ttlMs", 3_000));
  }

  private String freshToken() throws Exception {
    return PrivateTokenAuthorization.header(
        TestTokens.mint(issuerKeys, credentials.challenges().get(0), clock.instant()));
  }

  private ChunkedRequestEncapsulator request;

  private byte[] sealed(String enclave, String authorization) throws Exception {
    BinaryHttpRequest bhttp =
        BinaryHttpRequest.of(
            "POST",
            "https",
            "gateway",
            "/v1/enclave/" + enclave,
            List.of(
                new Field("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST),
                new Field("authorization", authorization)),
            new byte[] {1, 2, 3});
    request =
        ChunkedRequestEncapsulator.start(
            KeyConfigs.preferred(gateway.keyConfigs()).orElseThrow(), RANDOM);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(request.header());
    out.writeBytes(request.sealFinal(bhttp.encodeIndeterminate()));
    return out.toByteArray();
  }

  private Recorded handle(byte[] outer) throws Exception {
    Recorded outlet = new Recorded();
    stream
        .handle(outer, outlet, p -> {})
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    return outlet;
  }

  /** The parts of the outer response the client reads. */
  private List<BinaryHttpResponseParser.Part> open(Recorded outlet) throws Exception {
    ChunkedResponseOpener opener = request.opener();
    BinaryHttpResponseParser parser = new BinaryHttpResponseParser();
    List<BinaryHttpResponseParser.Part> parts = new ArrayList<>();
    for (byte[] plain : opener.feed(outlet.all())) {
      parts.addAll(parser.feed(plain));
    }
    parts.addAll(parser.feed(opener.finish()));
    parts.addAll(parser.finish());
    return parts;
  }

  @Test
  @DisplayName(
      "each inner chunk goes out at once as one outer chunk, a fixed overhead larger, and the answer ends with the final chunk")
  void innerChunksPassOneForOne() throws Exception {
    int[] sizes = {32, 150, 290, 290, 546, 1058, 290, 8226, 19};
    for (int s : sizes) {
      byte[] chunk = new byte[s];
      RANDOM.nextBytes(chunk);
      innerChunks.add(chunk);
    }
    Recorded outlet = handle(sealed("e1", freshToken()));
    assertThat(outlet.ended).isTrue();
    assertThat(opened).isEqualTo(1);
    // nonce, head, one per inner chunk, the final chunk
    assertThat(outlet.writes).hasSize(2 + sizes.length + 1);
    Set<Integer> overheads = new HashSet<>();
    for (int i = 0; i < sizes.length; i++) {
      overheads.add(outlet.writes.get(2 + i).length - sizes[i]);
    }
    assertThat(overheads).hasSizeLessThanOrEqualTo(3); // varint lengths of 1, 2 or 4 bytes
    List<BinaryHttpResponseParser.Part> parts = open(outlet);
    BinaryHttpResponseParser.Head head = (BinaryHttpResponseParser.Head) parts.get(0);
    assertThat(head.status()).isEqualTo(200);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    parts.stream()
        .filter(p -> p instanceof BinaryHttpResponseParser.Content)
        .forEach(p -> content.writeBytes(((BinaryHttpResponseParser.Content) p).bytes()));
    assertThat(content.toByteArray()).isEqualTo(concat(innerChunks));
  }

  @Test
  @DisplayName("a replayed token is refused, sealed, before the enclave is asked: no model time")
  void replayedTokenBeforeModelTime() throws Exception {
    String token = freshToken();
    innerChunks.add(new byte[] {1});
    handle(sealed("e1", token));
    assertThat(opened).isEqualTo(1);
    Recorded again = handle(sealed("e1", token));
    assertThat(opened).isEqualTo(1);
    assertThat(again.ended).isTrue();
    BinaryHttpResponse refusal = whole(again);
    assertThat(refusal.status()).isEqualTo(401);
    assertThat(new String(refusal.content())).contains("token-replayed");
  }

  @Test
  @DisplayName("an unknown enclave is a sealed 404, and no token is spent")
  void unknownEnclave() throws Exception {
    Recorded outlet = handle(sealed("nope", freshToken()));
    assertThat(opened).isZero();
    assertThat(whole(outlet).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("an outer layer that cannot be opened fails plainly, and nothing is written")
  void unopenable() throws Exception {
    byte[] outer = sealed("e1", freshToken());
    outer[outer.length - 1] ^= 1;
    Recorded outlet = new Recorded();
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                stream
                    .handle(outer, outlet, p -> {})
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS));
    assertThat(t.getCause()).isInstanceOf(PipelineException.class);
    assertThat(((PipelineException) t.getCause()).status()).isEqualTo(400);
    assertThat(outlet.writes).isEmpty();
    byte[] cut = java.util.Arrays.copyOf(sealed("e1", freshToken()), 30);
    Throwable truncated =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                stream
                    .handle(cut, new Recorded(), p -> {})
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS));
    assertThat(((PipelineException) truncated.getCause()).problem().type()).endsWith("truncated");
  }

  @Test
  @DisplayName("an inner stream that breaks cuts the outer one: no final chunk is ever written")
  void innerCutCutsOuter() throws Exception {
    innerChunks.add(new byte[40]);
    cutInner = true;
    Recorded outlet = handle(sealed("e1", freshToken()));
    assertThat(outlet.cut).isTrue();
    assertThat(outlet.ended).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(outlet))
        .hasMessageContaining("final chunk");
  }

  /** An outer request sealed in pieces: header, the head in one chunk, content chunks, final. */
  private List<byte[]> sealedInPieces(String authorization, byte[]... content) throws Exception {
    org.privateprocessing.ohttp.bhttp.IndeterminateRequestWriter w =
        new org.privateprocessing.ohttp.bhttp.IndeterminateRequestWriter();
    request =
        ChunkedRequestEncapsulator.start(
            KeyConfigs.preferred(gateway.keyConfigs()).orElseThrow(), RANDOM);
    List<byte[]> pieces = new ArrayList<>();
    pieces.add(request.header());
    pieces.add(
        request.sealChunk(
            w.head(
                "POST",
                "https",
                "gateway",
                "/v1/enclave/e1",
                List.of(
                    new Field("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST),
                    new Field("authorization", authorization)))));
    for (byte[] c : content) {
      pieces.add(request.sealChunk(w.content(c)));
    }
    pieces.add(request.sealFinal(w.end(List.of())));
    return pieces;
  }

  private static byte[] concat(List<byte[]> pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    pieces.forEach(out::writeBytes);
    return out.toByteArray();
  }

  @Test
  @DisplayName(
      "fed in arbitrary slices, a chunked request is admitted on its head and the whole inner content reaches the enclave")
  void slicesAreReassembled() throws Exception {
    innerChunks.add(new byte[] {7});
    byte[][] content = {new byte[5000], new byte[16000], new byte[3]};
    for (byte[] c : content) {
      RANDOM.nextBytes(c);
    }
    byte[] outer = concat(sealedInPieces(freshToken(), content));
    byte[][] seen = new byte[1][];
    GatewayStream s = keepingWhole(router, seen);
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload = s.open(outlet, p -> {});
    for (int at = 0; at < outer.length; at += 997) {
      upload.feed(java.util.Arrays.copyOfRange(outer, at, Math.min(outer.length, at + 997)));
    }
    assertThat(seen[0]).as("the request is not whole before the final chunk").isNull();
    upload.end();
    assertThat(seen[0]).isEqualTo(concat(List.of(content)));
    assertThat(outlet.ended).isTrue();
    assertThat(outlet.refused).isNull();
  }

  /** Spent tokens whose every redemption waits for {@code release} (a store that is slow). */
  private static final class SlowSpentTokens implements org.privateprocessing.core.SpentTokens {
    private final org.privateprocessing.core.SpentTokens inner;
    final io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();

    SlowSpentTokens(org.privateprocessing.core.SpentTokens inner) {
      this.inner = inner;
    }

    @Override
    public Future<Boolean> redeem(byte[] tokenKeyId, byte[] nonce, java.time.Instant forgetAfter) {
      return release.future().compose(v -> inner.redeem(tokenKeyId, nonce, forgetAfter));
    }
  }

  @Test
  @DisplayName(
      "content that comes before the token is admitted waits for it: nothing reaches the enclave until then, then all of it in order")
  void contentBeforeAdmissionWaits() throws Exception {
    byte[][] content = {new byte[3000], new byte[9000], new byte[20]};
    for (byte[] c : content) {
      RANDOM.nextBytes(c);
    }
    SlowSpentTokens slow = new SlowSpentTokens(spent);
    byte[][] seen = new byte[1][];
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload =
        keepingWhole(
                router(new CredentialCheck("issuer.test", "gateway.test", issuerKeys, slow, clock)),
                seen)
            .open(outlet, p -> {});
    for (byte[] piece : sealedInPieces(freshToken(), content)) {
      upload.feed(piece);
    }
    upload.end();
    // The whole upload is in, the admission is not: the enclave has not been asked.
    assertThat(streams).isZero();
    assertThat(seen[0]).isNull();
    assertThat(outlet.writes).isEmpty();
    slow.release.complete();
    assertThat(streams).isEqualTo(1);
    assertThat(seen[0]).isEqualTo(concat(List.of(content)));
    assertThat(outlet.ended).isTrue();
    assertThat(outlet.refused).isNull();
  }

  @Test
  @DisplayName(
      "content that came before a refused admission is dropped: a replayed token is refused, sealed, and the enclave never asked")
  void contentBeforeARefusalIsDropped() throws Exception {
    String token = freshToken();
    innerChunks.add(new byte[] {1});
    handle(sealed("e1", token)); // spends it
    int before = streams;
    SlowSpentTokens slow = new SlowSpentTokens(spent);
    byte[][] seen = new byte[1][];
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload =
        keepingWhole(
                router(new CredentialCheck("issuer.test", "gateway.test", issuerKeys, slow, clock)),
                seen)
            .open(outlet, p -> {});
    List<byte[]> pieces = sealedInPieces(token, new byte[4000], new byte[4000]);
    pieces.forEach(upload::feed);
    assertThat(outlet.writes).isEmpty();
    slow.release.complete();
    assertThat(streams).isEqualTo(before);
    assertThat(seen[0]).isNull();
    assertThat(outlet.ended).isTrue();
    BinaryHttpResponse refusal = whole(outlet);
    assertThat(refusal.status()).isEqualTo(401);
    assertThat(new String(refusal.content())).contains("token-replayed");
    assertThat(upload.wantsMore()).isFalse();
    upload.end();
    assertThat(streams).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "a bad token is refused, sealed, as soon as the head is in: before the rest of the body, which is not wanted")
  void badTokenRefusedOnTheHead() throws Exception {
    List<byte[]> pieces = sealedInPieces("PrivateToken token=AAAA", new byte[100], new byte[100]);
    Recorded outlet = new Recorded();
    List<PipelineException> counted = new ArrayList<>();
    GatewayStream.Upload upload = stream.open(outlet, counted::add);
    upload.feed(pieces.get(0));
    upload.feed(pieces.get(1)); // the head
    assertThat(upload.wantsMore()).isFalse();
    assertThat(outlet.ended).isTrue();
    assertThat(opened).isZero();
    assertThat(whole(outlet).status()).isEqualTo(401);
    assertThat(counted).hasSize(1);
    assertThat(counted.get(0).status()).isEqualTo(401);
    // What still comes changes nothing.
    upload.feed(pieces.get(2));
    upload.end();
    assertThat(outlet.cut).isFalse();
    assertThat(opened).isZero();
  }

  @Test
  @DisplayName(
      "an upload cut mid-chunk is refused plainly (truncated), nothing written, and the enclave never asked")
  void cutMidChunk() throws Exception {
    byte[] outer = concat(sealedInPieces(freshToken(), new byte[3000]));
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload = stream.open(outlet, p -> {});
    upload.feed(java.util.Arrays.copyOf(outer, outer.length - 40));
    upload.end();
    assertThat(outlet.refused).isNotNull();
    assertThat(outlet.refused.status()).isEqualTo(400);
    assertThat(outlet.refused.problem().type()).endsWith("truncated");
    assertThat(outlet.writes).isEmpty();
    assertThat(opened).isZero();
  }

  @Test
  @DisplayName(
      "a replayed or reordered request chunk does not authenticate: refused plainly, the enclave never asked")
  void replayedAndReorderedChunks() throws Exception {
    List<byte[]> pieces = sealedInPieces(freshToken(), new byte[10], new byte[20]);
    Recorded replayed = new Recorded();
    GatewayStream.Upload upload = stream.open(replayed, p -> {});
    upload.feed(pieces.get(0));
    upload.feed(pieces.get(1));
    upload.feed(pieces.get(2));
    upload.feed(pieces.get(2));
    assertThat(replayed.refused).isNotNull();
    assertThat(replayed.refused.problem().type()).contains("ohttp-");
    assertThat(upload.wantsMore()).isFalse();

    List<byte[]> again = sealedInPieces(freshToken(), new byte[10], new byte[20]);
    Recorded reordered = new Recorded();
    GatewayStream.Upload other = stream.open(reordered, p -> {});
    other.feed(again.get(0));
    other.feed(again.get(1));
    other.feed(again.get(3));
    other.feed(again.get(2));
    other.feed(again.get(4));
    other.end();
    assertThat(reordered.refused).isNotNull();
    assertThat(reordered.writes).isEmpty();
    assertThat(opened).isZero();
  }

  @Test
  @DisplayName(
      "a request over the gateway's stream limit is refused plainly as soon as it passes it, without reading on")
  void overTheGatewayLimit() throws Exception {
    GatewayStream small =
        new GatewayStream(
            gateway,
            router,
            enclaves,
            new ChunkLimits(ChunkLimits.MIN_CHUNK_LENGTH, 20_000),
            RANDOM);
    List<byte[]> pieces =
        sealedInPieces(freshToken(), new byte[16_000], new byte[16_000], new byte[16_000]);
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload = small.open(outlet, p -> {});
    for (byte[] piece : pieces) {
      upload.feed(piece);
      if (!upload.wantsMore()) {
        break;
      }
    }
    assertThat(upload.wantsMore()).isFalse();
    assertThat(outlet.refused).isNotNull();
    assertThat(outlet.refused.problem().type()).endsWith("too-large");
    assertThat(opened).isZero();
  }

  @Test
  @DisplayName("a request that breaks off mid-upload is dropped: the answer is cut, nothing asked")
  void abortedUpload() throws Exception {
    List<byte[]> pieces = sealedInPieces(freshToken(), new byte[10]);
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload = stream.open(outlet, p -> {});
    upload.feed(pieces.get(0));
    upload.feed(pieces.get(1));
    upload.abort();
    upload.end();
    assertThat(outlet.cut).isTrue();
    assertThat(outlet.ended).isFalse();
    assertThat(opened).isZero();
    assertThat(streams).as("admitted on its head, the stream had opened").isEqualTo(1);
    assertThat(cancelled).as("and the enclave is told to drop it").isEqualTo(1);
  }

  /** A fake enclave whose acknowledgements the test gives, one by one. */
  private static final class SlowEnclave implements GatewayStream.EnclaveStreams {
    final java.util.ArrayDeque<io.vertx.core.Promise<Void>> unacknowledged =
        new java.util.ArrayDeque<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int maxUnacknowledged;
    int messages;
    int lastFlags;
    boolean lastWasLast;
    PipelineException refuseAt;
    int refuseMessage = -1;

    @Override
    public GatewayStream.RequestStream open(String enclaveId, GatewayStream.InnerChunks chunks) {
      return new GatewayStream.RequestStream() {
        @Override
        public Future<Void> send(byte[] piece, boolean last) {
          if (messages++ == refuseMessage) {
            return Future.failedFuture(refuseAt);
          }
          assertThat(piece.length).isLessThanOrEqualTo(GatewayStream.MAX_MESSAGE);
          received.writeBytes(piece);
          lastFlags += last ? 1 : 0;
          lastWasLast = last;
          io.vertx.core.Promise<Void> ack = io.vertx.core.Promise.promise();
          unacknowledged.add(ack);
          maxUnacknowledged = Math.max(maxUnacknowledged, unacknowledged.size());
          if (last) {
            chunks.chunk(new byte[] {9}, true);
          }
          return ack.future();
        }

        @Override
        public void cancel() {}
      };
    }

    void ackOne() {
      unacknowledged.poll().complete();
    }
  }

  /** Counts the valve's pauses and resumes. */
  private static final class CountingValve implements GatewayStream.Valve {
    int pauses;
    int resumes;

    @Override
    public void pause() {
      pauses++;
    }

    @Override
    public void resume() {
      resumes++;
    }
  }

  @Test
  @DisplayName(
      "a large upload reaches the enclave in messages as it comes: at most the window unacknowledged, the body paused while the gateway holds a window of inner bytes")
  void largeSlowUploadHoldsAtMostTheWindow() throws Exception {
    byte[][] content = new byte[40][];
    int largestChunk = 0;
    for (int i = 0; i < content.length; i++) {
      content[i] = new byte[1000 + RANDOM.nextInt(12_000)];
      RANDOM.nextBytes(content[i]);
      largestChunk = Math.max(largestChunk, content[i].length);
    }
    List<byte[]> pieces = sealedInPieces(freshToken(), content);
    SlowEnclave enclave = new SlowEnclave();
    CountingValve valve = new CountingValve();
    GatewayStream s = new GatewayStream(gateway, router, enclave, ChunkLimits.DEFAULT, RANDOM);
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload = s.open(outlet, p -> {}, valve);
    int fed = 0;
    int sentBeforeEnd = -1;
    while (fed < pieces.size()) {
      if (upload.paused()) {
        assertThat(enclave.unacknowledged).hasSize(GatewayStream.WINDOW);
        enclave.ackOne(); // the slow enclave takes one; the window has room again
        continue;
      }
      upload.feed(pieces.get(fed++));
      if (enclave.messages > 0 && sentBeforeEnd < 0) {
        sentBeforeEnd = fed;
      }
    }
    assertThat(sentBeforeEnd)
        .as("content went to the enclave long before the body ended")
        .isLessThan(pieces.size() / 2);
    upload.end();
    while (!enclave.unacknowledged.isEmpty()) {
      enclave.ackOne();
    }
    assertThat(valve.pauses).isGreaterThan(0);
    assertThat(valve.resumes).isEqualTo(valve.pauses);
    assertThat(enclave.maxUnacknowledged).isEqualTo(GatewayStream.WINDOW);
    assertThat(upload.maxHeld())
        .as("never more than the window and one outer chunk's content")
        .isLessThanOrEqualTo(GatewayStream.WINDOW_BYTES + largestChunk);
    assertThat(enclave.received.toByteArray()).isEqualTo(concat(List.of(content)));
    assertThat(enclave.lastFlags).isEqualTo(1);
    assertThat(enclave.lastWasLast).isTrue();
    assertThat(outlet.ended).isTrue();
    assertThat(outlet.cut).isFalse();
  }

  @Test
  @DisplayName(
      "an enclave that refuses a request message mid-upload gets its problem sealed to the client; the rest of the body is unwanted")
  void enclaveRefusesMidUpload() throws Exception {
    byte[][] content = new byte[10][];
    for (int i = 0; i < content.length; i++) {
      content[i] = new byte[10_000];
    }
    List<byte[]> pieces = sealedInPieces(freshToken(), content);
    SlowEnclave enclave = new SlowEnclave();
    enclave.refuseMessage = 1;
    enclave.refuseAt =
        PipelineException.of(
            org.privateprocessing.core.ProblemType.INNER_DECRYPTION_FAILED, "did not open");
    List<PipelineException> counted = new ArrayList<>();
    GatewayStream s = new GatewayStream(gateway, router, enclave, ChunkLimits.DEFAULT, RANDOM);
    Recorded outlet = new Recorded();
    GatewayStream.Upload upload = s.open(outlet, counted::add);
    for (byte[] piece : pieces) {
      upload.feed(piece);
      if (!enclave.unacknowledged.isEmpty()) {
        enclave.ackOne();
      }
    }
    assertThat(upload.wantsMore()).isFalse();
    assertThat(outlet.ended).isTrue();
    assertThat(whole(outlet).status()).isEqualTo(400);
    assertThat(counted).hasSize(1);
    assertThat(enclave.lastFlags).isZero();
  }

  private BinaryHttpResponse whole(Recorded outlet) throws Exception {
    ChunkedResponseOpener opener = request.opener();
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    opener.feed(outlet.all()).forEach(plain::writeBytes);
    plain.writeBytes(opener.finish());
    return BinaryHttpResponse.parse(plain.toByteArray());
  }
}
