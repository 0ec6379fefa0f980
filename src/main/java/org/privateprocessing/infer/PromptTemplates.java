package org.privateprocessing.infer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt templates of {@link OpenAiCompatibleModel}, read from {@code /prompts/<name>.txt} on the
 * class path, and the rendering of chat content as data.
 *
 * <p>A template file has comment lines ({@code #}) first, then a {@code === system ===} section and
 * a {@code === user ===} section. {@code {{name}}} placeholders are replaced in one pass, so a
 * value that itself contains {@code {{...}}} is not expanded again.
 *
 * <p>Prompt-injection hygiene: user content only ever enters a prompt through {@link
 * #dataLine(Map)}, which renders it as one line of JSON (so it cannot start a new line) and escapes
 * every run of two or more {@code <} or {@code >} as {@code \u003c} / {@code \u003e} (so it cannot
 * contain the {@code CHAT>>>} or {@code <<<CHAT} delimiters that fence it). The JSON still decodes
 * to the exact original text. Stateless and thread-safe.
 */
public final class PromptTemplates {
  /** Resource folder of the templates. */
  public static final String FOLDER = "/prompts/";

  private static final String SYSTEM_HEADER = "=== system ===";
  private static final String USER_HEADER = "=== user ===";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z]+)}}");
  private static final Pattern ANGLE_RUN = Pattern.compile("<{2,}|>{2,}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PromptTemplates() {}

  /** A system and a user message, ready to send. */
  public record Prompt(String system, String user) {
    /** Length of both parts in characters, the prompt-size estimate the input budget uses. */
    public int chars() {
      return system.length() + user.length();
    }
  }

  /** A parsed template and the placeholders it uses. */
  public record Template(String name, String system, String user, Set<String> placeholders) {

    public Template {
      placeholders = Set.copyOf(placeholders);
    }

    /**
     * The template with every placeholder replaced by its value (inserted verbatim).
     *
     * @throws IllegalArgumentException if a placeholder has no value (names it, not values)
     */
    public Prompt render(Map<String, String> values) {
      for (String p : placeholders) {
        if (!values.containsKey(p)) {
          throw new IllegalArgumentException("template " + name + ": no value for {{" + p + "}}");
        }
      }
      return new Prompt(substitute(system, values), substitute(user, values));
    }
  }

  /**
   * Loads {@code /prompts/<name>.txt}.
   *
   * @throws IllegalStateException if the resource is missing or not a valid template
   */
  public static Template load(String name) {
    String path = FOLDER + name + ".txt";
    try (InputStream in = PromptTemplates.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "prompt template " + path + " is missing from the class path");
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("prompt template " + path + " could not be read", e);
    }
  }

  /**
   * Parses template text.
   *
   * @throws IllegalStateException if a section is missing, out of order or empty
   */
  public static Template parse(String name, String text) {
    String t = text.replace("\r\n", "\n");
    int system = headerAt(t, SYSTEM_HEADER);
    int user = headerAt(t, USER_HEADER);
    if (system < 0 || user < 0 || user < system) {
      throw new IllegalStateException(
          "prompt template "
              + name
              + ": needs a '"
              + SYSTEM_HEADER
              + "' line followed by a '"
              + USER_HEADER
              + "' line");
    }
    for (String line : t.substring(0, system).split("\n", -1)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        throw new IllegalStateException(
            "prompt template " + name + ": only comments may precede '" + SYSTEM_HEADER + "'");
      }
    }
    String systemText = t.substring(system + SYSTEM_HEADER.length(), user).strip();
    String userText = t.substring(user + USER_HEADER.length()).strip();
    if (systemText.isEmpty() || userText.isEmpty()) {
      throw new IllegalStateException("prompt template " + name + ": empty section");
    }
    Set<String> placeholders = new LinkedHashSet<>();
    for (String part : new String[] {systemText, userText}) {
      Matcher m = PLACEHOLDER.matcher(part);
      while (m.find()) {
        placeholders.add(m.group(1));
      }
    }
    return new Template(name, systemText, userText, placeholders);
  }

  /** Index of a header that is a whole line, or -1. */
  private static int headerAt(String text, String header) {
    int from = 0;
    while (true) {
      int i = text.indexOf(header, from);
      if (i < 0) {
        return -1;
      }
      boolean lineStart = i == 0 || text.charAt(i - 1) == '\n';
      int end = i + header.length();
      boolean lineEnd = end == text.length() || text.charAt(end) == '\n';
      if (lineStart && lineEnd) {
        return i;
      }
      from = end;
    }
  }

  private static String substitute(String part, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(part);
    StringBuilder b = new StringBuilder(part.length());
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(b, Matcher.quoteReplacement(Objects.requireNonNull(value, m.group(1))));
    }
    m.appendTail(b);
    return b.toString();
  }

  /**
   * User content as one line of JSON that cannot close the block it is fenced in: an object with
   * the given fields in order (null values omitted), runs of {@code <} and {@code >} escaped.
   * Decoding the line gives back the exact values.
   */
  public static String dataLine(Map<String, ?> fields) {
    Map<String, Object> present = new LinkedHashMap<>();
    fields.forEach(
        (k, v) -> {
          if (v != null) {
            present.put(k, v);
          }
        });
    String json;
    try {
      json = JSON.writeValueAsString(present);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("fields are not serialisable as JSON"); // no content
    }
    return neutralise(json);
  }

  /**
   * Escapes each run of two or more angle brackets in a JSON text as {@code \u003c}/{@code \u003e}.
   */
  static String neutralise(String json) {
    Matcher m = ANGLE_RUN.matcher(json);
    StringBuilder b = new StringBuilder(json.length() + 16);
    while (m.find()) {
      String escaped = m.group().charAt(0) == '<' ? "\\u003c" : "\\u003e";
      m.appendReplacement(b, Matcher.quoteReplacement(escaped.repeat(m.group().length())));
    }
    m.appendTail(b);
    return b.toString();
  }
}
