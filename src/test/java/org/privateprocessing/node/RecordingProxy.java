package org.privateprocessing.node;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of one listener, for the path tests that note
 * what crosses a hop (what the issuer or the gateway receives, what the relay passes back). It
 * forwards each request (method, URI, headers but Host and Content-Length, body) and the answer
 * (status, headers but Content-Length, body); an upstream that cannot be reached is a 502.
 */
public final class RecordingProxy {
  /** What a test notes; both calls run on the proxy's event loop. */
  public interface Observer {
    /** A request, with its whole body, before it is forwarded. */
    default void request(HttpServerRequest request, Buffer body) {}

    /** The upstream's answer to {@code request}, before it is passed back. */
    default void response(HttpServerRequest request, HttpResponse<Buffer> answer) {}
  }

  private RecordingProxy() {}

  /** Starts a proxy in front of {@code 127.0.0.1:targetPort}; returns the proxy's port. */
  public static int start(Vertx vertx, int targetPort, Observer observer) throws Exception {
    WebClient forward = WebClient.create(vertx);
    HttpServer server =
        PrivatePathTest.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    request ->
                        request
                            .body()
                            .onSuccess(
                                body -> {
                                  observer.request(request, body);
                                  var out =
                                      forward.request(
                                          request.method(), targetPort, "127.0.0.1", request.uri());
                                  request
                                      .headers()
                                      .forEach(
                                          h -> {
                                            if (!h.getKey().equalsIgnoreCase("host")
                                                && !h.getKey().equalsIgnoreCase("content-length")) {
                                              out.putHeader(h.getKey(), h.getValue());
                                            }
                                          });
                                  out.sendBuffer(body)
                                      .onComplete(
                                          ar -> {
                                            if (ar.failed()) {
                                              request.response().setStatusCode(502).end();
                                              return;
                                            }
                                            HttpResponse<Buffer> answer = ar.result();
                                            observer.response(request, answer);
                                            var response =
                                                request
                                                    .response()
                                                    .setStatusCode(answer.statusCode());
                                            answer
                                                .headers()
                                                .forEach(
                                                    h -> {
                                                      if (!h.getKey()
                                                          .equalsIgnoreCase("content-length")) {
                                                        response.putHeader(
                                                            h.getKey(), h.getValue());
                                                      }
                                                    });
                                            response.end(
                                                answer.body() == null
                                                    ? Buffer.buffer()
                                                    : answer.body());
                                          });
                                }))
                .listen(0, "127.0.0.1"));
    return server.actualPort();
  }
}
