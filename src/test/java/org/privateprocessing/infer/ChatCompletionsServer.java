package org.privateprocessing.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A local stand-in for an OpenAI-compatible model server: {@code POST /v1/chat/completions} on
 * 127.0.0.1 and a free port, answering as the test says, and keeping what it received.
 */
final class ChatCompletionsServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received. */
  record Received(String method, String path, Map<String, String> headers, JsonNode body) {
    String systemPrompt() {
      return body.get("messages").get(0).get("content").textValue();
    }

    String userPrompt() {
      return body.get("messages").get(1).get("content").textValue();
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<HttpServerRequest, String> behaviour =
      (request, body) -> request.response().setStatusCode(500).end();

  ChatCompletionsServer() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            buffer -> {
                              String body = buffer.toString();
                              try {
                                Map<String, String> headers =
                                    new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                                request
                                    .headers()
                                    .forEach(h -> headers.put(h.getKey(), h.getValue()));
                                received.add(
                                    new Received(
                                        request.method().name(),
                                        request.path(),
                                        headers,
                                        JSON.readTree(body)));
                              } catch (Exception e) {
                                received.add(
                                    new Received(
                                        request.method().name(), request.path(), Map.of(), null));
                              }
                              behaviour.accept(request, body);
                            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  Vertx vertx() {
    return vertx;
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  List<Received> received() {
    return received;
  }

  Received last() {
    return received.get(received.size() - 1);
  }

  ChatCompletionsServer answer(BiConsumer<HttpServerRequest, String> newBehaviour) {
    behaviour = newBehaviour;
    return this;
  }

  /** Answers 200 with a chat completion whose first choice has this content. */
  ChatCompletionsServer answerContent(String content) {
    return answerJson(completion(content, "stop"));
  }

  ChatCompletionsServer answerJson(String json) {
    return answer(
        (request, body) ->
            request
                .response()
                .setStatusCode(200)
                .putHeader("content-type", "application/json")
                .end(json));
  }

  /** A chat completions response body, with {@code model} as llama.cpp's server reports it. */
  static String completion(String content, String finishReason) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-1")
        .put("object", "chat.completion")
        .put("created", 1_700_000_000)
        .put("model", "llama-3.1-8b-instruct-q4_k_m.gguf");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", finishReason);
    choice.putObject("message").put("role", "assistant").put("content", content);
    root.putObject("usage")
        .put("prompt_tokens", 100)
        .put("completion_tokens", 20)
        .put("total_tokens", 120);
    return root.toString();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
