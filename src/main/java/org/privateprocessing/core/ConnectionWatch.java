package org.privateprocessing.core;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The read deadlines of one connection of a listener ({@link ListenerLimits}), which Vert.x has no
 * option for: a new connection must deliver its first request's headers within {@code
 * headerReadTimeout}, and each request its body within {@code bodyReadTimeout} of its headers;
 * otherwise it is closed, however slowly the client keeps trickling bytes. While a request is being
 * answered no deadline runs (the idle timeout still does), except the body deadline of a request
 * answered before its body was in.
 *
 * <p>After an answer, a kept-alive connection waits up to {@code idleTimeout} for its next request
 * to be complete, not the shorter header deadline: the end of an answer is not the start of a
 * request, and pooled clients (Vert.x's keep connections 60 s) would otherwise send on connections
 * the server is closing. A slow sender on a kept-alive connection is still cut at {@code
 * idleTimeout}.
 *
 * <p>It also remembers the failure the connection last reported (a malformed chunk, a reset), so
 * the listener can tell a request that broke on the wire, the client's fault, from a handler's own
 * exception.
 *
 * <p>Not thread-safe, and needs not be: a connection's handlers, its requests and the timers they
 * set all run on the connection's event loop.
 */
final class ConnectionWatch {
  private static final Logger LOG = Logger.getLogger(ConnectionWatch.class.getName());

  private final Vertx vertx;
  private final HttpConnection connection;
  private final ListenerLimits limits;
  private long timer = -1;

  /** Requests started on this connection; the current one's number while it is answered. */
  private long started;

  private boolean answering;

  /** Whether the current request's body is still arriving (its deadline runs until it is in). */
  private boolean bodyPending;

  private Throwable reported;

  ConnectionWatch(Vertx vertx, HttpConnection connection, ListenerLimits limits) {
    this.vertx = vertx;
    this.connection = connection;
    this.limits = limits;
  }

  /** The connection was just opened: its first request's headers must arrive in time. */
  void opened() {
    arm(limits.headerReadTimeout().toMillis(), "no complete request header");
  }

  /**
   * A request's headers arrived: the header deadline stops, the body deadline starts unless the
   * request has no body left to read.
   */
  void requestStarted(HttpServerRequest request) {
    started++;
    answering = true;
    cancel();
    if (!request.isEnded()) {
      bodyPending = true;
      long body = arm(limits.bodyReadTimeout().toMillis(), "no complete request body");
      request
          .end()
          .onComplete(
              done -> {
                bodyPending = false;
                // Only this deadline: a timer armed since (a pipelined request's) must keep
                // running.
                if (timer == body) {
                  cancel();
                  if (!answering) {
                    // The answer went out before the body was in (an early refusal).
                    arm(limits.idleTimeout().toMillis(), null);
                  }
                }
              });
    }
  }

  /** The number of the request being answered (or last answered) on this connection. */
  long exchange() {
    return started;
  }

  /**
   * The answer to request number {@code exchange} ended (or broke): the next request must be
   * complete within the idle timeout. Idempotent, and ignored for a request that is no longer the
   * current one (HTTP/1.1 answers one request of a connection at a time, and a pipelined next one
   * may already have started).
   */
  void exchangeEnded(long exchange) {
    if (answering && exchange == started) {
      answering = false;
      if (!bodyPending) {
        arm(limits.idleTimeout().toMillis(), null);
      }
      // else: answered before its body was in (a request refused on its headers): the body
      // deadline keeps running, or a client that stops sending would hold the connection until
      // the idle timeout.
    }
  }

  /**
   * What the connection reported: a decoding failure of the request, a reset. Not logged here: the
   * listener logs the one line for the request it refuses because of it.
   */
  void reported(Throwable failure) {
    reported = failure;
  }

  /** Whether {@code failure} is one the connection reported, rather than a handler's own. */
  boolean wasReported(Throwable failure) {
    return failure != null && failure == reported;
  }

  void closed() {
    cancel();
  }

  /**
   * Closes the connection unless the timer is cancelled within {@code millis}; {@code missing},
   * when not null, is what a slow client failed to send, logged in one line at FINE (a slow client
   * is the client's matter, and a louder line per connection would let slow clients fill the log).
   * An idle kept-alive connection closes without a line: that is how keep-alive ends.
   */
  private long arm(long millis, String missing) {
    cancel();
    timer =
        vertx.setTimer(
            millis,
            id -> {
              timer = -1;
              if (missing != null) {
                LOG.log(
                    Level.FINE,
                    "closing a connection: {0} within {1} ms",
                    new Object[] {missing, millis});
              }
              connection.close();
            });
    return timer;
  }

  private void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
