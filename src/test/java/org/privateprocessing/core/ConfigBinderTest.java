package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.ConfigBinder.Key;

/** The binding every config section goes through, on sections made for the test. */
class ConfigBinderTest {
  /** A section with one key of every supported kind. */
  record Sample(
      String host,
      @Key(min = 0, max = 65535) int port,
      @Key(name = "timeout", unit = ChronoUnit.MILLIS, min = 1, was = "timeoutMs") long timeoutMs,
      @Key(was = "windowSeconds") Duration window,
      @Key(derived = true) Duration grace,
      boolean enabled,
      Path file,
      List<String> urls,
      List<Item> items,
      Inner inner,
      @Key(secret = true) String apiKey,
      Mode mode) {
    static final Sample DEFAULTS =
        new Sample(
            "127.0.0.1",
            8080,
            15_000,
            Duration.ofHours(1),
            null,
            false,
            null,
            List.of("http://a"),
            List.of(),
            Inner.DEFAULTS,
            null,
            Mode.FAST);

    Sample {
      if (grace == null) {
        grace = window.dividedBy(4);
      }
      if (grace.compareTo(window) >= 0) {
        throw new IllegalArgumentException("sample.grace: below sample.window");
      }
    }
  }

  record Item(String id, @Key(min = 1) int weight) {}

  record Inner(@Key(min = 1) int perSource, @Key(was = "intervalMs") Duration interval) {
    static final Inner DEFAULTS = new Inner(10, Duration.ofSeconds(6));
  }

  enum Mode {
    FAST,
    SAFE
  }

  private static Sample bind(String json) {
    return ConfigBinder.bind("sample", new JsonObject(json), Sample.class, Sample.DEFAULTS);
  }

