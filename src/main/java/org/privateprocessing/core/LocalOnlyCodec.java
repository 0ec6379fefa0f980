package org.privateprocessing.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.logging.Logger;

/**
 * Codec for {@link LocalOnly} payloads: identity for local delivery, and a hard refusal for any
 * attempt to put one on the wire (DESIGN.md section 2: plaintext never crosses a node).
 *
 * <p>The wire refusal alone is not enough: in a cluster Vert.x calls {@code encodeToWire} on its
 * connection to the other node, swallows the exception there, and the sender learns nothing until
 * its send timeout. So every {@code LocalOnly} must be sent with {@link #delivery()} (local-only
 * delivery: no local consumer is an immediate {@code NO_HANDLERS}), and {@link #guard} (an outbound
 * interceptor that {@link Codecs#register} installs) refuses at once, before any routing, a {@code
 * LocalOnly} sent any other way.
 */
@SuppressWarnings("rawtypes")
public final class LocalOnlyCodec implements MessageCodec<LocalOnly, LocalOnly> {
  public static final String NAME = "pp-local-only";

  /** Header that {@link #delivery()} sets; the guard refuses a {@code LocalOnly} without it. */
  static final String MARKER = "pp-local-only";

  private static final Logger LOG = Logger.getLogger(LocalOnlyCodec.class.getName());

  /**
   * The only delivery options for a {@code LocalOnly} body: local-only delivery with this codec,
   * and the marker the guard looks for. Callers may add a send timeout to the returned options.
   */
  public static DeliveryOptions delivery() {
    return new DeliveryOptions().setLocalOnly(true).setCodecName(NAME).addHeader(MARKER, "1");
  }

  /**
   * Outbound interceptor: passes everything except a {@code LocalOnly} body sent without {@link
   * #delivery()}, which it fails at once (a request gets a {@code ReplyException} of type {@code
   * ERROR}, code 500) instead of letting it reach a remote node's connection.
   */
  static void guard(DeliveryContext<?> ctx) {
    if (ctx.body() instanceof LocalOnly<?> && !"1".equals(ctx.message().headers().get(MARKER))) {
      // The address only: the body is plaintext and never logged.
      LOG.severe(
          "refused a LocalOnly message to "
              + ctx.message().address()
              + " sent without LocalOnlyCodec.delivery() (it could have left this node)");
      ctx.fail(ReplyFailure.ERROR, 500, RemoteHopRefused.MESSAGE);
      return;
    }
    ctx.next();
  }

  /** Thrown when a plaintext-carrying message is about to leave this JVM. */
  public static final class RemoteHopRefused extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    static final String MESSAGE =
        "refused: a local-only (plaintext) message cannot be sent to another node;"
            + " send it with LocalOnlyCodec.delivery()";

    RemoteHopRefused() {
      super(MESSAGE);
    }
  }

  /** Always refuses: serialising means the message would leave this node. */
  @Override
  public void encodeToWire(Buffer buffer, LocalOnly value) {
    throw new RemoteHopRefused();
  }

  /** Always refuses: no peer may send us plaintext either. */
  @Override
  public LocalOnly decodeFromWire(int pos, Buffer buffer) {
    throw new RemoteHopRefused();
  }

  /** Local delivery hands over the same instance; nothing is copied. */
  @Override
  public LocalOnly transform(LocalOnly value) {
    return value;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
