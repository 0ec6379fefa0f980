package org.privateprocessing.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.List;
import java.util.logging.Logger;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.Model;

/**
 * Starts the verticles of one role on a Vert.x instance, in dependency order: enclave stages,
 * then the gateway, then the relay (which needs the gateway's URL). With port 0 in config each
 * listener takes a free port; {@link Running} reports what was bound.
 */
public final class Node {
  private static final Logger LOG = Logger.getLogger(Node.class.getName());

  private Node() {}

  /** What a started node serves. Ports are -1 for listeners the role does not run. */
  public record Running(Role role, int relayPort, int gatewayPort, String enclaveId) {
    public String relayUrl() {
      return "http://127.0.0.1:" + relayPort;
    }
  }

  public static Future<Running> start(Vertx vertx, Role role, JsonObject conf) {
    SecureRandom random = new SecureRandom();
    Codecs.register(vertx);
    RelayOptions relayOptions;
    GatewayOptions gatewayOptions;
    EnclaveOptions enclaveOptions;
    try {
      relayOptions = RelayOptions.fromJson(conf.getJsonObject("relay"));
      gatewayOptions = GatewayOptions.fromJson(conf.getJsonObject("gateway"));
      enclaveOptions = EnclaveOptions.fromJson(conf.getJsonObject("enclave"));
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("invalid configuration: " + e.getMessage(), e));
    }

    Future<String> enclave = Future.succeededFuture(null);
    if (role.runs(Role.ENCLAVE)) {
      String id = enclaveOptions.id() != null ? enclaveOptions.id() : EnclaveIdentity.randomId(random);
      EnclaveIdentity identity = EnclaveIdentity.generate(id, null, random);
      Model model = new EmbeddedModel();
      enclave = vertx.deployVerticle(new SealingVerticle(identity))
          .compose(d -> vertx.deployVerticle(new InferenceVerticle(identity, model)))
          .compose(d -> vertx.deployVerticle(new AttestationVerticle(identity, gatewayOptions.enclaveTimeoutMs())))
          .map(d -> {
            LOG.info("enclave " + id + " ready (simulated TEE: keys in process memory only), model "
                + model.info().name() + " " + model.info().version());
            return id;
          });
    }

    return enclave.compose(enclaveId -> {
      if (!role.runs(Role.GATEWAY)) {
        return Future.succeededFuture(new Running(role, -1, -1, enclaveId));
      }
      GatewayOptions effective = gatewayOptions;
      if (enclaveId != null && !effective.enclaves().contains(enclaveId)) {
        // All-in-one: the gateway always routes to the enclave started beside it.
        effective = effective.withEnclaves(concat(effective.enclaves(), enclaveId));
      }
      GatewayIdentity gatewayIdentity = GatewayIdentity.generate(random);
      GatewayVerticle http = new GatewayVerticle(effective, gatewayIdentity);
      GatewayOptions routing = effective;
      return vertx.deployVerticle(new CredentialVerticle(routing, gatewayIdentity))
          .compose(d -> vertx.deployVerticle(http))
          .map(d -> {
            LOG.info("gateway listening on " + routing.host() + ":" + http.actualPort()
                + ", routing to enclaves " + routing.enclaves());
            return new Running(role, -1, http.actualPort(), enclaveId);
          });
    }).compose(running -> {
      if (!role.runs(Role.RELAY)) {
        return Future.succeededFuture(running);
      }
      RelayOptions effective = role == Role.ALL
          ? relayOptions.withGatewayUrl("http://127.0.0.1:" + running.gatewayPort())
          : relayOptions;
      RelayVerticle relay = new RelayVerticle(effective);
      return vertx.deployVerticle(relay).map(d -> {
        LOG.info("relay listening on " + effective.host() + ":" + relay.actualPort()
            + ", forwarding to " + effective.gatewayUrl());
        return new Running(role, relay.actualPort(), running.gatewayPort(), running.enclaveId());
      });
    });
  }

  private static List<String> concat(List<String> list, String extra) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(extra);
    return all;
  }
}