  @Nested
  @DisplayName("binding")
  class Binding {
    @Test
    @DisplayName("absent keys take the defaults; a derived one is worked out by the record")
    void defaults() {
      Sample s = ConfigBinder.bind("sample", null, Sample.class, Sample.DEFAULTS);
      assertThat(s).isEqualTo(Sample.DEFAULTS);
      assertThat(s.grace()).isEqualTo(Duration.ofMinutes(15));
      assertThat(bind("{\"window\":\"2h\"}").grace()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    @DisplayName("every kind of value is read as written, _comment anywhere is ignored")
    void readsEveryKind() {
      Sample s =
          bind(
              """
              {"_comment": "a note", "host": "::1", "port": 0, "timeout": "1500ms",
               "window": "5m", "grace": "30s", "enabled": true, "file": "run/x.key",
               "urls": ["http://b", "http://c"],
               "items": [{"id": "a", "weight": 2, "_comment": "x"}],
               "inner": {"interval": "100ms"}, "apiKey": "sk-1", "mode": "safe"}""");
      assertThat(s)
          .isEqualTo(
              new Sample(
                  "::1",
                  0,
                  1500,
                  Duration.ofMinutes(5),
                  Duration.ofSeconds(30),
                  true,
                  Path.of("run/x.key"),
                  List.of("http://b", "http://c"),
                  List.of(new Item("a", 2)),
                  new Inner(10, Duration.ofMillis(100)),
                  "sk-1",
                  Mode.SAFE));
    }

    @Test
    @DisplayName("the older numeric keys (...Ms, ...Seconds) still read, as the same durations")
    void olderKeys() {
      Sample old =
          bind("{\"timeoutMs\": 2500, \"windowSeconds\": 90, \"inner\":{\"intervalMs\":7}}");
      Sample now =
          bind("{\"timeout\": \"2500ms\", \"window\": \"90s\", \"inner\":{\"interval\":\"7ms\"}}");
      assertThat(old).isEqualTo(now);
      assertThat(old.timeoutMs()).isEqualTo(2500);
      assertThatThrownBy(() -> bind("{\"timeoutMs\": 2500, \"timeout\": \"2s\"}"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("given twice");
      assertThatThrownBy(() -> bind("{\"timeoutMs\": \"2s\"}"))
          .hasMessageStartingWith("sample.timeoutMs: expected a whole number of milliseconds");
    }

    @Test
    @DisplayName("an error about a key written in its older form names the key as written")
    void olderKeyNamedInErrors() {
      assertThatThrownBy(() -> bind("{\"timeoutMs\": 0}"))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("sample.timeoutMs: ");
    }
  }

  @Nested
  @DisplayName("refusals name the key, the type expected and the value found")
  class Refusals {
    @Test
    @DisplayName("a string where an integer belongs, and an integer out of range")
    void integers() {
      assertThatThrownBy(() -> bind("{\"port\": \"abc\"}"))
          .isInstanceOf(ConfigException.class)
          .hasMessage("sample.port: expected an integer (0..65535), got \"abc\"");
      assertThatThrownBy(() -> bind("{\"port\": 70000}"))
          .hasMessage("sample.port: expected an integer (0..65535), got 70000");
      assertThatThrownBy(() -> bind("{\"port\": 80.5}"))
          .hasMessage("sample.port: expected an integer (0..65535), got 80.5");
      assertThatThrownBy(() -> bind("{\"port\": null}"))
          .hasMessage("sample.port: expected an integer (0..65535), got null");
    }

    @Test
    @DisplayName("a duration without its unit, or in another form")
    void durations() {
      assertThatThrownBy(() -> bind("{\"timeout\": 1500}"))
          .hasMessage(
              "sample.timeout: expected a duration (e.g. 1500ms, 30s, 5m or 1h) from 1ms, got 1500");
      assertThatThrownBy(() -> bind("{\"window\": \"PT1H\"}"))
          .hasMessage(
              "sample.window: expected a duration (e.g. 1500ms, 30s, 5m or 1h), got \"PT1H\"");
    }

    @Test
    @DisplayName("an unknown key, with the closest known one and all of them")
    void unknownKey() {
      assertThatThrownBy(() -> bind("{\"prot\": 1}"))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(
              "sample.prot: unknown key 'prot' (did you mean port?); known keys: ")
          .hasMessageContaining("apiKey, enabled, file, grace, host");
      assertThatThrownBy(() -> bind("{\"inner\": {\"perSorce\": 1}}"))
          .hasMessageStartingWith(
              "sample.inner.perSorce: unknown key 'perSorce' (did you mean perSource?)");
      assertThatThrownBy(() -> bind("{\"qqqqqq\": 1}"))
          .hasMessageStartingWith("sample.qqqqqq: unknown key 'qqqqqq'; known keys: ");
    }

    @Test
    @DisplayName("wrong shapes: a list, an object, an enum, a boolean, an element of a list")
    void shapes() {
      assertThatThrownBy(() -> bind("{\"urls\": \"http://a\"}"))
          .hasMessage("sample.urls: expected a list of strings, got \"http://a\"");
      assertThatThrownBy(() -> bind("{\"urls\": [\"http://a\", 7]}"))
          .hasMessage("sample.urls[1]: expected a string, got 7");
      assertThatThrownBy(() -> bind("{\"inner\": 5}"))
          .hasMessage("sample.inner: expected an object (perSource, interval), got 5");
      assertThatThrownBy(() -> bind("{\"mode\": \"slow\"}"))
          .hasMessage("sample.mode: expected one of fast, safe, got \"slow\"");
      assertThatThrownBy(() -> bind("{\"enabled\": \"yes\"}"))
          .hasMessage("sample.enabled: expected true or false, got \"yes\"");
      assertThatThrownBy(() -> bind("{\"items\": [{\"id\": \"a\"}]}"))
          .hasMessage("sample.items[0].weight: required: an integer (at least 1)");
      assertThatThrownBy(() -> bind("{\"items\": [{\"id\": \"a\", \"weight\": 0}]}"))
          .hasMessage("sample.items[0].weight: expected an integer (at least 1), got 0");
    }

    @Test
    @DisplayName("the record's own checks become errors keyed like the others")
    void recordChecks() {
      assertThatThrownBy(() -> bind("{\"grace\": \"2h\"}"))
          .isInstanceOf(ConfigException.class)
          .hasMessage("sample.grace: below sample.window")
          .extracting(e -> ((ConfigException) e).key())
          .isEqualTo("sample.grace");
    }

    @Test
    @DisplayName("a secret's value is never shown")
    void secrets() {
      assertThatThrownBy(() -> bind("{\"apiKey\": 123456789}"))
          .hasMessage("sample.apiKey: expected a string, got a value (not shown: a secret)");
    }
  }

  @Nested
  @DisplayName("environment overrides: PP_<SECTION>_<KEY>")
  class Environment {
    private final Map<String, Class<?>> sections = new LinkedHashMap<>();

    {
      sections.put("profile", String.class);
      sections.put("sample", Sample.class);
    }

    private JsonObject apply(
        JsonObject conf, Map<String, String> env, Map<String, String> origins) {
      return ConfigBinder.applyEnvironment(conf, sections, env, origins);
    }

    @Test
    @DisplayName("every key, typed as its record says, nested ones with their section's prefix")
    void typed() {
      Map<String, String> origins = new HashMap<>();
      JsonObject conf = new JsonObject().put("sample", new JsonObject().put("port", 1));
      JsonObject out =
          apply(
              conf,
              Map.of(
                  "PP_SAMPLE_PORT", "9000",
                  "PP_SAMPLE_TIMEOUT", "2s",
                  "PP_SAMPLE_ENABLED", "true",
                  "PP_SAMPLE_URLS", "http://x,http://y",
                  "PP_SAMPLE_ITEMS", "[{\"id\":\"a\",\"weight\":3}]",
                  "PP_SAMPLE_INNER_PER_SOURCE", "4",
                  "PP_PROFILE", "demo",
                  "HOME", "/root"),
              origins);
      assertThat(conf.getJsonObject("sample").getInteger("port"))
          .as("input untouched")
          .isEqualTo(1);
      assertThat(out.getString("profile")).isEqualTo("demo");
      Sample s =
          ConfigBinder.bind("sample", out.getJsonObject("sample"), Sample.class, Sample.DEFAULTS);
      assertThat(s.port()).isEqualTo(9000);
      assertThat(s.timeoutMs()).isEqualTo(2000);
      assertThat(s.enabled()).isTrue();
      assertThat(s.urls()).containsExactly("http://x", "http://y");
      assertThat(s.items()).containsExactly(new Item("a", 3));
      assertThat(s.inner()).isEqualTo(new Inner(4, Duration.ofSeconds(6)));
      assertThat(origins)
          .containsEntry("sample.port", "PP_SAMPLE_PORT")
          .containsEntry("sample.inner.perSource", "PP_SAMPLE_INNER_PER_SOURCE")
          .containsEntry("profile", "PP_PROFILE");
    }

    @Test
    @DisplayName("a variable replaces the key's older form in the file")
    void replacesOlderForm() {
      JsonObject conf = new JsonObject().put("sample", new JsonObject().put("timeoutMs", 100));
      JsonObject out = apply(conf, Map.of("PP_SAMPLE_TIMEOUT", "3s"), new HashMap<>());
      Sample s =
          ConfigBinder.bind("sample", out.getJsonObject("sample"), Sample.class, Sample.DEFAULTS);
      assertThat(s.timeoutMs()).isEqualTo(3000);
    }

    @Test
    @DisplayName("a bad value is reported for its key, and the origin says which variable set it")
    void badValue() {
      Map<String, String> origins = new HashMap<>();
      JsonObject out = apply(new JsonObject(), Map.of("PP_SAMPLE_PORT", "abc"), origins);
      assertThatThrownBy(
              () ->
                  ConfigBinder.bind(
                      "sample", out.getJsonObject("sample"), Sample.class, Sample.DEFAULTS))
          .isInstanceOf(ConfigException.class)
          .hasMessage("sample.port: expected an integer (0..65535), got \"abc\"")
          .extracting(e -> origins.get(((ConfigException) e).key()))
          .isEqualTo("PP_SAMPLE_PORT");
    }

    @Test
    @DisplayName("a variable of a section that names no key is refused, with the closest one")
    void typo() {
      assertThatThrownBy(
              () -> apply(new JsonObject(), Map.of("PP_SAMPLE_PROT", "1"), new HashMap<>()))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("PP_SAMPLE_PROT: no such setting (did you mean PP_SAMPLE_PORT?)")
          .hasMessageContaining("PP_SAMPLE_INNER_PER_SOURCE");
      // Not a section's prefix: not ours to judge.
      assertThat(apply(new JsonObject(), Map.of("PP_OTHER_THING", "1"), new HashMap<>())).isEmpty();
    }

    @Test
    @DisplayName("a section that is not an object is not silently replaced")
    void sectionNotAnObject() {
      assertThatThrownBy(
              () ->
                  apply(
                      new JsonObject().put("sample", new JsonArray()),
                      Map.of("PP_SAMPLE_PORT", "1"),
                      new HashMap<>()))
          .hasMessageStartingWith("sample: expected an object");
    }
  }

  @Test
  @DisplayName("the reference lists every key with its type, default as written, and variable")
  void describes() {
    List<ConfigBinder.Setting> rows =
        ConfigBinder.describe("sample", Sample.class, Sample.DEFAULTS);
    assertThat(rows)
        .contains(
            new ConfigBinder.Setting("sample.port", "integer (0..65535)", "8080", "PP_SAMPLE_PORT"),
            new ConfigBinder.Setting(
                "sample.timeout", "duration from 1ms", "\"15s\"", "PP_SAMPLE_TIMEOUT"),
            new ConfigBinder.Setting("sample.window", "duration", "\"1h\"", "PP_SAMPLE_WINDOW"),
            new ConfigBinder.Setting("sample.grace", "duration", "derived", "PP_SAMPLE_GRACE"),
            new ConfigBinder.Setting(
                "sample.file", "file path (a string)", "none", "PP_SAMPLE_FILE"),
            new ConfigBinder.Setting(
                "sample.urls", "list of strings", "[\"http://a\"]", "PP_SAMPLE_URLS"),
            new ConfigBinder.Setting(
                "sample.inner.perSource",
                "integer (at least 1)",
                "10",
                "PP_SAMPLE_INNER_PER_SOURCE"),
            new ConfigBinder.Setting(
                "sample.mode", "one of fast, safe", "\"fast\"", "PP_SAMPLE_MODE"));
    assertThat(rows).hasSize(13);
  }

  @Test
  @DisplayName("camelCase keys are written UPPER_SNAKE in variable names")
  void upperSnake() {
    assertThat(ConfigBinder.upperSnake("maxInFlight")).isEqualTo("MAX_IN_FLIGHT");
    assertThat(ConfigBinder.upperSnake("credentialSha256")).isEqualTo("CREDENTIAL_SHA256");
    assertThat(ConfigBinder.upperSnake("port")).isEqualTo("PORT");
  }
}
