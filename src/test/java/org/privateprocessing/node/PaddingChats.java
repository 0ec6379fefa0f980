package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.ohttp.ResponsePadding;

/**
 * What the padding path tests share: chats of a chosen length (so the answers differ in length),
 * and the check that every size an observer saw is a padding bucket plus the response nonce and
 * AEAD tag.
 */
final class PaddingChats {
  private PaddingChats() {}

  /** A chat of {@code messages} messages of {@code wordsEach} words, asking for a summary. */
  static SummarizeRequest chat(int messages, int wordsEach, int sentences) throws Exception {
    JsonArray list = new JsonArray();
    String[] words = {"dinner", "Saturday", "cake", "booking", "train", "tickets", "garden"};
    for (int i = 0; i < messages; i++) {
      StringBuilder text = new StringBuilder("Message " + i + ":");
      for (int w = 0; w < wordsEach; w++) {
        text.append(' ').append(words[(i + w) % words.length]);
      }
      list.add(
          new JsonObject()
              .put("id", "m" + i)
              .put("from", i % 2 == 0 ? "Alice" : "Bob")
              .put("sentAt", "2026-11-24T10:0" + (i % 10) + ":00Z")
              .put("text", text.append('.').toString()));
    }
    JsonObject chat =
        new JsonObject()
            .put("chat", new JsonObject().put("id", "c").put("title", "Plans"))
            .put("messages", list)
            .put("maxSentences", sentences);
    return SummarizeRequest.parse(chat.encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Each size is a bucket of {@link ResponsePadding#DEFAULT} plus the response nonce (16 bytes for
   * AES-128-GCM, 32 for ChaCha20-Poly1305) and the 16-byte tag.
   */
  static void assertEachIsABucketPlusNonceAndTag(Set<Integer> sizes) {
    ResponsePadding buckets = ResponsePadding.DEFAULT;
    for (int size : sizes) {
      assertThat(List.of(size - 32, size - 48))
          .as("size %d is a padding bucket plus nonce and tag", size)
          .anySatisfy(inner -> assertThat(buckets.paddedLength(inner)).isEqualTo(inner));
    }
  }
}
