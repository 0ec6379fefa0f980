package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.gateway.GatewayIdentity;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenRequest;

/**
 * Records everything the issuer receives and everything the gateway receives (the outer ciphertext
 * and, decrypted with the gateway's own key, what it reads) for the same requests, and checks that
 * the two share no value: the issuer can tell who asked for tokens, the gateway which token was
 * spent, and nothing joins the two.
 */
class UnlinkabilityTest {
  private static final int WINDOW = 12;
  private static Vertx vertx;
  private static final List<byte[]> issuerSaw = new CopyOnWriteArrayList<>();
  private static final List<byte[]> gatewaySawSealed = new CopyOnWriteArrayList<>();
  private static GatewayIdentity gatewayIdentity;
  private static PrivateProcessingClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    gatewayIdentity = GatewayIdentity.generate(new SecureRandom());
    JsonObject conf = DemoConf.allInOne();
    Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf, gatewayIdentity));
    // Recording proxies: in front of the issuer (all it gets), in front of the relay (all the
    // gateway gets).
    int issuerProxy = proxy(node.issuerPort(), issuerSaw);
    int relayProxy = proxy(node.relayPort(), gatewaySawSealed);
    client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay("http://127.0.0.1:" + relayProxy)
                .withIssuer("http://127.0.0.1:" + issuerProxy, "demo")
                .withTokenBatch(3)
                .withTrust(PrivatePathTest.trust(node)));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    PrivatePathTest.await(vertx.close());
  }

  /** Forwards every request to {@code port}, recording its body and its Authorization header. */
  private static int proxy(int port, List<byte[]> record) throws Exception {
    return RecordingProxy.start(
        vertx,
        port,
        new RecordingProxy.Observer() {
          @Override
          public void request(io.vertx.core.http.HttpServerRequest request, Buffer body) {
            String credential = request.getHeader("authorization");
            if (credential != null) {
              record.add(credential.getBytes(StandardCharsets.UTF_8));
            }
            record.add(body.getBytes());
          }
        });
  }

  @Test
  @DisplayName("what the issuer receives and what the gateway receives share no value")
  void issuerAndGatewayShareNothing() throws Exception {
    byte[] chat = EnclaveApiTest.CHAT.formatted("false").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      PrivatePathTest.await(client.summarize(SummarizeRequest.parse(chat)));
    }
    PrivatePathTest.await(
        Future.<Void>future(p -> vertx.setTimer(300, t -> p.complete()))); // let refills land

    // What the gateway reads: the sealed bytes plus the Binary HTTP it decrypts from each of them.
    List<byte[]> gatewaySaw = new ArrayList<>(gatewaySawSealed);
    List<Token> spent = new ArrayList<>();
    for (byte[] sealed : gatewaySawSealed) {
      try {
        BinaryHttpRequest opened =
            BinaryHttpRequest.parse(gatewayIdentity.keys().decapsulate(sealed).content());
        gatewaySaw.add(opened.encode());
        opened
            .header("authorization")
            .ifPresent(
                a -> {
                  try {
                    spent.add(PrivateTokenAuthorization.parse(a));
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                });
      } catch (Exception notSealedForTheGateway) {
        // the key fetch (empty body): kept as it is
      }
    }
    assertThat(spent).hasSize(3);
    List<TokenRequest> requests = new ArrayList<>();
    for (byte[] b : issuerSaw) {
      try {
        requests.add(TokenRequest.parse(b));
      } catch (Exception notATokenRequest) {
        // headers and directory fetches
      }
    }
    assertThat(requests).hasSizeGreaterThanOrEqualTo(3);

    Set<String> shared = windows(gatewaySaw);
    shared.retainAll(windows(issuerSaw));
    assertThat(shared)
        .as("byte strings of %d+ bytes seen by both issuer and gateway", WINDOW)
        .isEmpty();

    for (Token token : spent) {
      assertThat(containsAnywhere(issuerSaw, token.nonce()))
          .as("nonce reached the issuer")
          .isFalse();
      assertThat(containsAnywhere(issuerSaw, token.authenticator()))
          .as("authenticator reached the issuer")
          .isFalse();
    }
    for (TokenRequest request : requests) {
      assertThat(containsAnywhere(gatewaySaw, request.blindedMsg()))
          .as("blinded message reached the gateway")
          .isFalse();
    }
    byte[] account = "demo".getBytes(StandardCharsets.UTF_8);
    assertThat(containsAnywhere(gatewaySaw, "Bearer".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(containsAnywhere(gatewaySaw, account))
        .as("account credential reached the gateway")
        .isFalse();
  }

  private static Set<String> windows(List<byte[]> chunks) {
    Set<String> set = new HashSet<>();
    java.util.HexFormat hex = java.util.HexFormat.of();
    for (byte[] chunk : chunks) {
      for (int i = 0; i + WINDOW <= chunk.length; i++) {
        set.add(hex.formatHex(chunk, i, i + WINDOW));
      }
    }
    return set;
  }

  private static boolean containsAnywhere(List<byte[]> chunks, byte[] needle) {
    for (byte[] chunk : chunks) {
      outer:
      for (int i = 0; i + needle.length <= chunk.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (chunk[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }
}
