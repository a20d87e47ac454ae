package org.mend4j.agent.admin;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.mend4j.agent.control.Control;
import org.mend4j.agent.control.ControlException;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.status.StatusReport;

/**
 * Every admin request: authentication first (also for unknown paths, which are not revealed), then
 * routing to the {@link Control} operation. Answers are JSON; a refusal is {@code {"error":
 * MESSAGE}} with a 4xx status (5xx for the agent's own failures), and never changes anything.
 *
 * <pre>
 * GET    /mend4j/v1/status                     status document
 * GET    /mend4j/v1/edits                      [{id, prompt, target_new, enabled, created, ...}]
 * POST   /mend4j/v1/edits                      JSON request(s): computed in-process -> 201 {id}
 *                                              application/octet-stream edit file: imported -> 201
 * GET    /mend4j/v1/edits/ID                   one edit
 * POST   /mend4j/v1/edits/ID/enable|disable    -> the edit
 * DELETE /mend4j/v1/edits/ID
 * GET    /mend4j/v1/variants                   [{name, edits, traffic_percent}]
 * PUT    /mend4j/v1/variants/NAME              {"edits": [ids], "traffic_percent": p}
 * DELETE /mend4j/v1/variants/NAME
 * GET    /metrics                              Prometheus text format
 * </pre>
 */
final class AdminHandler implements HttpHandler {

  static final String PREFIX = "/mend4j/v1/";
  private static final int MAX_LOGGED_AUTH_FAILURES = 10;

  private final Control control;
  private final AdminAuth auth;
  private final int maxJsonBytes;
  private final int maxEditFileBytes;
  private final AtomicLong authFailures = new AtomicLong();

  AdminHandler(Control control, AdminAuth auth, int maxJsonBytes, int maxEditFileBytes) {
    this.control = control;
    this.auth = auth;
    this.maxJsonBytes = maxJsonBytes;
    this.maxEditFileBytes = maxEditFileBytes;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!auth.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refuseUnauthorised(exchange);
        return;
      }
      route(exchange);
    } catch (ControlException e) {
      HttpIo.discardBody(exchange);
      HttpIo.error(exchange, e.status(), e.getMessage());
    } catch (RuntimeException | Error e) {
      AgentLog.error("admin request " + exchange.getRequestURI() + " failed", e);
      HttpIo.discardBody(exchange);
      HttpIo.error(exchange, 500, "internal error in the agent: " + e);
    } finally {
      exchange.close();
    }
  }

  private void refuseUnauthorised(HttpExchange exchange) throws IOException {
    long n = authFailures.incrementAndGet();
    if (n <= MAX_LOGGED_AUTH_FAILURES) {
      AgentLog.warn(
          "admin request "
              + exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI().getPath()
              + " refused: missing or wrong bearer token"
              + (n == MAX_LOGGED_AUTH_FAILURES ? " (further refusals are not logged)" : ""));
    }
    HttpIo.discardBody(exchange);
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mend4j\"");
    HttpIo.error(
        exchange, 401, "missing or wrong token: send the header 'Authorization: Bearer TOKEN'");
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/metrics")) {
      allow(method, "GET");
      HttpIo.discardBody(exchange);
      HttpIo.send(exchange, 200, Control.metricsContentType(), control.metrics());
      return;
    }
    if (!path.startsWith(PREFIX)) {
      throw notFound(method, path);
    }
    String[] parts = path.substring(PREFIX.length()).split("/", -1);
    switch (parts[0]) {
      case "status" -> {
        expectParts(parts, 1, method, path);
        allow(method, "GET");
        HttpIo.discardBody(exchange);
        HttpIo.json(exchange, 200, control.status());
      }
      case "edits" -> edits(exchange, method, path, parts);
      case "variants" -> variants(exchange, method, path, parts);
      default -> throw notFound(method, path);
    }
  }

  private void edits(HttpExchange exchange, String method, String path, String[] parts)
      throws IOException {
    if (parts.length == 1) {
      allow(method, "GET", "POST");
      if (method.equals("GET")) {
        HttpIo.discardBody(exchange);
        HttpIo.json(exchange, 200, control.edits());
        return;
      }
      Control.Result created = createOrImport(exchange);
      exchange.getResponseHeaders().set("Location", PREFIX + "edits/" + created.entry().id());
      HttpIo.json(exchange, 201, created.json());
      return;
    }
    String id = parts[1];
    if (id.isEmpty()) {
      throw notFound(method, path);
    }
    if (parts.length == 2) {
      allow(method, "GET", "DELETE");
      HttpIo.discardBody(exchange);
      if (method.equals("GET")) {
        HttpIo.json(exchange, 200, control.edit(id));
      } else {
        control.delete(id);
        JsonObject body = new JsonObject();
        body.addProperty("id", id);
        body.addProperty("deleted", true);
        HttpIo.json(exchange, 200, body);
      }
      return;
    }
    if (parts.length == 3 && (parts[2].equals("enable") || parts[2].equals("disable"))) {
      allow(method, "POST");
      HttpIo.discardBody(exchange);
      control.setEnabled(id, parts[2].equals("enable"));
      HttpIo.json(exchange, 200, control.edit(id));
      return;
    }
    throw notFound(method, path);
  }

  private Control.Result createOrImport(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (mime.equals("application/octet-stream")) {
      return control.importFile(HttpIo.body(exchange, maxEditFileBytes));
    }
    if (mime.isEmpty() || mime.equals("application/json")) {
      byte[] body = HttpIo.body(exchange, maxJsonBytes);
      return control.create(new String(body, StandardCharsets.UTF_8));
    }
    throw new ControlException(
        415,
        "unsupported Content-Type '"
            + type
            + "': send application/json (an edit request) or application/octet-stream (an edit"
            + " file)");
  }

  private void variants(HttpExchange exchange, String method, String path, String[] parts)
      throws IOException {
    if (parts.length == 1) {
      allow(method, "GET");
      HttpIo.discardBody(exchange);
      HttpIo.json(exchange, 200, control.variants());
      return;
    }
    expectParts(parts, 2, method, path);
    String name = parts[1];
    if (name.isEmpty()) {
      throw notFound(method, path);
    }
    allow(method, "PUT", "DELETE");
    if (method.equals("PUT")) {
      byte[] body = HttpIo.body(exchange, maxJsonBytes);
      Variant v = control.putVariant(name, new String(body, StandardCharsets.UTF_8));
      HttpIo.json(exchange, 200, StatusReport.variant(v));
    } else {
      HttpIo.discardBody(exchange);
      control.deleteVariant(name);
      JsonObject body = new JsonObject();
      body.addProperty("name", name);
      body.addProperty("deleted", true);
      HttpIo.json(exchange, 200, body);
    }
  }

  private static void expectParts(String[] parts, int n, String method, String path) {
    if (parts.length != n) {
      throw notFound(method, path);
    }
  }

  private static void allow(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new ControlException(
        405, "method " + method + " not allowed here; use " + String.join(" or ", allowed));
  }

  private static ControlException notFound(String method, String path) {
    return new ControlException(404, "no such endpoint: " + method + " " + path);
  }
}
