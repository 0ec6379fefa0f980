package org.privateprocessing.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one way every config section is read: a section of a node config (a JSON object) is bound to
 * a {@code record} whose components are its keys, so that adding a key is adding a component.
 *
 * <ul>
 *   <li>Unknown keys are refused, naming the closest known key and all of them ({@code _comment} is
 *       allowed everywhere).
 *   <li>Every value is checked against its component's type before the record is made, and an error
 *       names the key, the type expected and the value found: {@code gateway.port: expected an
 *       integer (0..65535), got "abc"}. The record's own checks (its compact constructor) then run,
 *       and their {@code IllegalArgumentException} becomes a {@link ConfigException} too.
 *   <li>Absent keys take the value of the record's defaults instance (its {@code DEFAULTS}); a
 *       component marked {@link Key#derived()} is null when absent, for the constructor to work it
 *       out from the other keys.
 *   <li>Durations are written one way: a whole number and a unit ({@link Durations}), also for an
 *       {@code int} or {@code long} component that keeps a number of {@link Key#unit()}s. The older
 *       numeric form ({@code timeoutMs: 15000}) is still read under its old name ({@link
 *       Key#was()}), with a warning saying how to write it now.
 *   <li>Every key can be set from the environment ({@link #applyEnvironment}): {@code
 *       PP_<SECTION>_<KEY>}, camelCase written UPPER_SNAKE ({@code gateway.maxInFlight} is {@code
 *       PP_GATEWAY_MAX_IN_FLIGHT}), typed as the component says.
 * </ul>
 *
 * <p>Supported component types: {@code int}, {@code long} (and boxed), {@code boolean}, {@code
 * String}, {@code Path}, {@code URI}, {@code Duration}, enums, {@code List} of any of these, and
 * nested records (a nested JSON object, bound the same way).
 */
public final class ConfigBinder {
  /** Allowed in every object of a config, and ignored: a note for the people who read it. */
  public static final String COMMENT = "_comment";

  /** Prefix of every environment variable that sets a config key. */
  public static final String ENV_PREFIX = "PP_";

  private static final Logger LOG = Logger.getLogger(ConfigBinder.class.getName());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Older keys already warned about: once per key and JVM is enough. */
  private static final java.util.Set<String> WARNED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static final Pattern KEYED_MESSAGE = Pattern.compile("([A-Za-z_][\\w.\\[\\]]*): (.+)");

  /** What a key is beyond its Java type. Put it on a record component. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Key {
    /** The key as written in the file, when it is not the component's name. */
    String name() default "";

    /** Smallest value of an integer (in {@link #unit()}s for a duration kept as a number). */
    long min() default Long.MIN_VALUE;

    /** Largest value of an integer (in {@link #unit()}s for a duration kept as a number). */
    long max() default Long.MAX_VALUE;

    /**
     * For an {@code int} or {@code long} component that keeps a duration: the unit of the number.
     * The key is then written as a duration ({@code "30s"}) like every other.
     */
    ChronoUnit unit() default ChronoUnit.FOREVER;

    /**
     * The key's older name, under which it was a number in the unit its suffix names ({@code
     * timeoutMs}, {@code windowSeconds}); still read, with a warning.
     */
    String was() default "";

    /**
     * The default is worked out by the record from other keys (and documented with the key), not
     * one fixed value: the component is null when the key is absent.
     */
    boolean derived() default false;

    /** The value is a secret: errors never show it. */
    boolean secret() default false;
  }

  /**
   * One key of the config reference (docs/CONFIG.md).
   *
   * @param key the dotted path, e.g. {@code gateway.port}
   * @param type what the value is, e.g. {@code integer (0..65535)}, {@code duration}
   * @param defaultValue the default as written in a config, {@code derived} or {@code none}
   * @param env the environment variable that sets it
   */
  public record Setting(String key, String type, String defaultValue, String env) {}

  private ConfigBinder() {}

  /**
   * Binds one section of a config.
   *
   * @param section the section's key in the config, e.g. {@code gateway}; errors start with it
   * @param json the section, null when absent (everything default)
   * @param type the record the section binds to
   * @param defaults the values of absent keys
   * @throws ConfigException naming the first bad key, the type expected and the value found
   */
  public static <T extends Record> T bind(
      String section, JsonObject json, Class<T> type, T defaults) {
    JsonNode node = json == null ? JsonNodeFactory.instance.objectNode() : tree(json);
    return type.cast(object(section, node, type, defaults));
  }

  /**
   * The config with every {@code PP_<SECTION>_<KEY>} variable of {@code env} written into it, typed
   * as the sections' records say; {@code conf} itself is left as it is.
   *
   * @param sections each section's key and record, or for a top-level value its type ({@code
   *     String}, an enum): {@code PP_<KEY>}
   * @param origins receives, for each key set here, the variable that set it (so that an error
   *     about that key can name the variable rather than the file)
   * @throws ConfigException for a {@code PP_<SECTION>_...} variable that names no key (a typo is
   *     refused, not ignored), keyed by the variable's name
   */
  public static JsonObject applyEnvironment(
      JsonObject conf,
      Map<String, Class<?>> sections,
      Map<String, String> env,
      Map<String, String> origins) {
    JsonObject out = conf.copy();
    List<String> known = new ArrayList<>();
    for (Map.Entry<String, Class<?>> s : sections.entrySet()) {
      String name = s.getKey();
      String var = ENV_PREFIX + upperSnake(name);
      if (s.getValue().isRecord()) {
        Object section = out.getValue(name);
        JsonObject target = section instanceof JsonObject o ? o : new JsonObject();
        boolean set =
            applyToObject(name, var, target, s.getValue(), env, origins, known, section == null);
        if (set) {
          if (section != null && !(section instanceof JsonObject)) {
            throw new ConfigException(name, "expected an object, got " + show(section));
          }
          out.put(name, target);
        }
      } else {
        known.add(var);
        String text = env.get(var);
        if (text != null) {
          out.put(name, text);
          origins.put(name, var);
        }
      }
    }
    for (String var : env.keySet()) {
      if (!var.startsWith(ENV_PREFIX) || known.contains(var)) {
        continue;
      }
      for (Map.Entry<String, Class<?>> s : sections.entrySet()) {
        String prefix = ENV_PREFIX + upperSnake(s.getKey()) + "_";
        if (s.getValue().isRecord() && var.startsWith(prefix)) {
          List<String> same = known.stream().filter(k -> k.startsWith(prefix)).sorted().toList();
          throw new ConfigException(
              var,
              "no such setting"
                  + closest(var, same).map(c -> " (did you mean " + c + "?)").orElse("")
                  + "; the "
                  + s.getKey()
                  + " section's variables are "
                  + String.join(", ", same));
        }
      }
    }
    return out;
  }

  /** Every key of a section, for the config reference. */
  public static List<Setting> describe(String section, Class<?> type, Object defaults) {
    List<Setting> out = new ArrayList<>();
    describe(section, ENV_PREFIX + upperSnake(section), type, defaults, out);
    return out;
  }

  /** {@code maxInFlight} -> {@code MAX_IN_FLIGHT}. */
  public static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /**
   * A {@link ConfigException} for an {@code IllegalArgumentException} a record's checks threw,
   * keyed by the key its message starts with ({@code gateway.maxInFlight: ...}) or else by {@code
   * path}.
   */
  public static ConfigException keyed(String path, IllegalArgumentException e) {
    if (e instanceof ConfigException c) {
      return c;
    }
    String message = String.valueOf(e.getMessage());
    Matcher m = KEYED_MESSAGE.matcher(message);
    if (m.matches() && (m.group(1).equals(path) || m.group(1).startsWith(path + "."))) {
      return new ConfigException(m.group(1), m.group(2));
    }
    if (m.matches() && m.group(1).matches("[A-Za-z]\\w*")) {
      // A nested record names its own key only: issuer.accounts[0] + credentialSha256.
      return new ConfigException(path + "." + m.group(1), m.group(2));
    }
    return new ConfigException(path, message);
  }

  // ---- binding ----

  private static Object object(String path, JsonNode node, Class<?> type, Object defaults) {
    if (!node.isObject()) {
      throw mismatch(path, node, type, type, null);
    }
    List<Field> fields = fields(type);
    Map<String, JsonNode> given = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals(COMMENT)) {
        continue;
      }
      Field f = fields.stream().filter(x -> x.name.equals(k)).findFirst().orElse(null);
      if (f != null) {
        if (given.containsKey(k)) {
          throw new ConfigException(
              path + "." + k, "given twice (also as " + path + "." + f.was() + ", its older form)");
        }
        given.put(k, e.getValue());
        continue;
      }
      Field old = fields.stream().filter(x -> x.was().equals(k)).findFirst().orElse(null);
      if (old != null) {
        if (given.containsKey(old.name)) {
          throw new ConfigException(
              path + "." + k,
              "given twice (also as " + path + "." + old.name + "; write only " + old.name + ")");
        }
        given.put(old.name, legacy(path + "." + k, e.getValue(), path + "." + old.name));
        continue;
      }
      List<String> known = fields.stream().map(x -> x.name).sorted().toList();
      throw new ConfigException(
          path + "." + k,
          "unknown key '"
              + k
              + "'"
              + closest(k, known).map(c -> " (did you mean " + c + "?)").orElse("")
              + "; known keys: "
              + String.join(", ", known));
    }
    try {
      return make(path, type, defaults, fields, given);
    } catch (ConfigException e) {
      // An error about a key written in its older form names the key as written.
      for (Field f : fields) {
        if (e.key().equals(path + "." + f.name)
            && !f.was().isEmpty()
            && node.has(f.was())
            && !node.has(f.name)) {
          throw new ConfigException(
              path + "." + f.was(), e.getMessage().substring(e.key().length() + 2));
        }
      }
      throw e;
    }
  }

  private static Object make(
      String path,
      Class<?> type,
      Object defaults,
      List<Field> fields,
      Map<String, JsonNode> given) {
    Object[] args = new Object[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      Object dflt = defaults == null ? null : f.get(defaults);
      JsonNode v = given.get(f.name);
      String at = path + "." + f.name;
      if (v != null) {
        args[i] = value(at, v, f.type(), f.key, dflt);
      } else if (f.derived()) {
        args[i] = null;
      } else if (defaults != null) {
        args[i] = dflt;
      } else if (f.raw().isRecord()) {
        args[i] = object(at, JsonNodeFactory.instance.objectNode(), f.raw(), null);
      } else if (f.raw().isPrimitive()) {
        throw new ConfigException(at, "required: " + expected(f.type(), f.key));
      }
    }
    try {
      Constructor<?> c =
          type.getDeclaredConstructor(
              fields.stream().map(Field::raw).toArray(n -> new Class<?>[n]));
      c.setAccessible(true);
      return c.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException bad) {
        throw keyed(path, bad);
      }
      if (e.getCause() instanceof NullPointerException npe) {
        throw new ConfigException(path, "a required key is missing (" + npe.getMessage() + ")");
      }
      throw new IllegalStateException("cannot make " + type.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make " + type.getSimpleName(), e);
    }
  }

  /** The older numeric form of a duration key, as the duration it means. */
  private static JsonNode legacy(String oldPath, JsonNode v, String newPath) {
    ChronoUnit unit =
        oldPath.endsWith("Ms")
            ? ChronoUnit.MILLIS
            : oldPath.endsWith("Seconds") ? ChronoUnit.SECONDS : null;
    if (unit == null) {
      throw new IllegalStateException("an older key ends in Ms or Seconds: " + oldPath);
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new ConfigException(
          oldPath,
          "expected a whole number of "
              + (unit == ChronoUnit.MILLIS ? "milliseconds" : "seconds")
              + ", got "
              + show(v)
              + " (or write "
              + newPath
              + " as a duration, "
              + Durations.FORMS
              + ")");
    }
    String now = Durations.format(Duration.of(v.longValue(), unit));
    if (WARNED.add(oldPath)) {
      warnOlder(oldPath, newPath, now);
    }
    return TextNode.valueOf(now);
  }

  private static void warnOlder(String oldPath, String newPath, String now) {
    LOG.warning(
        oldPath
            + " is the older form of "
            + newPath
            + ": write \""
            + newPath.substring(newPath.lastIndexOf('.') + 1)
            + "\": \""
            + now
            + "\"");
  }

  private static Object value(String path, JsonNode n, Type type, Key key, Object dflt) {
    Class<?> raw = raw(type);
    if (n.isNull()) {
      if (raw.isPrimitive()) {
        throw mismatch(path, n, type, raw, key);
      }
      return null;
    }
    if (raw == String.class) {
      return n.isTextual() ? n.textValue() : fail(path, n, type, raw, key);
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return integer(path, n, type, raw, key);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return n.isBoolean() ? n.booleanValue() : fail(path, n, type, raw, key);
    }
    if (raw == Duration.class) {
      return n.isTextual() && Durations.isDuration(n.textValue())
          ? Durations.parse(n.textValue())
          : fail(path, n, type, raw, key);
    }
    if (raw == Path.class) {
      if (n.isTextual() && !n.textValue().isBlank()) {
        try {
          return Path.of(n.textValue());
        } catch (InvalidPathException e) {
          // falls through to the error
        }
      }
      return fail(path, n, type, raw, key);
    }
    if (raw == URI.class) {
      if (n.isTextual()) {
        try {
          return new URI(n.textValue());
        } catch (URISyntaxException e) {
          // falls through to the error
        }
      }
      return fail(path, n, type, raw, key);
    }
    if (raw.isEnum()) {
      if (n.isTextual()) {
        for (Object c : raw.getEnumConstants()) {
          if (((Enum<?>) c).name().equalsIgnoreCase(n.textValue())) {
            return c;
          }
        }
      }
      return fail(path, n, type, raw, key);
    }
    if (raw == List.class) {
      if (!n.isArray()) {
        return fail(path, n, type, raw, key);
      }
      Type element = element(type);
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < n.size(); i++) {
        out.add(value(path + "[" + i + "]", n.get(i), element, key, null));
      }
      return List.copyOf(out);
    }
    if (raw.isRecord()) {
      return object(path, n, raw, dflt != null ? dflt : staticDefaults(raw));
    }
    if (raw == JsonNode.class) {
      return n;
    }
    throw new IllegalStateException(path + ": config type " + type + " is not supported");
  }

  private static Object integer(String path, JsonNode n, Type type, Class<?> raw, Key key) {
    ChronoUnit unit = unit(key);
    long v;
    if (unit != null) {
      if (!n.isTextual() || !Durations.isDuration(n.textValue())) {
        return fail(path, n, type, raw, key);
      }
      Duration d = Durations.parse(n.textValue());
      Duration one = unit.getDuration();
      if (d.toNanos() % one.toNanos() != 0) {
        return fail(path, n, type, raw, key);
      }
      v = d.dividedBy(one);
    } else {
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        return fail(path, n, type, raw, key);
      }
      v = n.longValue();
    }
    boolean isInt = raw == int.class || raw == Integer.class;
    long min = key == null ? Long.MIN_VALUE : key.min();
    long max = key == null ? Long.MAX_VALUE : key.max();
    if (isInt) {
      min = Math.max(min, Integer.MIN_VALUE);
      max = Math.min(max, Integer.MAX_VALUE);
    }
    if (v < min || v > max) {
      return fail(path, n, type, raw, key);
    }
    return isInt ? (Object) (int) v : (Object) v;
  }

  private static Object fail(String path, JsonNode n, Type type, Class<?> raw, Key key) {
    throw mismatch(path, n, type, raw, key);
  }

  private static ConfigException mismatch(
      String path, JsonNode n, Type type, Class<?> raw, Key key) {
    String got = key != null && key.secret() ? "a value (not shown: a secret)" : show(n);
    return new ConfigException(path, "expected " + expected(type, key) + ", got " + got);
  }

  /** What a value of this type is, in words: {@code an integer (0..65535)}. */
  static String expected(Type type, Key key) {
    Class<?> raw = raw(type);
    ChronoUnit unit = unit(key);
    boolean ranged = key != null && (key.min() != Long.MIN_VALUE || key.max() != Long.MAX_VALUE);
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      if (unit != null) {
        String range =
            ranged
                ? " from "
                    + Durations.format(Duration.of(Math.max(0, key.min()), unit))
                    + (key.max() == Long.MAX_VALUE
                        ? ""
                        : " to " + Durations.format(Duration.of(key.max(), unit)))
                : "";
        String whole =
            unit == ChronoUnit.MILLIS ? "" : ", whole " + unit.toString().toLowerCase(Locale.ROOT);
        return "a duration (" + Durations.FORMS + whole + ")" + range;
      }
      if (!ranged) {
        return "an integer";
      }
      if (key.max() == Long.MAX_VALUE) {
        return "an integer (at least " + key.min() + ")";
      }
      return "an integer (" + key.min() + ".." + key.max() + ")";
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return "true or false";
    }
    if (raw == String.class) {
      return "a string";
    }
    if (raw == Duration.class) {
      return "a duration (" + Durations.FORMS + ")";
    }
    if (raw == Path.class) {
      return "a file path (a string)";
    }
    if (raw == URI.class) {
      return "a URL (a string)";
    }
    if (raw.isEnum()) {
      return "one of "
          + Arrays.stream(raw.getEnumConstants())
              .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (raw == List.class) {
      return "a list of " + plural(element(type), key);
    }
    if (raw.isRecord()) {
      return "an object ("
          + fields(raw).stream().map(f -> f.name).collect(Collectors.joining(", "))
          + ")";
    }
    return raw.getSimpleName();
  }

  private static String plural(Type element, Key key) {
    Class<?> raw = raw(element);
    if (raw == String.class) {
      return "strings";
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return "integers";
    }
    if (raw.isRecord()) {
      return "objects ("
          + fields(raw).stream().map(f -> f.name).collect(Collectors.joining(", "))
          + ")";
    }
    return expected(element, key);
  }

  /** A value as it was written, shortened. */
  private static String show(Object v) {
    String s = v instanceof JsonNode n ? n.toString() : tree(v).toString();
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  // ---- environment ----

  private static boolean applyToObject(
      String path,
      String var,
      JsonObject target,
      Class<?> type,
      Map<String, String> env,
      Map<String, String> origins,
      List<String> known,
      boolean absent) {
    boolean set = false;
    for (Field f : fields(type)) {
      String v = var + "_" + upperSnake(f.name);
      String at = path + "." + f.name;
      if (f.raw().isRecord()) {
        Object nested = target.getValue(f.name);
        JsonObject sub = nested instanceof JsonObject o ? o : new JsonObject();
        if (applyToObject(at, v, sub, f.raw(), env, origins, known, nested == null)) {
          if (nested != null && !(nested instanceof JsonObject)) {
            throw new ConfigException(at, "expected an object, got " + show(nested));
          }
          target.put(f.name, sub);
          set = true;
        }
      }
      known.add(v);
      String text = env.get(v);
      if (text == null) {
        continue;
      }
      if (!f.was().isEmpty()) {
        target.remove(f.was());
      }
      target.put(f.name, fromText(text, f.type(), f.key));
      origins.put(at, v);
      set = true;
    }
    return set;
  }

  /** An environment variable's text as the JSON value it stands for, given the key's type. */
  private static Object fromText(String text, Type type, Key key) {
    Class<?> raw = raw(type);
    String t = text.strip();
    if ((raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class)
        && unit(key) == null) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        return text;
      }
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return t.equalsIgnoreCase("true") ? Boolean.TRUE : t.equalsIgnoreCase("false") ? false : text;
    }
    if (raw.isRecord()) {
      try {
        return new JsonObject(t);
      } catch (DecodeException e) {
        return text;
      }
    }
    if (raw == List.class) {
      if (t.startsWith("[") || raw(element(type)).isRecord()) {
        try {
          return new JsonArray(t);
        } catch (DecodeException e) {
          return text;
        }
      }
      JsonArray out = new JsonArray();
      if (!t.isEmpty()) {
        for (String part : t.split(",", -1)) {
          out.add(fromText(part, element(type), key));
        }
      }
      return out;
    }
    return text;
  }

  private static void describe(
      String path, String var, Class<?> type, Object defaults, List<Setting> out) {
    for (Field f : fields(type)) {
      String at = path + "." + f.name;
      String v = var + "_" + upperSnake(f.name);
      Object dflt = defaults == null ? null : f.get(defaults);
      if (f.raw().isRecord()) {
        describe(at, v, f.raw(), dflt != null ? dflt : staticDefaults(f.raw()), out);
        continue;
      }
      String shown;
      if (f.derived()) {
        shown = "derived";
      } else if (dflt == null) {
        shown = "none";
      } else if (unit(f.key) != null) {
        shown =
            TextNode.valueOf(
                    Durations.format(Duration.of(((Number) dflt).longValue(), unit(f.key))))
                .toString();
      } else {
        shown = written(dflt).toString();
      }
      out.add(new Setting(at, typeName(f.type(), f.key), shown, v));
    }
  }

  /** The type column of the reference: {@code integer (0..65535)}, {@code list of strings}. */
  private static String typeName(Type type, Key key) {
    String e = expected(type, key);
    e = e.replaceFirst("^(an|a) ", "");
    return e.replace(" (" + Durations.FORMS + ")", "").replace(" (" + Durations.FORMS + ", ", " (");
  }

  /** A default as a config writes it. */
  private static Object written(Object v) {
    if (v instanceof Duration d) {
      return TextNode.valueOf(Durations.format(d));
    }
    if (v instanceof Path || v instanceof URI) {
      return TextNode.valueOf(v.toString());
    }
    if (v instanceof Enum<?> e) {
      return TextNode.valueOf(e.name().toLowerCase(Locale.ROOT));
    }
    if (v instanceof List<?> l) {
      return JsonNodeFactory.instance.arrayNode().addAll(l.stream().map(x -> node(x)).toList());
    }
    if (v instanceof Record r) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (Field f : fields(r.getClass())) {
        o.set(f.name, node(f.get(r)));
      }
      return o;
    }
    return MAPPER.valueToTree(v);
  }

  private static JsonNode node(Object v) {
    Object w = written(v);
    return w instanceof JsonNode n ? n : MAPPER.valueToTree(w);
  }

  // ---- helpers ----

  private static JsonNode tree(Object v) {
    try {
      if (v instanceof JsonObject o) {
        return MAPPER.readTree(o.encode());
      }
      if (v instanceof JsonArray a) {
        return MAPPER.readTree(a.encode());
      }
      return MAPPER.valueToTree(v);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a config object that does not encode", e);
    }
  }

  /** A record's own {@code public static final DEFAULTS}, or null when it declares none. */
  private static Object staticDefaults(Class<?> type) {
    try {
      java.lang.reflect.Field f = type.getDeclaredField("DEFAULTS");
      if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType() != type) {
        return null;
      }
      f.setAccessible(true);
      return f.get(null);
    } catch (NoSuchFieldException e) {
      return null;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(type.getSimpleName() + ".DEFAULTS is not readable", e);
    }
  }

  private static ChronoUnit unit(Key key) {
    return key == null || key.unit() == ChronoUnit.FOREVER ? null : key.unit();
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("config type " + type + " is not supported");
  }

  private static Type element(Type listType) {
    if (listType instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[0];
    }
    throw new IllegalStateException("a config list needs its element type: " + listType);
  }

  /**
   * The known key nearest to {@code k}: at most two edits away, or one starting with the other
   * (ignoring case).
   */
  private static java.util.Optional<String> closest(String k, List<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String c : known) {
      String a = k.toLowerCase(Locale.ROOT);
      String b = c.toLowerCase(Locale.ROOT);
      // timeoutMs for timeout: the older suffixed names are the likeliest slip.
      int d = a.startsWith(b) || b.startsWith(a) ? 2 : distance(a, b);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return java.util.Optional.ofNullable(best);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** One record component and what its {@link Key} says. */
  private record Field(RecordComponent component, String name, Key key) {
    Type type() {
      return component.getGenericType();
    }

    Class<?> raw() {
      return component.getType();
    }

    String was() {
      return key == null ? "" : key.was();
    }

    boolean derived() {
      return key != null && key.derived();
    }

    Object get(Object record) {
      try {
        var accessor = component.getAccessor();
        accessor.setAccessible(true);
        return accessor.invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + name, e);
      }
    }
  }

  private static List<Field> fields(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalStateException(type + " is not a record");
    }
    List<Field> out = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      Key key = c.getAnnotation(Key.class);
      String name = key != null && !key.name().isEmpty() ? key.name() : c.getName();
      out.add(new Field(c, name, key));
    }
    return out;
  }
}
