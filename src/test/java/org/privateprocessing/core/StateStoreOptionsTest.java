package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreOptionsTest {
  @TempDir Path dir;

  private static StateStoreOptions parse(JsonObject store) {
    return StateStoreOptions.fromJson(
        new JsonObject().put("dataDir", "/tmp/pp-data").put("stateStore", store));
  }

  private static JsonObject redis(JsonObject r) {
    return new JsonObject().put("type", "redis").put("redis", r);
  }

  @Test
  @DisplayName("no section: file on a single node, the cluster map on a clustered one")
  void defaults() {
    StateStoreOptions o = StateStoreOptions.fromJson(new JsonObject());
    assertThat(o.type()).isNull();
    assertThat(o.resolve(false)).isEqualTo(StateStoreOptions.Type.FILE);
    assertThat(o.resolve(true)).isEqualTo(StateStoreOptions.Type.CLUSTER);
    assertThat(parse(new JsonObject().put("type", "file")).resolve(true))
        .isEqualTo(StateStoreOptions.Type.FILE);
  }

  @Test
  @DisplayName("redis: loopback default URL, timeout, prefix")
  void redisDefaults() {
    StateStoreOptions o = parse(new JsonObject().put("type", "redis"));
    assertThat(o.redis().url()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(o.redis().timeoutMs()).isEqualTo(2_000);
    assertThat(o.redis().keyPrefix()).isEqualTo("pp:");
    assertThat(o.redis().tls()).isFalse();
    assertThat(
            parse(redis(new JsonObject().put("url", "rediss://redis.example:6380"))).redis().tls())
        .isTrue();
  }

  @Test
  @DisplayName("bad settings are refused, each naming the setting and the fix")
  void badSettings() throws Exception {
    assertThatThrownBy(() -> parse(new JsonObject().put("type", "postgres")))
        .hasMessageContaining("stateStore.type")
        .hasMessageContaining("file, redis, cluster, memory");
    assertThatThrownBy(() -> parse(new JsonObject().put("maxEntries", 0)))
        .hasMessageContaining("stateStore.maxEntries");
    assertThatThrownBy(
            () ->
                parse(
                    new JsonObject()
                        .put("redis", new JsonObject().put("url", "redis://127.0.0.1:6379"))))
        .hasMessageContaining("stateStore.type is not redis");
    assertThatThrownBy(() -> parse(redis(new JsonObject().put("url", "http://127.0.0.1:6379"))))
        .hasMessageContaining("stateStore.redis.url")
        .hasMessageContaining("redis://host:port");
    assertThatThrownBy(() -> parse(redis(new JsonObject().put("url", "redis://:pw@127.0.0.1"))))
        .hasMessageContaining("no credentials in the URL")
        .hasMessageContaining("passwordFile");
    assertThatThrownBy(() -> parse(redis(new JsonObject().put("url", "redis://10.0.0.5:6379"))))
        .hasMessageContaining("10.0.0.5 is not on this machine")
        .hasMessageContaining("rediss://10.0.0.5:6379");
    assertThatThrownBy(
            () -> parse(redis(new JsonObject().put("url", "redis://redis.internal:6379"))))
        .hasMessageContaining("use TLS");
    assertThatThrownBy(
            () ->
                parse(
                    redis(
                        new JsonObject()
                            .put("url", "redis://127.0.0.1")
                            .put("trustFile", "/etc/hosts"))))
        .hasMessageContaining("trustFile is for TLS");
    assertThatThrownBy(() -> parse(redis(new JsonObject().put("timeoutMs", 0))))
        .hasMessageContaining("stateStore.redis.timeoutMs");
    assertThatThrownBy(() -> parse(redis(new JsonObject().put("keyPrefix", "a b"))))
        .hasMessageContaining("stateStore.redis.keyPrefix");
  }

  @Test
  @DisplayName("a password file readable by others, missing or empty is refused with the fix")
  void passwordFile() throws Exception {
    Path open = dir.resolve("open.pass");
    Files.writeString(open, "pw");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> parse(redis(new JsonObject().put("passwordFile", open.toString()))))
        .hasMessageContaining("readable by others")
        .hasMessageContaining("chmod 600 " + open);
    assertThatThrownBy(
            () ->
                parse(
                    redis(
                        new JsonObject()
                            .put("passwordFile", dir.resolve("missing.pass").toString()))))
        .hasMessageContaining("cannot read");
    Path empty = dir.resolve("empty.pass");
    Files.writeString(empty, "\n");
    Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> parse(redis(new JsonObject().put("passwordFile", empty.toString()))))
        .hasMessageContaining("on one line");
    Path good = dir.resolve("good.pass");
    Files.writeString(good, "correct horse\n");
    Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("r--------"));
    StateStoreOptions.Redis r =
        parse(redis(new JsonObject().put("passwordFile", good.toString()))).redis();
    assertThat(r.password()).isEqualTo("correct horse");
    assertThat(r.toString()).doesNotContain("horse");
  }
}
