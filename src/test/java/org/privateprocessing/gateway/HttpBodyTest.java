package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway's view of a chunked upload ({@link GatewayVerticle.HttpBody}) over a real socket:
 * pausing it stops reading from the connection (the sender's writes back up, no buffer grows here),
 * resuming lets the rest through in order, and a body past the listener's limit is refused with 413
 * and aborted.
 */
class HttpBodyTest {
  private static final int MB = 1 << 20;
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;
  private final AtomicReference<GatewayVerticle.HttpBody> body = new AtomicReference<>();
  private final AtomicLong received = new AtomicLong();
  private final CompletableFuture<String> ended = new CompletableFuture<>();

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A server whose every request's body goes to a sink that counts it. */
  private int serve(long maxBodyBytes) throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  req.pause();
                  GatewayVerticle.HttpOutlet outlet =
                      new GatewayVerticle.HttpOutlet(req.response(), req.connection(), vertx);
                  GatewayVerticle.HttpBody b =
                      new GatewayVerticle.HttpBody(req, outlet, vertx, maxBodyBytes);
                  body.set(b);
                  b.deliverTo(
                      new CredentialVerticle.BodySink() {
                        @Override
                        public void data(byte[] bytes) {
                          received.addAndGet(bytes.length);
                        }

                        @Override
                        public void end() {
                          ended.complete("end");
                          outlet.end();
                        }

                        @Override
                        public void abort() {
                          ended.complete("abort");
                        }

                        @Override
                        public boolean wantsMore() {
                          return true;
                        }
                      });
                });
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  /** Writes {@code total} bytes in 64 KiB pieces, as fast as the connection takes them. */
  private static Future<Void> upload(HttpClientRequest request, long total, AtomicLong written) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    byte[] piece = new byte[64 * 1024];
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          while (written.get() < total && !request.writeQueueFull()) {
            request.write(Buffer.buffer(piece));
            written.addAndGet(piece.length);
          }
          if (written.get() >= total) {
            request.end().onComplete(done);
          } else {
            request.drainHandler(v -> next[0].run());
          }
        };
    next[0].run();
    return done.future();
  }

  @Test
  @DisplayName(
      "paused, the body stops being read: the sender backs up with tens of MB unsent; resumed, every byte arrives and the body ends")
  void pauseStopsReadingResumeLetsItThrough() throws Exception {
    long total = 64L * MB;
    int port = serve(Long.MAX_VALUE);
    HttpClientRequest request =
        await(client.request(HttpMethod.POST, port, "127.0.0.1", "/").map(r -> r.setChunked(true)));
    // Paused from the first piece on.
    request.write(Buffer.buffer(new byte[1]));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (body.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    body.get().pause();
    AtomicLong written = new AtomicLong(1);
    io.vertx.core.Promise<Void> sending = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> upload(request, total, written).onComplete(sending));
    Future<Void> sent = sending.future();
    // Let the socket buffers fill, then see that reading stopped.
    Thread.sleep(1_000);
    long atPause = received.get();
    Thread.sleep(500);
    long later = received.get();
    System.out.printf(
        "paused body: %d KB read by the server, %d KB written by the client of %d MB%n",
        later / 1024, written.get() / 1024, total / MB);
    assertThat(later).as("bytes read while paused").isEqualTo(atPause);
    assertThat(later).isLessThan(total / 2);
    assertThat(sent.isComplete()).as("the client could send everything").isFalse();
    assertThat(ended).isNotDone();
    body.get().resume();
    await(sent);
    assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo("end");
    assertThat(received.get()).isEqualTo(total + 1);
  }

  @Test
  @DisplayName("a body past the listener's limit is refused with 413 and aborted, not read on")
  void overTheLimitIsRefused() throws Exception {
    int port = serve(256 * 1024);
    HttpClientRequest request =
        await(client.request(HttpMethod.POST, port, "127.0.0.1", "/").map(r -> r.setChunked(true)));
    CompletableFuture<Integer> status = new CompletableFuture<>();
    request
        .response()
        .onSuccess(r -> status.complete(r.statusCode()))
        .onFailure(status::completeExceptionally);
    AtomicLong written = new AtomicLong();
    vertx.runOnContext(v -> upload(request, 4L * MB, written));
    assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(413);
    assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo("abort");
    assertThat(received.get()).isLessThanOrEqualTo(256 * 1024);
  }
}
