package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
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

  /** {@link System#nanoTime()} of the last beat, once {@link #beaten}. */
  private volatile long lastBeatNanos;

  private volatile boolean beaten;

  private volatile boolean stopped;

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

  /**
   * Why gateways may not know this enclave now: no beat yet, stopped, or the last beat older than
   * its ttl (an event loop too busy to beat); empty while its announcement is live.
   */
  public Optional<String> notAnnounced() {
    long last = lastBeatNanos;
    if (stopped) {
      return Optional.of("enclave " + id + " has stopped announcing itself");
    }
    if (!beaten) {
      return Optional.of("enclave " + id + " has not announced itself yet");
    }
    long ageMs = (System.nanoTime() - last) / 1_000_000;
    return ageMs < ttlMs
        ? Optional.empty()
        : Optional.of(
            "enclave "
                + id
                + "'s last announcement is "
                + ageMs
                + " ms old, beyond its ttl of "
                + ttlMs
                + " ms: gateways have dropped it (an overloaded event loop?)");
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    vertx.eventBus().publish(Addresses.LEAVE, new JsonObject().put("id", id));
    return Future.succeededFuture();
  }

  private void announce() {
    lastBeatNanos = System.nanoTime();
    beaten = true;
    vertx
        .eventBus()
        .publish(
            Addresses.ANNOUNCE,
            new JsonObject().put("id", id).put("descriptor", descriptor.get()).put("ttlMs", ttlMs));
  }
}
