package org.privateprocessing.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one node (one Vert.x instance), which the admin listener exports as {@code GET
 * /metrics} in the Prometheus text format (docs/OPERATIONS.md).
 *
 * <p><b>Labels come from closed sets only</b>: a {@link Stage}, an {@link Outcome}, a {@link
 * ProblemType} slug, a {@link TokenOutcome}. No method here takes a string that could carry a
 * request's content, a token, an account or an address into a label value; gauges and counters
 * named by the caller take fixed names from the code.
 *
 * <p>A node without an admin listener (tests, one-shot commands) gets {@link #NONE}, whose meters
 * record nothing. Thread-safe.
 */
public final class NodeMetrics {
  /** Records nothing: the meters of a Vert.x instance nobody {@link #attach}ed a registry to. */
  public static final NodeMetrics NONE = new NodeMetrics(new CompositeMeterRegistry());

  private static final Map<Vertx, NodeMetrics> BY_VERTX =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Latency buckets of every stage: from a cached answer to a slow model. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  /** Where a request was handled: one listener or event-bus stage of a role. */
  public enum Stage {
    RELAY,
    GATEWAY,
    /** The enclave's inner layer, reached over the event bus from a gateway. */
    ENCLAVE,
    /** The enclave's RA-TLS listener. */
    ENCLAVE_TLS,
    ISSUER,
    LOG;

    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /**
     * Whether the status of this stage's answers belongs to the client alone: the enclave's RA-TLS
     * listener answers the enclave API inside TLS, so only its own refusals (token, overload) are
     * counted by type; every other answer counts as {@link Outcome#ANSWERED}.
     */
    boolean answersPrivately() {
      return this == ENCLAVE_TLS;
    }

    /** The label value: lower case, {@code enclave-tls}. */
    public String label() {
      return label;
    }
  }

  /** How a request ended, by the status of its answer. */
  public enum Outcome {
    /** Answered below 400. */
    OK,
    /** Refused as the caller's mistake (4xx). */
    REFUSED,
    /** Failed on this side (5xx). */
    FAILED,
    /**
     * Answered privately: the status belongs to the sealed or TLS-protected answer and is not
     * recorded (the enclave's stages).
     */
    ANSWERED,
    /** The connection closed before an answer was complete. */
    ABANDONED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
      return label;
    }

    /** The outcome of an answer with {@code status}. */
    public static Outcome of(int status) {
      return status >= 500 ? FAILED : status >= 400 ? REFUSED : OK;
    }
  }

  /** What happened to a token. */
  public enum TokenOutcome {
    ISSUED,
    REDEEMED,
    REFUSED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
      return label;
    }
  }

  /** The problem label of an answer that is not a problem of this node's own making. */
  public static final String NO_PROBLEM = "none";

  /** The problem label of a problem relayed from another stage with a type this build lacks. */
  public static final String OTHER_PROBLEM = "other";

  private final MeterRegistry registry;
  private final Map<Stage, AtomicInteger> inFlight = new EnumMap<>(Stage.class);

  /*
   * The meters each request records into, registered on first use and then looked up here: the
   * registry's own lookup builds a tag list and an id per call (a builder, a sort, a hash map
   * probe), which the profile of the node under load showed on every request. Keys come from the
   * same closed sets as the labels, so these maps stay as small as the registry's meters.
   */
  private final Map<RequestKey, Counter> requestCounters = new ConcurrentHashMap<>();
  private final Map<RequestKey, Timer> durationTimers = new ConcurrentHashMap<>();
  private final Map<RequestKey, Counter> tokenCounters = new ConcurrentHashMap<>();

  /** One labelled meter's labels: a stage or token outcome, an outcome, a problem slug. */
  private record RequestKey(Enum<?> first, Outcome outcome, String problem) {}

  private NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * From now on, the roles started on {@code vertx} record into {@code registry}. The admin
   * listener's node calls it before it starts any role.
   */
  public static NodeMetrics attach(Vertx vertx, MeterRegistry registry) {
    NodeMetrics metrics = create(registry);
    BY_VERTX.put(vertx, metrics);
    return metrics;
  }

  /** Meters recording into {@code registry}, tied to no Vert.x instance (tests, tools). */
  public static NodeMetrics create(MeterRegistry registry) {
    return new NodeMetrics(Objects.requireNonNull(registry, "registry"));
  }

  /** The meters of {@code vertx}'s node; {@link #NONE} when none were attached. */
  public static NodeMetrics of(Vertx vertx) {
    return BY_VERTX.getOrDefault(vertx, NONE);
  }

  /** The registry underneath, for the exporter. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Starts counting one request at {@code stage}: in flight until its {@link Exchange} ends. */
  public Exchange begin(Stage stage) {
    AtomicInteger gauge;
    synchronized (inFlight) {
      gauge =
          inFlight.computeIfAbsent(
              stage,
              s -> {
                AtomicInteger n = new AtomicInteger();
                Gauge.builder("pp.requests.in.flight", n, AtomicInteger::get)
                    .description("Requests a stage has begun and not yet answered")
                    .tag("stage", s.label())
                    .strongReference(true)
                    .register(registry);
                return n;
              });
    }
    gauge.incrementAndGet();
    return new Exchange(stage, gauge, Timer.start(registry));
  }

  /** Counts {@code count} tokens issued, redeemed or refused ({@code problem} null unless so). */
  public void tokens(TokenOutcome outcome, ProblemType problem, int count) {
    String slug = problem == null ? NO_PROBLEM : problem.slug();
    RequestKey key = new RequestKey(outcome, null, slug);
    Counter counter = tokenCounters.get(key);
    if (counter == null) {
      counter =
          tokenCounters.computeIfAbsent(
              key,
              k ->
                  Counter.builder("pp.tokens")
                      .description(
                          "Privacy Pass tokens issued by the issuer, redeemed or refused at a"
                              + " listener")
                      .tag("outcome", outcome.label())
                      .tag("problem", slug)
                      .register(registry));
    }
    counter.increment(count);
  }

  /**
   * A gauge read at each scrape.
   *
   * @param name a fixed meter name from the code, e.g. {@code pp.log.entries}
   * @param baseUnit its unit (Prometheus appends it to the name), or null
   */
  public void gauge(String name, String description, String baseUnit, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).baseUnit(baseUnit).register(registry);
  }

  /** As {@link #gauge(String, String, String, Supplier)} without a unit. */
  public void gauge(String name, String description, Supplier<Number> value) {
    gauge(name, description, null, value);
  }

  /** As {@link #gauge(String, String, Supplier)} with one {@link Stage} label. */
  public void stageGauge(String name, String description, Stage stage, Supplier<Number> value) {
    Gauge.builder(name, value)
        .description(description)
        .tag("stage", stage.label())
        .register(registry);
  }

  /** A counter kept elsewhere (an {@code AtomicLong}), read at each scrape. */
  public <T> void functionCounter(
      String name, String description, T holder, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, holder, value).description(description).register(registry);
  }

  /**
   * One request at one stage, from its start to its answer: ends once, whichever of the answer or
   * the connection's close comes first. Thread-safe.
   */
  public final class Exchange {
    private final Stage stage;
    private final AtomicInteger inFlightGauge;
    private final Timer.Sample sample;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String problem;
    private volatile int problemStatus;

    private Exchange(Stage stage, AtomicInteger inFlightGauge, Timer.Sample sample) {
      this.stage = stage;
      this.inFlightGauge = inFlightGauge;
      this.sample = sample;
    }

    /**
     * The problem this node answers the request with, recorded when the exchange ends: its type, or
     * empty for a problem another stage answered with a type this build does not know (counted as
     * {@value #OTHER_PROBLEM}, never under the slug it came with).
     */
    public void problem(java.util.Optional<ProblemType> type, int status) {
      this.problem = type.map(ProblemType::slug).orElse(OTHER_PROBLEM);
      this.problemStatus = status;
    }

    /** Ends the exchange with an answer of {@code status} (a problem's status when one was set). */
    public void end(int status) {
      if (problem != null) {
        end(Outcome.of(problemStatus));
      } else {
        end(stage.answersPrivately() ? Outcome.ANSWERED : Outcome.of(status));
      }
    }

    /** Ends the exchange with {@code outcome}; a second call does nothing. */
    public void end(Outcome outcome) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      inFlightGauge.decrementAndGet();
      String p = problem == null ? NO_PROBLEM : problem;
      RequestKey counterKey = new RequestKey(stage, outcome, p);
      Counter counter = requestCounters.get(counterKey);
      if (counter == null) {
        counter =
            requestCounters.computeIfAbsent(
                counterKey,
                k ->
                    Counter.builder("pp.requests")
                        .description(
                            "Requests per stage, by outcome and by the problem type answered")
                        .tag("stage", stage.label())
                        .tag("outcome", outcome.label())
                        .tag("problem", p)
                        .register(registry));
      }
      counter.increment();
      RequestKey timerKey = new RequestKey(stage, outcome, null);
      Timer timer = durationTimers.get(timerKey);
      if (timer == null) {
        timer =
            durationTimers.computeIfAbsent(
                timerKey,
                k ->
                    Timer.builder("pp.request.duration")
                        .description(
                            "Time from a request's start to its answer, per stage and outcome")
                        .tag("stage", stage.label())
                        .tag("outcome", outcome.label())
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry));
      }
      sample.stop(timer);
    }

    /** Whether {@link #end} has run. */
    public boolean ended() {
      return ended.get();
    }

    public Stage stage() {
      return stage;
    }
  }
}
