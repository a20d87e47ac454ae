package org.mend4j.agent.admin;

import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.mend4j.agent.control.Control;
import org.mend4j.agent.control.ControlException;
import org.mend4j.agent.control.ControlJson;
import org.mend4j.agent.control.EditView;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.internal.LogText;
import org.mend4j.agent.registry.Variant;

/**
 * Every admin request: authentication first, from the headers alone (also for unknown paths, which
 * are not revealed), so no body of an unauthenticated client is ever read; then routing to the
 * {@link Control} operation. The one exception is a GET of the console's static files ({@link
 * ConsoleAssets}), which hold no data and ask for the token themselves. Answers are JSON ({@link
 * ControlJson}); a refusal is {@code {"error": MESSAGE}} with a 4xx status (5xx for the agent's own
 * failures): the API's own ({@link HttpError}) or the control plane's reason mapped by {@link
 * ErrorStatus}; it never changes anything.
 *
 * <pre>
 * GET    /mend4j/v1/status                     status document
 * GET    /mend4j/v1/edits                      [{id, prompt, target_new, enabled, created, ...}]
 * POST   /mend4j/v1/edits                      JSON request(s): computed in-process -> 201 edit
 *                                              application/octet-stream edit file: imported -> 201
 * GET    /mend4j/v1/edits/ID                   one edit
 * POST   /mend4j/v1/edits/ID/enable|disable    -> the edit
 * DELETE /mend4j/v1/edits/ID
 * GET    /mend4j/v1/variants                   [{name, edits, traffic_percent}]
 * PUT    /mend4j/v1/variants/NAME              {"edits": [ids], "traffic_percent": p}
 * DELETE /mend4j/v1/variants/NAME
 * POST   /mend4j/v1/try                        {"prompt", "max_new_tokens"?}: an answer per variant
 * GET    /metrics                              Prometheus text format
 * GET    /mend4j/console                       the edit console (no token: it asks for one)
 * </pre>
 */
final class AdminHandler extends Handler.Abstract {

  static final String PREFIX = "/mend4j/v1/";

  private final Control control;
  private final AdminAuth auth;
  private final AdminLimits limits;
  private final AdminCounters counters;
  private final ConsoleAssets console;

  AdminHandler(
      Control control,
      AdminAuth auth,
      AdminLimits limits,
      AdminCounters counters,
      ConsoleAssets console) {
    super(InvocationType.BLOCKING);
    this.control = control;
    this.auth = auth;
    this.limits = limits;
    this.counters = counters;
    this.console = console;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange exchange = new Exchange(request, response, callback, limits.readTimeoutMillis());
    try {
      if (console.serves(request)) {
        exchange.noBody();
        console.serve(request, response, callback);
        return true;
      }
      if (!auth.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        counters.authFailed(exchange.method(), request.getHttpURI().getPath());
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"mend4j\"");
        HttpIo.refuse(
            request,
            response,
            callback,
            401,
            "missing or wrong token: send the header 'Authorization: Bearer TOKEN'");
        return true;
      }
      route(exchange);
    } catch (HttpError e) {
      refuse(exchange, e.status(), e.getMessage());
    } catch (ControlException e) {
      refuse(exchange, ErrorStatus.of(e), e.getMessage());
    } catch (RuntimeException | Error e) {
      AgentLog.error("admin request " + LogText.clean(exchange.path()) + " failed", e);
      refuse(exchange, 500, "internal error in the agent: " + e);
    }
    return true;
  }

  private void refuse(Exchange exchange, int status, String message) {
    counters.refused(status);
    HttpIo.refuse(exchange.request(), exchange.response(), exchange.callback(), status, message);
  }

  private void route(Exchange exchange) {
    String path = exchange.path();
    if (path.equals("/metrics")) {
      exchange.allow("GET");
      exchange.noBody();
      HttpIo.send(
          exchange.response(),
          exchange.callback(),
          200,
          Control.metricsContentType(),
          control.metrics() + counters.render());
      return;
    }
    if (!path.startsWith(PREFIX)) {
      throw exchange.notFound();
    }
    String[] parts = path.substring(PREFIX.length()).split("/", -1);
    switch (parts[0]) {
      case "status" -> {
        exchange.expectParts(parts, 1);
        exchange.allow("GET");
        exchange.noBody();
        exchange.json(200, ControlJson.status(control.status()));
      }
      case "edits" -> edits(exchange, parts);
      case "variants" -> variants(exchange, parts);
      case "try" -> {
        exchange.expectParts(parts, 1);
        exchange.allow("POST");
        TryRequests.TryRequest asked = TryRequests.parse(exchange.text(limits.maxJsonBytes()));
        exchange.json(
            200, ControlJson.tryAnswers(control.tryIt(asked.prompt(), asked.maxNewTokens())));
      }
      default -> throw exchange.notFound();
    }
  }

  private void edits(Exchange exchange, String[] parts) {
    if (parts.length == 1) {
      exchange.allow("GET", "POST");
      if (exchange.method().equals("GET")) {
        exchange.noBody();
        exchange.json(200, ControlJson.edits(control.edits()));
        return;
      }
      EditView created = createOrImport(exchange);
      exchange.response().getHeaders().put(HttpHeader.LOCATION, PREFIX + "edits/" + created.id());
      exchange.json(201, ControlJson.edit(created));
      return;
    }
    String id = parts[1];
    if (id.isEmpty()) {
      throw exchange.notFound();
    }
    if (parts.length == 2) {
      exchange.allow("GET", "DELETE");
      exchange.noBody();
      if (exchange.method().equals("GET")) {
        exchange.json(200, ControlJson.edit(control.edit(id)));
      } else {
        control.delete(id);
        exchange.deleted("id", id);
      }
      return;
    }
    if (parts.length == 3 && (parts[2].equals("enable") || parts[2].equals("disable"))) {
      exchange.allow("POST");
      exchange.noBody();
      exchange.json(200, ControlJson.edit(control.setEnabled(id, parts[2].equals("enable"))));
      return;
    }
    throw exchange.notFound();
  }

  private EditView createOrImport(Exchange exchange) {
    String type = exchange.request().getHeaders().get(HttpHeader.CONTENT_TYPE);
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (mime.equals("application/octet-stream")) {
      return control.importFile(exchange.body(limits.maxEditFileBytes()));
    }
    if (mime.isEmpty() || mime.equals("application/json")) {
      return control.create(EditRequests.parse(exchange.text(limits.maxJsonBytes())));
    }
    throw new HttpError(
        415,
        "unsupported Content-Type '"
            + LogText.clean(type)
            + "': send application/json (an edit request) or application/octet-stream (an edit"
            + " file)");
  }

  private void variants(Exchange exchange, String[] parts) {
    if (parts.length == 1) {
      exchange.allow("GET");
      exchange.noBody();
      exchange.json(200, ControlJson.variants(control.variants()));
      return;
    }
    exchange.expectParts(parts, 2);
    String name = parts[1];
    if (name.isEmpty()) {
      throw exchange.notFound();
    }
    exchange.allow("PUT", "DELETE");
    if (exchange.method().equals("PUT")) {
      Variant v =
          control.putVariant(VariantRequests.parse(name, exchange.text(limits.maxJsonBytes())));
      exchange.json(200, ControlJson.variant(v));
    } else {
      exchange.noBody();
      control.deleteVariant(name);
      exchange.deleted("name", name);
    }
  }
}
