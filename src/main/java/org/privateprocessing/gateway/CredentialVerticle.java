package org.privateprocessing.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.token.MediaTypes;

/**
 * The credential stage on {@link Addresses#CREDENTIAL}: wires event-bus requests to a {@link
 * GatewayRouter} (outer layer, token check, routing), reaching enclaves through their handshake
 * addresses, and keeps the {@link EnclaveRegistry} fed from enclave announcements.
 */
public final class CredentialVerticle extends VerticleBase {
  /** How long start waits for an enclave it was told to expect (all-in-one). */
  private static final long AWAIT_ENCLAVE_MS = 10_000;

  private final GatewayOptions options;
  private final GatewayIdentity identity;
  private final CredentialCheck credentials;
  private final EnclaveRegistry registry;
  private final String awaitEnclave;
  private final TransparencyView transparency;

  /**
   * @param awaitEnclave an enclave id that must be live before this stage reports started (the one
   *     started in the same JVM), or null
   */
  public CredentialVerticle(
      GatewayOptions options,
      GatewayIdentity identity,
      CredentialCheck credentials,
      EnclaveRegistry registry,
      String awaitEnclave) {
    this(options, identity, credentials, registry, awaitEnclave, null);
  }

  /**
   * As above; with {@code transparency}, listings carry the log's proofs (docs/TRANSPARENCY.md).
   */
  public CredentialVerticle(
      GatewayOptions options,
      GatewayIdentity identity,
      CredentialCheck credentials,
      EnclaveRegistry registry,
      String awaitEnclave,
      TransparencyView transparency) {
    this.transparency = transparency;
    this.options = options;
    this.identity = identity;
    this.credentials = credentials;
    this.registry = registry;
    this.awaitEnclave = awaitEnclave;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    GatewayRouter router =
        new GatewayRouter(
            identity,
            registry,
            new EventBusEnclaveLink(options.enclaveTimeoutMs()),
            credentials,
            options.issuerUrl() + MediaTypes.ISSUER_DIRECTORY_PATH,
            new SecureRandom(),
            transparency);
    // Local: each gateway's HTTP listener must reach its own credential stage, which holds the
    // outer keys it published. A cluster-wide consumer would get other gateways' requests (round
    // robin) and fail to open them.
    MessageConsumer<Envelope> consumer =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.CREDENTIAL,
                message -> {
                  // The problem sealed into the answer, if any, goes back beside it for the
                  // listener's metrics: the answer's HTTP status is 200 either way.
                  DeliveryOptions[] withProblem = {new DeliveryOptions()};
                  router
                      .handle(
                          message.body().ciphertext(),
                          p -> withProblem[0] = HttpListeners.sealedProblem(p))
                      .onSuccess(
                          sealedAnswer ->
                              message.reply(
                                  Envelope.wrap(Envelope.Kind.OUTER_RESPONSE, sealedAnswer),
                                  withProblem[0]))
                      .onFailure(t -> Problems.fail(message, t));
                });
    GatewayStream streams =
        new GatewayStream(
            identity,
            router,
            new EventBusEnclaveStreams(options.enclaveTimeoutMs()),
            ChunkLimits.DEFAULT,
            new SecureRandom());
    MessageConsumer<LocalOnly<StreamedRequest>> streamed =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.CREDENTIAL_STREAM,
                message -> {
                  StreamedRequest request = message.body().value();
                  // The body's pieces come from the HTTP listener's event loop; each is handed
                  // to the upload on this stage's, in order.
                  Context stage = vertx.getOrCreateContext();
                  Body body = request.body();
                  GatewayStream.Upload upload =
                      streams.open(request.outlet(), request.sealedProblem(), body);
                  body.deliverTo(
                      new BodySink() {
                        @Override
                        public void data(byte[] bytes) {
                          stage.runOnContext(v -> upload.feed(bytes));
                        }

                        @Override
                        public void end() {
                          stage.runOnContext(v -> upload.end());
                        }

                        @Override
                        public void abort() {
                          stage.runOnContext(v -> upload.abort());
                        }

                        @Override
                        public boolean wantsMore() {
                          return upload.wantsMore();
                        }
                      });
                  message.reply(new JsonObject());
                });
    MessageConsumer<Object> announcements =
        vertx.eventBus().consumer(Addresses.ANNOUNCE, m -> registry.announce(m.body()));
    MessageConsumer<Object> leaving =
        vertx.eventBus().consumer(Addresses.LEAVE, m -> registry.leave(m.body()));
    return Future.all(
            List.of(
                consumer.completion(),
                streamed.completion(),
                announcements.completion(),
                leaving.completion()))
        .compose(
            v -> {
              // Enclaves answer at once rather than at their next beat.
              vertx.eventBus().publish(Addresses.WHO, new JsonObject());
              return awaitEnclave == null ? Future.succeededFuture() : awaitLive(awaitEnclave);
            });
  }

  private Future<Void> awaitLive(String id) {
    Promise<Void> live = Promise.promise();
    long deadline = System.currentTimeMillis() + AWAIT_ENCLAVE_MS;
    vertx.setPeriodic(
        1,
        20,
        timer -> {
          if (registry.status(id) == EnclaveRegistry.Status.LIVE) {
            vertx.cancelTimer(timer);
            live.complete();
          } else if (System.currentTimeMillis() > deadline) {
            vertx.cancelTimer(timer);
            live.fail(
                new IllegalStateException(
                    "enclave "
                        + id
                        + " did not announce itself within "
                        + AWAIT_ENCLAVE_MS
                        + " ms"));
          }
        });
    return live.future();
  }

  /**
   * A chunked request handed over by the HTTP listener: its body, still sealed, as it arrives;
   * where its answer goes; and who counts a problem this gateway seals into the answer (the
   * listener's metrics). Travels only inside {@link LocalOnly}.
   */
  record StreamedRequest(
      Body body, GatewayStream.Outlet outlet, Consumer<PipelineException> sealedProblem) {
    @Override
    public String toString() {
      return "StreamedRequest";
    }
  }

  /**
   * A request body that arrives piece by piece (the HTTP listener's request); as the upload's
   * {@link GatewayStream.Valve}, it stops being read while the stage holds a full window (pause and
   * resume may be called on any thread).
   */
  interface Body extends GatewayStream.Valve {
    /** From now on, every piece of the body, then its end or its abort, go to {@code sink}. */
    void deliverTo(BodySink sink);
  }

  /** Where a {@link Body}'s pieces go; may be called on any thread. */
  interface BodySink {
    void data(byte[] bytes);

    void end();

    void abort();

    /** False once the rest of the body is not wanted (answered already): it is dropped unread. */
    boolean wantsMore();
  }

  /**
   * Streams to enclaves over the event bus (docs/PROTOCOL.md, "Event bus"): an empty {@code
   * INNER_REQUEST} to {@link Addresses#stream} opens the stream and names, in {@link
   * Addresses#STREAM_REPLY_TO}, a fresh address ({@link Addresses#streamReply()}) registered for
   * this answer only; the request's pieces follow to {@link Addresses#streamRequest}, each with the
   * same header, {@link Addresses#STREAM_SEQ} and {@link Addresses#STREAM_FINAL}; {@link
   * Addresses#STREAM_CANCEL} drops the stream. The answer's chunks come to the reply address, each
   * answered once the client has room, so the enclave never runs more than its window ahead of the
   * client. A chunk out of order, or none for the enclave timeout once the request was accepted
   * whole, cuts the answer.
   */
  private final class EventBusEnclaveStreams implements GatewayStream.EnclaveStreams {
    private final long timeoutMs;

    EventBusEnclaveStreams(long timeoutMs) {
      this.timeoutMs = timeoutMs;
    }

    @Override
    public GatewayStream.RequestStream open(String enclaveId, GatewayStream.InnerChunks chunks) {
      String address = Addresses.streamReply();
      long[] expected = {0};
      long[] timer = {-1};
      MessageConsumer<Object>[] consumer = newConsumer();
      Runnable stop =
          () -> {
            vertx.cancelTimer(timer[0]);
            consumer[0].unregister();
          };
      Runnable arm =
          () -> {
            vertx.cancelTimer(timer[0]);
            timer[0] =
                vertx.setTimer(
                    timeoutMs,
                    t -> {
                      stop.run();
                      chunks.cut("no chunk from the enclave in time");
                    });
          };
      consumer[0] =
          vertx
              .eventBus()
              .consumer(
                  address,
                  m -> {
                    String seq = m.headers().get(Addresses.STREAM_SEQ);
                    boolean last = "true".equals(m.headers().get(Addresses.STREAM_FINAL));
                    if (!(m.body() instanceof Envelope e)
                        || e.kind() != Envelope.Kind.INNER_RESPONSE
                        || !Long.toString(expected[0]).equals(seq)) {
                      stop.run();
                      chunks.cut("a chunk out of order");
                      m.fail(400, "chunk out of order");
                      return;
                    }
                    expected[0]++;
                    if (last) {
                      stop.run();
                    } else {
                      arm.run();
                    }
                    chunks
                        .chunk(e.ciphertext(), last)
                        .onComplete(
                            room -> {
                              if (room.succeeded()) {
                                m.reply(new JsonObject());
                              } else {
                                stop.run();
                                m.fail(410, "the client is gone");
                              }
                            });
                  });
      Future<Void> opened =
          consumer[0]
              .completion()
              .compose(
                  registered ->
                      vertx
                          .eventBus()
                          .request(
                              Addresses.stream(enclaveId),
                              Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[0]),
                              new DeliveryOptions()
                                  .setSendTimeout(timeoutMs)
                                  .addHeader(Addresses.STREAM_REPLY_TO, address)))
              .<Void>mapEmpty()
              .onFailure(t -> stop.run());
      long[] seq = {0};
      return new GatewayStream.RequestStream() {
        @Override
        public Future<Void> send(byte[] piece, boolean last) {
          long n = seq[0]++;
          Envelope message = Envelope.of(Envelope.Kind.INNER_REQUEST, piece);
          return opened
              .compose(
                  v ->
                      vertx
                          .eventBus()
                          .request(
                              Addresses.streamRequest(enclaveId),
                              message,
                              new DeliveryOptions()
                                  .setSendTimeout(timeoutMs)
                                  .addHeader(Addresses.STREAM_REPLY_TO, address)
                                  .addHeader(Addresses.STREAM_SEQ, Long.toString(n))
                                  .addHeader(Addresses.STREAM_FINAL, Boolean.toString(last))))
              .<Void>mapEmpty()
              .onSuccess(
                  v -> {
                    if (last) {
                      // Accepted whole: the answer's chunks must now come in time.
                      arm.run();
                    }
                  })
              .onFailure(t -> stop.run());
        }

        @Override
        public void cancel() {
          stop.run();
          opened.onSuccess(
              v ->
                  vertx
                      .eventBus()
                      .send(
                          Addresses.streamRequest(enclaveId),
                          Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[0]),
                          new DeliveryOptions()
                              .addHeader(Addresses.STREAM_REPLY_TO, address)
                              .addHeader(Addresses.STREAM_CANCEL, "true")));
        }
      };
    }

    @SuppressWarnings("unchecked")
    private MessageConsumer<Object>[] newConsumer() {
      return new MessageConsumer[1];
    }
  }

  /** Enclaves as event-bus addresses; a missing or slow one surfaces as a failed future (503). */
  private final class EventBusEnclaveLink implements EnclaveLink {
    private final DeliveryOptions delivery;

    EventBusEnclaveLink(long timeoutMs) {
      this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
    }

    @Override
    public Future<byte[]> forward(String enclaveId, byte[] innerRequest) {
      return vertx
          .eventBus()
          .<Envelope>request(
              Addresses.handshake(enclaveId),
              Envelope.of(Envelope.Kind.INNER_REQUEST, innerRequest),
              delivery)
          .map(m -> m.body().ciphertext());
    }
  }
}
