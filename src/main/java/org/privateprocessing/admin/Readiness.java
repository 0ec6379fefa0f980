package org.privateprocessing.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /health/ready} answers, decided from the outcomes of the node's readiness checks
 * without Vert.x: 200 when the roles have started and every check is up, else 503; either way a
 * JSON body naming each check, its status and, when down, why:
 *
 * <pre>{@code
 * {"status": "DOWN", "checks": [
 *   {"id": "issuer/issuer keys loaded", "status": "UP"},
 *   {"id": "issuer/log reachable", "status": "DOWN", "reason": "the transparency log at ..."}]}
 * }</pre>
 *
 * A check's id is the role that contributed it and the check's name; the checks are listed by id,
 * after the node's own.
 */
public final class Readiness {
  /** The id of the pseudo-check that is down until the node's roles have started. */
  public static final String STARTED = "node/roles started";

  /** The media type of both answers. */
  public static final String MEDIA_TYPE = "application/json";

  private Readiness() {}

  /**
   * One check's outcome.
   *
   * @param id {@code role/check name}
   * @param reason why it is down; null when up
   */
  public record Outcome(String id, boolean up, String reason) {
    public Outcome {
      Objects.requireNonNull(id, "id");
      if (!up && (reason == null || reason.isBlank())) {
        reason = "down (the check gave no reason)";
      }
      if (up) {
        reason = null;
      }
    }

    public static Outcome up(String id) {
      return new Outcome(id, true, null);
    }

    public static Outcome down(String id, String reason) {
      return new Outcome(id, false, reason);
    }
  }

  /** The answer: its HTTP status and JSON body. */
  public record Report(int status, JsonObject body) {
    public boolean ready() {
      return status == 200;
    }
  }

  /**
   * The answer for these outcomes.
   *
   * @param started whether the node's roles have all started; until then it is not ready whatever
   *     the checks say (they are not all known yet)
   */
  public static Report decide(boolean started, List<Outcome> outcomes) {
    List<Outcome> all = new ArrayList<>();
    all.add(
        started
            ? Outcome.up(STARTED)
            : Outcome.down(STARTED, "the node's roles are still starting"));
    // In a stable order, whatever order the checks answered in.
    outcomes.stream().sorted(java.util.Comparator.comparing(Outcome::id)).forEach(all::add);
    boolean ready = all.stream().allMatch(Outcome::up);
    JsonArray checks = new JsonArray();
    for (Outcome o : all) {
      JsonObject c = new JsonObject().put("id", o.id()).put("status", o.up() ? "UP" : "DOWN");
      if (!o.up()) {
        c.put("reason", o.reason());
      }
      checks.add(c);
    }
    return new Report(
        ready ? 200 : 503,
        new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", checks));
  }

  /** The answer of {@code GET /health/live}: the listener's event loop answered. */
  public static Report live() {
    return new Report(200, new JsonObject().put("status", "UP"));
  }

  /**
   * The outcomes in a result of Vert.x's health checks, flattened: a group {@code issuer} with a
   * check {@code log reachable} gives {@code issuer/log reachable}. A procedure that failed or did
   * not answer in time is down, with what Vert.x said of it.
   */
  public static List<Outcome> outcomes(CheckResult result) {
    List<Outcome> out = new ArrayList<>();
    if (result.getChecks() != null) {
      for (CheckResult child : result.getChecks()) {
        flatten(child, "", out);
      }
    }
    return out;
  }

  private static void flatten(CheckResult r, String prefix, List<Outcome> out) {
    String id = prefix + r.getId();
    if (r.getChecks() != null && !r.getChecks().isEmpty()) {
      for (CheckResult child : r.getChecks()) {
        flatten(child, id + "/", out);
      }
      return;
    }
    if (Boolean.TRUE.equals(r.getUp())) {
      out.add(Outcome.up(id));
    } else {
      out.add(Outcome.down(id, reason(r)));
    }
  }

  /** Why a check is down: its own reason, else Vert.x's account of a failed or late procedure. */
  static String reason(CheckResult r) {
    JsonObject data = r.getData();
    if (data != null && data.getValue("reason") instanceof String reason) {
      return reason;
    }
    if (data != null && data.getValue("cause") instanceof String cause) {
      return "Timeout".equals(cause)
          ? "the check did not answer within " + AdminListener.CHECK_TIMEOUT_MS + " ms"
          : "the check failed: " + cause;
    }
    return "the check did not answer";
  }
}
