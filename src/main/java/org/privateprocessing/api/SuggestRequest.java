package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Body of {@code POST /v1/suggest}: a chat, a draft message (not blank) and the tone wanted. */
public record SuggestRequest(Chat chat, String draft, Tone tone) {
  /** The members of a suggest request on the wire; any other is refused. */
  static final List<String> MEMBERS = List.of("chat", "draft", "tone");

  /**
   * Parses and validates a request body; the exception names the first offending field. A member
   * the wire type does not define is refused (by its position: its name is request content).
   */
  public static SuggestRequest parse(byte[] json) throws InvalidRequestException {
    JsonNode root = Fields.requireObjectWithOnly(Json.read(json), "$", MEMBERS);
    Chat chat = Chat.read(Fields.member(root, "chat"), "chat");
    String draft = Fields.requiredString(root, "draft", "$", 1, ApiLimits.MAX_DRAFT_CHARS);
    if (draft.isBlank()) {
      throw new InvalidRequestException("draft", "must not be blank");
    }
    JsonNode t = Fields.member(root, "tone");
    if (t == null) {
      throw new InvalidRequestException("tone", "is required");
    }
    Tone tone;
    try {
      tone = Tone.parse(t.isTextual() ? t.textValue() : null);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("tone", Tone.EXPECTED);
    }
    return new SuggestRequest(chat, draft, tone);
  }

  /** The request as UTF-8 JSON, null members omitted. */
  public byte[] encode() {
    return Json.write(this);
  }
}
