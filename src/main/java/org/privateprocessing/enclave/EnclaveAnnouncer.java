package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Envelope;

/**
 * An enclave's heartbeat: publishes {@code {"id", "descriptor", "ttlMs"}} on {@link
 * Addresses#ANNOUNCE} every {@code heartbeatMs}, at once when a gateway asks on {@link
 * Addresses#WHO}, and {@code {"id"}} on {@link Addresses#LEAVE} when it stops. Announcements are
 * public data only (ids, key configs, evidence); requests themselves travel as {@link Envelope}s to
 * the enclave's own addresses.
 */
public final class EnclaveAnnouncer extends VerticleBase {
  public static final long DEFAULT_HEARTBEAT_MS = EnclaveOptions.DEFAULT_HEARTBEAT_MS;

  private final String id;
  private final Supplier<JsonObject> descriptor;
  private final long heartbeatMs;
  private final long ttlMs;
  private long timer = -1;

  /**
   * @param descriptor the enclave's public description, read at each beat (keys may rotate)
   * @param ttlMs how long gateways should trust one beat; a few beats, so one lost beat is harmless
   */
  public EnclaveAnnouncer(
      String id, Supplier<JsonObject> descriptor, long heartbeatMs, long ttlMs) {
    if (heartbeatMs <= 0 || ttlMs <= heartbeatMs) {
      throw new IllegalArgumentException("heartbeatMs must be positive and below the ttl");
    }
    this.id = id;
    this.descriptor = descriptor;
    this.heartbeatMs = heartbeatMs;
    this.ttlMs = ttlMs;
  }

  /**
   * Reads {@code enclave.heartbeat} and {@code enclave.ttl} (defaults 1s and 3s) from the enclave
   * section ({@link EnclaveOptions}).
   */
  public static EnclaveAnnouncer fromJson(
      String id, Supplier<JsonObject> descriptor, JsonObject enclaveSection) {
    EnclaveOptions o = EnclaveOptions.fromJson(enclaveSection);
    return new EnclaveAnnouncer(id, descriptor, o.heartbeatMs(), o.ttlMs());
  }

  @Override
  public Future<?> start() {
    MessageConsumer<Object> who = vertx.eventBus().consumer(Addresses.WHO, m -> announce());
    return who.completion()
        .onSuccess(
            v -> {
              announce();
              timer = vertx.setPeriodic(heartbeatMs, t -> announce());
            });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    vertx.eventBus().publish(Addresses.LEAVE, new JsonObject().put("id", id));
    return Future.succeededFuture();
  }

  private void announce() {
    vertx
        .eventBus()
        .publish(
            Addresses.ANNOUNCE,
            new JsonObject().put("id", id).put("descriptor", descriptor.get()).put("ttlMs", ttlMs));
  }
}
